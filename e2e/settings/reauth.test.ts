/**
 * The settings page as an agent driving the browser would use it, through the real
 * extension relay, native host and daemon: `unlock` while unlocked checks the passphrase
 * (a wrong one no longer succeeds and sets a 7-day idle timeout); remove, generating over
 * a stored password and replacing a stored value need the passphrase (REAUTH_REQUIRED
 * without it, BAD_PASSPHRASE with a wrong one, nothing changed); passphrase checks are
 * throttled (RATE_LIMITED, audited). The vault owner's CLI needs none of it.
 */
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../browser/setup.js';
import { PASS } from '../core/cli.js';
import { addViaCli, card, openSettings, until, vaultList } from './helpers.js';

let s: Stack;
let page: Page;

beforeAll(async () => {
  s = await startStack();
  await addViaCli(s, [
    { label: 'keep', username: 'alice', password: 'pw-keep-123', origins: ['https://keep.example'] },
    { label: 'empty', origins: ['https://empty.example'] },
    { label: 'cli-only', password: 'pw-cli-123' },
  ]);
  page = await openSettings(s);
});
afterAll(async () => {
  await s?.close();
});

const send = (op: string, params: Record<string, unknown>) =>
  page.evaluate((m) => chrome.runtime.sendMessage(m), { kind: 'daemon', op, params }) as Promise<{ ok: boolean; code?: string; message?: string; result?: unknown }>;
const status = async () => JSON.parse((await s.home.run(['status', '--json'])).stdout) as { vault: string; idle_timeout_s?: number };
const auditText = () => s.home.readLogs();

describe('unlock while unlocked', () => {
  it('a wrong passphrase is refused (BAD_PASSPHRASE) and the idle timeout stays', async () => {
    expect(await status()).toMatchObject({ vault: 'unlocked', idle_timeout_s: 1800 });
    const r = await send('unlock', { passphrase: 'not the passphrase', idle_timeout_s: 7 * 24 * 3600 });
    expect(r).toMatchObject({ ok: false, code: 'BAD_PASSPHRASE' });
    expect(await status()).toMatchObject({ vault: 'unlocked', idle_timeout_s: 1800 });
    // The right one may raise it: that is the re-authentication.
    const ok = await send('unlock', { passphrase: PASS, idle_timeout_s: 3600 });
    expect(ok).toMatchObject({ ok: true, result: { idle_timeout_s: 3600 } });
    expect(await status()).toMatchObject({ idle_timeout_s: 3600 });
  });
});

describe('destructive changes need the passphrase', () => {
  it('remove: REAUTH_REQUIRED without it, BAD_PASSPHRASE with a wrong one; nothing removed; refusals audited', async () => {
    const before = await vaultList(s);
    expect(await send('remove', { label: 'keep' })).toMatchObject({ ok: false, code: 'REAUTH_REQUIRED' });
    expect(await send('remove', { label: 'keep', passphrase: 'wrong horse' })).toMatchObject({ ok: false, code: 'BAD_PASSPHRASE' });
    expect(await vaultList(s)).toEqual(before);
    expect(auditText()).toMatch(/"event":"refusal","label":"keep"[^\n]*"code":"REAUTH_REQUIRED"/);
    expect(auditText()).toMatch(/"event":"refusal","label":"keep"[^\n]*"code":"BAD_PASSPHRASE"/);
  });

  it('generate over a stored password needs it; on a credential without one it does not', async () => {
    expect(await send('generate', { label: 'keep' })).toMatchObject({ ok: false, code: 'REAUTH_REQUIRED' });
    expect(await send('generate', { label: 'empty' })).toMatchObject({ ok: true });
    expect((await vaultList(s)).find((c) => c.label === 'empty')).toMatchObject({ has_password: true });
    expect(await send('generate', { label: 'keep', passphrase: PASS })).toMatchObject({ ok: true });
  });

  it('replacing or clearing a stored value needs it; setting one where none was does not', async () => {
    for (const changes of [{ password: 'agent-chosen-1' }, { password: null }, { username: 'mallory' }]) {
      expect(await send('update', { label: 'keep', changes })).toMatchObject({ ok: false, code: 'REAUTH_REQUIRED' });
    }
    expect(await send('update', { label: 'empty', changes: { username: 'bob' } })).toMatchObject({ ok: true });
    expect(await send('update', { label: 'keep', changes: { username: 'alice2' }, passphrase: PASS })).toMatchObject({ ok: true });
  });

  it('the page asks for the passphrase in the Remove dialog; a wrong one removes nothing, the right one removes', async () => {
    await page.reload();
    await page.waitForSelector('#view-list:not([hidden])');
    await card(page, 'empty').getByRole('button', { name: 'Remove…' }).click();
    const dialog = page.locator('#remove');
    await until(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await until(() => dialog.locator('#remove-err').textContent()).toMatch(/Enter the vault passphrase/);
    await dialog.getByLabel('Vault passphrase').fill('wrong horse');
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await until(() => dialog.locator('#remove-err').textContent()).toBe('Wrong passphrase: nothing was removed.');
    expect((await vaultList(s)).map((c) => c.label)).toContain('empty');
    await dialog.getByLabel('Vault passphrase').fill(PASS);
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await until(() => card(page, 'empty').count()).toBe(0);
    expect((await vaultList(s)).map((c) => c.label)).not.toContain('empty');
  });

  it('the owner’s CLI removes without re-authentication (scripts keep working)', async () => {
    const r = await s.home.run(['remove', 'cli-only']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('passphrase checks are throttled', () => {
  it('after three wrong guesses the next check waits (RATE_LIMITED, even for the right one), audited; then it passes', async () => {
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) codes.push((await send('unlock', { passphrase: `guess-${i}` })).code);
    expect(codes).toEqual(['BAD_PASSPHRASE', 'BAD_PASSPHRASE', 'BAD_PASSPHRASE']);
    const limited = await send('remove', { label: 'keep', passphrase: PASS });
    expect(limited).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(limited.message).toMatch(/in \d+ s/);
    const fromCli = await s.home.run(['unlock', '--passphrase-stdin'], 'guess-cli');
    expect(fromCli.stderr).toMatch(/^error RATE_LIMITED: /);
    expect(auditText()).toMatch(/"event":"refusal"[^\n]*"code":"RATE_LIMITED"/);
    expect((await vaultList(s)).map((c) => c.label)).toContain('keep');
    // The wait is a second after the third failure: then the right passphrase passes and resets it.
    await until(async () => (await send('unlock', { passphrase: PASS })).ok).toBe(true);
    expect((await send('unlock', { passphrase: 'guess-again' })).code).toBe('BAD_PASSPHRASE');
  });
});
