/**
 * Row 8 (login outcome): how long after the submit the agent has its answer, against how
 * long the page itself takes to get to the next page. On /outcome/classic (a form POST
 * answered with a 303 to a page without the form: a login that signs in at once), each
 * run fills and submits through MCP fill_credential {submit: true}; both figures come
 * from the same run:
 * - blindfill: from the page's submit event to the MCP result (outcome signed_in) in the
 *   client;
 * - baseline: from the same submit event to the end of the next page's load event (the
 *   page's own navigation time, from the Navigation Timing entry of the new document).
 * The submit time is kept in sessionStorage, which the same-origin next page still sees.
 */
import type { Page } from 'playwright';
import type { FixtureServer } from '../../e2e/fixtures/server.js';
import { measuredRow, type Row } from '../lib/row.js';
import { type Mcp, SITE_HOST } from '../lib/stack.js';

const KEY = 'bf-bench-submit-at';

async function oneRun(page: Page, mcp: Mcp, server: FixtureServer): Promise<{ outcomeMs: number; navMs: number }> {
  await page.goto(server.url(SITE_HOST, '/outcome/classic'), { waitUntil: 'load' });
  await page.evaluate((key) => {
    sessionStorage.removeItem(key);
    addEventListener('submit', () => sessionStorage.setItem(key, String(performance.timeOrigin + performance.now())), true);
  }, KEY);
  const r = await mcp.call('fill_credential', { label: 'site', submit: true });
  const answeredAt = Date.now();
  if (r.isError || r.structured.outcome !== 'signed_in') {
    throw new Error(`fill_credential answered ${JSON.stringify({ ok: r.structured.ok, code: r.structured.code, outcome: r.structured.outcome })}, expected outcome signed_in`);
  }
  await page.waitForLoadState('load');
  const t = await page.evaluate((key) => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return { submitAt: Number(sessionStorage.getItem(key)), loadedAt: nav && nav.loadEventEnd > 0 ? performance.timeOrigin + nav.loadEventEnd : NaN, path: location.pathname };
  }, KEY);
  if (!Number.isFinite(t.submitAt) || t.submitAt <= 0 || !Number.isFinite(t.loadedAt) || t.path !== '/rw/welcome') {
    throw new Error(`no submit time or next page load recorded (at ${t.path})`);
  }
  return { outcomeMs: answeredAt - t.submitAt, navMs: t.loadedAt - t.submitAt };
}

export async function outcomeRow(t: { page: Page; mcp: Mcp; server: FixtureServer }, n: number): Promise<Row> {
  for (let i = 0; i < Math.min(3, n); i++) await oneRun(t.page, t.mcp, t.server);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await oneRun(t.page, t.mcp, t.server);
    a.push(r.outcomeMs);
    b.push(r.navMs);
  }
  return measuredRow({
    id: '8',
    name: 'login outcome after submit (/outcome/classic, signs in at once)',
    unit: 'ms',
    blindfill: { what: 'submit event → MCP fill_credential result with outcome signed_in', samples: a },
    baseline: { what: 'submit event → next page load event end (the page\'s own navigation)', samples: b },
    target: 1.5,
    note: 'both sides from the same runs; the fill itself (before the submit) is not counted',
  });
}
