/**
 * Rows 1 and 3 (fill/list): warm fills through MCP against Playwright's page.fill, and
 * the same fill and list with 10,000 credentials against 10.
 */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright';
import type { FixtureServer } from '../../e2e/fixtures/server.js';
import { alternate, measuredRow, type Row } from '../lib/row.js';
import { fieldValues, freshLoginPage, type Mcp, PASSWORD, USERNAME } from '../lib/stack.js';

export interface FillTarget {
  page: Page;
  mcp: Mcp;
  server: FixtureServer;
}

/** One timed MCP fill_credential on a fresh login page; checks both fields got filled. */
export async function mcpFill(t: FillTarget): Promise<number> {
  await freshLoginPage(t.page, t.server);
  const t0 = performance.now();
  const r = await t.mcp.call('fill_credential', { label: 'site' });
  const ms = performance.now() - t0;
  if (r.isError || r.structured.ok !== true) throw new Error(`fill_credential failed: ${String(r.structured.code)}: ${String(r.structured.message)}`);
  const [u, p] = await fieldValues(t.page);
  if (u !== USERNAME || p !== PASSWORD) throw new Error('fill_credential answered ok but the fields do not hold the credential');
  return ms;
}

/** The baseline: Playwright types the plaintext into the same two fields. */
export async function playwrightFill(t: FillTarget): Promise<number> {
  await freshLoginPage(t.page, t.server);
  const t0 = performance.now();
  await t.page.fill('#username', USERNAME);
  await t.page.fill('#password', PASSWORD);
  const ms = performance.now() - t0;
  const [u, p] = await fieldValues(t.page);
  if (u !== USERNAME || p !== PASSWORD) throw new Error('page.fill did not fill the fields');
  return ms;
}

export async function warmFillRow(t: FillTarget, n: number): Promise<Row> {
  // Warm both paths (JIT, injected-script caches, connections) before timing.
  await alternate(Math.min(5, n), () => mcpFill(t), () => playwrightFill(t));
  const { a, b } = await alternate(n, () => mcpFill(t), () => playwrightFill(t));
  return measuredRow({
    id: '1',
    name: 'warm fill (username+password, /plain)',
    unit: 'ms',
    blindfill: { what: 'MCP fill_credential call → result', samples: a },
    baseline: { what: 'Playwright page.fill ×2 (plaintext)', samples: b },
    target: 1.0,
    note: 'page re-navigated before every run (untimed), the same for both',
  });
}

export async function scaleFillRow(small: FillTarget, big: FillTarget, n: number, bigCount: number, smallCount: number): Promise<Row> {
  await alternate(Math.min(5, n), () => mcpFill(big), () => mcpFill(small));
  const { a, b } = await alternate(n, () => mcpFill(big), () => mcpFill(small));
  return measuredRow({
    id: '3a',
    name: `scale: fill with ${bigCount.toLocaleString('en')} credentials vs ${smallCount}`,
    unit: 'ms',
    blindfill: { what: `MCP fill_credential, ${bigCount} credentials`, samples: a },
    baseline: { what: `MCP fill_credential, ${smallCount} credentials`, samples: b },
    target: 1.1,
  });
}

export async function scaleListRow(small: Mcp, big: Mcp, n: number, bigCount: number, smallCount: number): Promise<Row> {
  const list = (m: Mcp, want: number) => async () => {
    const t0 = performance.now();
    const r = await m.call('list_credentials', {});
    const ms = performance.now() - t0;
    const got = (r.structured.credentials as unknown[] | undefined)?.length;
    if (r.isError || got !== want) throw new Error(`list_credentials returned ${String(got)} credentials, expected ${want}`);
    return ms;
  };
  await alternate(Math.min(3, n), list(big, bigCount), list(small, smallCount));
  const { a, b } = await alternate(n, list(big, bigCount), list(small, smallCount));
  return measuredRow({
    id: '3b',
    name: `scale: list with ${bigCount.toLocaleString('en')} credentials vs ${smallCount}`,
    unit: 'ms',
    blindfill: { what: `MCP list_credentials, ${bigCount} credentials`, samples: a },
    baseline: { what: `MCP list_credentials, ${smallCount} credentials`, samples: b },
    note: 'no target: the answer itself grows with the number of credentials',
  });
}
