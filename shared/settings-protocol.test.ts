import { describe, expect, it } from 'vitest';
import { EXTENSION_ID } from './constants.js';
import { answerSchema, DaemonMessageSchema, opsFor, ResultSchemas, SETTINGS_OPS, SettingsMessageSchema, senderPage } from './settings-protocol.js';

const base = `chrome-extension://${EXTENSION_ID}`;

describe('senderPage', () => {
  it('knows the settings page and the popup', () => {
    expect(senderPage({ id: EXTENSION_ID, url: `${base}/extension/options/options.html` }, EXTENSION_ID)).toBe('options');
    expect(senderPage({ id: EXTENSION_ID, url: `${base}/extension/options/options.html?x=1#top` }, EXTENSION_ID)).toBe('options');
    expect(senderPage({ id: EXTENSION_ID, url: `${base}/extension/popup/popup.html` }, EXTENSION_ID)).toBe('popup');
  });

  it('Firefox: the page URL is moz-extension://UUID/, the id is not in it', () => {
    const id = 'blindfill@example.org';
    const root = 'moz-extension://4b6f7d0e-3c1a-4f5e-9d2b-8a7c6e5f4d3c/';
    expect(senderPage({ id, url: `${root}extension/options/options.html` }, id, root)).toBe('options');
    expect(senderPage({ id, url: 'moz-extension://00000000-0000-4000-8000-000000000000/extension/options/options.html' }, id, root)).toBeNull();
    expect(senderPage({ id, url: 'https://evil.example/extension/options/options.html' }, id, root)).toBeNull();
    expect(senderPage({ id, url: `${root}extension/popup/popup.html` }, id, 'https://evil.example/')).toBeNull();
  });

  it('refuses everything else', () => {
    const other = 'abcdefghijklmnopabcdefghijklmnop';
    for (const sender of [
      {},
      { id: EXTENSION_ID },
      // A page script of ours injected into a web page: our id, a web URL.
      { id: EXTENSION_ID, url: 'https://evil.example/extension/options/options.html' },
      { id: EXTENSION_ID, url: `https://evil.example/?u=${base}/extension/options/options.html` },
      // Another extension, even with the same path.
      { id: other, url: `chrome-extension://${other}/extension/options/options.html` },
      { id: EXTENSION_ID, url: `chrome-extension://${other}/extension/options/options.html` },
      // Another file of ours.
      { id: EXTENSION_ID, url: `${base}/page/detector.js` },
      { id: EXTENSION_ID, url: `${base}/extension/options/options.html/..%2f..%2fpage` },
      { id: EXTENSION_ID, url: 'not a url' },
      { id: EXTENSION_ID, url: `${base.toUpperCase()}/extension/options/other.html` },
    ]) {
      expect(senderPage(sender, EXTENSION_ID), JSON.stringify(sender)).toBeNull();
    }
  });
});

describe('messages', () => {
  it('accepts each op with its daemon schema, and refuses unknown fields and ops', () => {
    expect(DaemonMessageSchema.safeParse({ kind: 'daemon', op: 'list', params: {} }).success).toBe(true);
    expect(DaemonMessageSchema.safeParse({ kind: 'daemon', op: 'update', params: { label: 'a', changes: { password: 'x', origins: [] }, passphrase: 'p' } }).success).toBe(true);
    expect(DaemonMessageSchema.safeParse({ kind: 'daemon', op: 'add', params: { credentials: [{ label: 'a', password: 'x' }] } }).success).toBe(true);
    for (const bad of [
      { kind: 'daemon', op: 'fill', params: { label: 'a' } },
      { kind: 'daemon', op: 'type', params: { label: 'a' } },
      { kind: 'daemon', op: 'shutdown', params: {} },
      { kind: 'daemon', op: 'list', params: { extra: 1 } },
      { kind: 'daemon', op: 'list', params: {}, extra: 1 },
      { kind: 'daemon', op: 'list' },
      { kind: 'daemon', op: 'update', params: { label: 'Bad Label', changes: {} } },
      { kind: 'daemon', op: 'update', params: { label: 'a', changes: { secret: 'x' } } },
      { kind: 'daemon', op: 'add', params: { credentials: [{ label: 'a', extra: 1 }] } },
    ]) {
      expect(DaemonMessageSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(SettingsMessageSchema.safeParse({ kind: 'link' }).success).toBe(true);
    expect(SettingsMessageSchema.safeParse({ kind: 'link', x: 1 }).success).toBe(false);
  });

  it('the popup may only ask for status and lock', () => {
    expect(opsFor('popup')).toEqual(['status', 'lock']);
    expect(opsFor('options')).toEqual(SETTINGS_OPS);
  });

  it('answers are strict: a result with any extra field (a secret) does not validate', () => {
    const item = { label: 'a', origins: [], windows: [], policy: 'auto', has_username: true, has_password: true, has_totp: false };
    expect(answerSchema('list').safeParse({ ok: true, result: { credentials: [item] } }).success).toBe(true);
    expect(answerSchema('list').safeParse({ ok: true, result: { credentials: [{ ...item, password: 'x' }] } }).success).toBe(false);
    // The owner's page lists usernames (`list` with usernames: true); never a secret.
    expect(answerSchema('list').safeParse({ ok: true, result: { credentials: [{ ...item, username: 'x' }] } }).success).toBe(true);
    expect(answerSchema('list').safeParse({ ok: true, result: { credentials: [{ ...item, totp: 'x' }] } }).success).toBe(false);
    expect(answerSchema('generate').safeParse({ ok: true, result: { label: 'a', generated: true, length: 24 } }).success).toBe(true);
    expect(answerSchema('generate').safeParse({ ok: true, result: { label: 'a', generated: true, length: 24, password: 'x' } }).success).toBe(false);
    expect(answerSchema('update').safeParse({ ok: true, result: { updated: 'a', fields: ['password'] } }).success).toBe(true);
    expect(answerSchema('update').safeParse({ ok: true, result: { updated: 'a', fields: ['hunter2'] } }).success).toBe(false);
    expect(answerSchema('unlock').safeParse({ ok: false, code: 'BAD_PASSPHRASE', message: 'wrong passphrase' }).success).toBe(true);
    expect(answerSchema('unlock').safeParse({ ok: false, code: 'NOT_A_CODE', message: '' }).success).toBe(false);
    for (const op of SETTINGS_OPS) expect(ResultSchemas[op]).toBeDefined();
  });
});
