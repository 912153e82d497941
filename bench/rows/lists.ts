/**
 * Row 3d: list_credentials for one page (origin filter) in a big vault against a small
 * one; rows 3e/3f: the settings page with the big vault against the small one — time until the
 * list is shown (3e) and to open the Add dialog (3f), both timed in the page (the global
 * `performance`, not perf_hooks': the page functions are serialized as written).
 */
import type { Page } from 'playwright';
import { EXTENSION_ID } from '../../shared/constants.js';
import { OPTIONS_PAGE } from '../../shared/settings-protocol.js';
import { alternate, measuredRow, type Row } from '../lib/row.js';
import type { BrowserStack, Mcp } from '../lib/stack.js';

export async function scaleListOriginRow(small: Mcp, big: Mcp, origin: string, n: number, bigCount: number, smallCount: number): Promise<Row> {
  let bytes = 0;
  const list = (m: Mcp) => async () => {
    const t0 = performance.now();
    const r = await m.call('list_credentials', { origin });
    const ms = performance.now() - t0;
    if (r.isError || (r.structured.credentials as unknown[] | undefined)?.length !== 1) throw new Error('list_credentials with an origin did not return the one credential');
    bytes = Buffer.byteLength(JSON.stringify(r.structured)) + Buffer.byteLength(r.text ?? '');
    return ms;
  };
  await alternate(Math.min(3, n), list(big), list(small));
  const { a, b } = await alternate(n, list(big), list(small));
  return measuredRow({
    id: '3d',
    name: `scale: list for one page, ${bigCount.toLocaleString('en')} credentials vs ${smallCount}`,
    unit: 'ms',
    blindfill: { what: `MCP list_credentials {origin}, ${bigCount} credentials`, samples: a },
    baseline: { what: `MCP list_credentials {origin}, ${smallCount} credentials`, samples: b },
    extra: { result_bytes: bytes },
  });
}

const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/${OPTIONS_PAGE}`;

/** ms from navigation to the settings page showing `count` credentials. */
async function openSettings(page: Page, count: number): Promise<number> {
  const t0 = performance.now();
  await page.goto(OPTIONS_URL);
  await page.waitForFunction((c) => document.getElementById('list-count')?.textContent === `${c} credentials`, count, { timeout: 60_000, polling: 'raf' });
  return performance.now() - t0;
}

async function openDialog(page: Page): Promise<number> {
  const ms = await page.evaluate(() => {
    const t0 = performance.now();
    (document.getElementById('add') as HTMLButtonElement).click();
    if (!(document.getElementById('editor') as HTMLDialogElement).open) return -1;
    // One frame: the dialog painted.
    return new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now() - t0)));
  });
  if (ms < 0) throw new Error('the editor did not open');
  await page.keyboard.press('Escape');
  return ms;
}

export async function settingsRows(small: BrowserStack, big: BrowserStack, n: number, bigCount: number, smallCount: number): Promise<Row[]> {
  const sp = await small.browser.context.newPage();
  const bp = await big.browser.context.newPage();
  try {
    await bp.bringToFront();
    const render = await alternate(n, () => openSettings(bp, bigCount), () => openSettings(sp, smallCount));
    await bp.bringToFront();
    const dialog = await alternate(n, () => openDialog(bp), () => openDialog(sp));
    return [
      measuredRow({
        id: '3e',
        name: `settings page: list shown, ${bigCount.toLocaleString('en')} credentials vs ${smallCount}`,
        unit: 'ms',
        blindfill: { what: `open the settings page until ${bigCount} credentials are listed`, samples: render.a },
        baseline: { what: `the same with ${smallCount}`, samples: render.b },
        note: 'the list arrives in pages under the 1 MB native-messaging cap; only visible cards are rendered',
      }),
      measuredRow({
        id: '3f',
        name: `settings page: open the Add dialog, ${bigCount.toLocaleString('en')} credentials vs ${smallCount}`,
        unit: 'ms',
        blindfill: { what: `click Add until the next frame, ${bigCount} credentials`, samples: dialog.a },
        baseline: { what: `the same with ${smallCount}`, samples: dialog.b },
      }),
    ];
  } finally {
    await sp.close();
    await bp.close();
  }
}
