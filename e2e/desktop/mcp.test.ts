/**
 * type_credential through a real MCP client (SDK Client over stdio → `blindfill mcp` →
 * daemon → Xvfb): a success into a zenity dialog and every refusal the tool can give,
 * with a transcript that holds no secret in any encoding.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Home, initVault, makeHome, PASS } from '../core/cli.js';
import { makeCanary, namedEncodings } from '../harness/canary.js';
import { startXvfb, type Xvfb } from '../harness/display.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { killDialogs, openFocused, submitDialog, XSession } from './xwin.js';

let x: Xvfb;
let xs: XSession;
let home: Home;
let mcp: McpSession;
let bare: Home; // a daemon started without DISPLAY
let bareMcp: McpSession;
const password = makeCanary();
const username = 'mcp-user';
const seed = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BAN5SWQ';
const creds = [
  { label: 'vpn', username, password, totp: seed, windows: ['Acme VPN'] },
  { label: 'vpn-pw-only', password, windows: ['Acme VPN'] },
  { label: 'vpn-unicode', password: `${password}é`, windows: ['Acme VPN'] },
  { label: 'nowhere', password },
];

beforeAll(async () => {
  x = await startXvfb();
  xs = await XSession.open(x.display);
  home = makeHome({ DISPLAY: x.display, BLINDFILL_RATE_PER_MINUTE: '1000' });
  await initVault(home);
  expect((await home.run(['add', '--json-stdin'], JSON.stringify(creds))).code).toBe(0);
  mcp = await startMcp(home.env);

  bare = makeHome(); // cleanEnv: no DISPLAY, no WAYLAND_DISPLAY
  await initVault(bare);
  await bare.run(['add', '--json-stdin'], JSON.stringify(creds[0]));
  bareMcp = await startMcp(bare.env);
});
afterEach(async () => {
  await killDialogs();
  await xs.focus(1);
});
afterAll(async () => {
  await mcp?.close();
  await bareMcp?.close();
  await home?.stop();
  await bare?.stop();
  await xs?.close();
  await x?.stop();
});

describe('type_credential through MCP', () => {
  it('types the password into the focused matching window and returns no value', async () => {
    const d = await openFocused(xs, x.display, ['--entry', '--hide-text'], 'Acme VPN');
    const r = await mcp.call('type_credential', { label: 'vpn', submit: true });
    expect(r.isError).toBe(false);
    expect(r.structured).toEqual({ ok: true, label: 'vpn', window: 'Acme VPN', field: 'password' });
    expect((await d.dialog.done).stdout === `${password}\n`).toBe(true);
  });

  it('types the one-time code with field totp', async () => {
    const d = await openFocused(xs, x.display, ['--entry'], 'Acme VPN');
    const r = await mcp.call('type_credential', { label: 'vpn', field: 'totp', submit: true });
    expect(r.structured).toMatchObject({ ok: true, field: 'totp' });
    expect((await d.dialog.done).stdout).toMatch(/^\d{6}\n$/);
  });

  it.each([
    ['UNKNOWN_LABEL', { label: 'nope' }],
    ['WINDOW_MISMATCH', { label: 'nowhere' }], // no windows: never typed
    ['WINDOW_MISMATCH', { label: 'vpn' }, 'Notes'], // another window focused
    ['UNTYPEABLE', { label: 'vpn-unicode' }, 'Acme VPN'],
    ['NO_FILLABLE_FIELD', { label: 'vpn-pw-only', field: 'username' }, 'Acme VPN'],
    ['NO_FILLABLE_FIELD', { label: 'vpn-pw-only', field: 'totp' }, 'Acme VPN'],
    ['INVALID_REQUEST', { label: 'Not A Label' }],
  ] as const)('%s for %j (focused: %s)', async (code, args, focused?: string) => {
    const d = focused ? await openFocused(xs, x.display, ['--entry'], focused) : null;
    const r = await mcp.call('type_credential', args);
    expect(r.isError).toBe(true);
    expect(r.structured).toMatchObject({ ok: false, code });
    expect(typeof r.structured.message).toBe('string');
    if (d) expect(await submitDialog(xs, d)).toBe('\n'); // the focused window received nothing
  });

  it('a sequence with an unknown placeholder is refused when it is added, so it can never be typed', async () => {
    const r = await home.run(['add', '--json-stdin'], JSON.stringify({ label: 'vpn-badseq', password, windows: ['Acme VPN'], sequence: '{PASSWORD}{CLEARFIELD}' }));
    expect(r.stderr).toMatch(/^error INVALID_REQUEST: .*sequence/);
    expect((await mcp.call('type_credential', { label: 'vpn-badseq' })).structured).toMatchObject({ code: 'UNKNOWN_LABEL' });
  });

  it('INVALID_REQUEST for a field outside the enum', async () => {
    const r = await mcp.call('type_credential', { label: 'vpn', field: 'pin' });
    expect(r.isError).toBe(true);
    // The SDK validates the input schema first; either way no key is pressed.
    expect(`${r.structured.code ?? ''} ${r.text}`).toMatch(/INVALID_REQUEST|Invalid|invalid/);
  });

  it('UNSUPPORTED_DISPLAY from a daemon started without DISPLAY', async () => {
    const r = await bareMcp.call('type_credential', { label: 'vpn' });
    expect(r.isError).toBe(true);
    expect(r.structured).toMatchObject({ ok: false, code: 'UNSUPPORTED_DISPLAY' });
    expect(r.structured.message).toMatch(/DISPLAY/);
  });

  it('VAULT_LOCKED once the vault is locked', async () => {
    await home.run(['lock']);
    try {
      const r = await mcp.call('type_credential', { label: 'vpn' });
      expect(r.structured).toMatchObject({ ok: false, code: 'VAULT_LOCKED' });
    } finally {
      await home.run(['unlock', '--passphrase-stdin'], PASS);
    }
  });

  it('the transcripts and the logs hold no secret in any encoding', () => {
    const all = [...mcp.transcript, ...bareMcp.transcript, mcp.stderr(), bareMcp.stderr(), home.readLogs(), bare.readLogs()].join('\n');
    expect(mcp.transcript.length).toBeGreaterThan(10);
    for (const secret of [password, `${password}é`, seed]) {
      for (const { form, value } of namedEncodings(secret)) expect(all.includes(value), `secret as ${form}`).toBe(false);
    }
  });
});
