import { describe, expect, it } from 'vitest';
import type { DesktopKeyboard, FocusedWindow, KeyStroke } from './desktop.js';
import { parseSequence } from '../../shared/sequence.js';
import { buildPlan, preflight, typePlan, wipePlan } from './typer.js';

/** A keyboard that records what it typed; focus and layout are scripted. */
class FakeKeyboard implements DesktopKeyboard {
  readonly describe = 'a fake display';
  typed = '';
  checks = 0;
  altered = false;
  /** Called before each focus check with the number of keys typed so far. */
  focusAt: (keys: number) => FocusedWindow | null = () => ({ id: '7', title: 'Acme VPN' });
  layout = (cp: number) => cp >= 0x20 && cp < 0x7f;
  keys = 0;
  async focused() {
    this.checks++;
    return this.focusAt(this.keys);
  }
  async program() {
    return { classes: ['zenity', 'Zenity'] };
  }
  async keyboardStateAltered() {
    return this.altered;
  }
  async untypeable(strokes: readonly KeyStroke[]) {
    return strokes.filter((k) => k.kind === 'char' && !this.layout(k.cp)).length;
  }
  async tap(k: KeyStroke) {
    this.keys++;
    this.typed += k.kind === 'char' ? String.fromCodePoint(k.cp) : k.kind === 'tab' ? '⇥' : '⏎';
  }
  async close() {}
}

const acme: FocusedWindow = { id: '7', title: 'Acme VPN' };
const secrets = { username: Buffer.from('alice'), password: Buffer.from('p4ss wörd!'), hasTotp: true };
const hooks = (over: Partial<Parameters<typeof typePlan>[3]> = {}) => ({
  titleStillMatches: (t: string) => t === 'Acme VPN',
  totpNow: () => '123456',
  stillAllowed: () => null,
  sleep: async () => undefined,
  ...over,
});
const steps = (seq: string) => {
  const r = parseSequence(seq);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const plan = (seq: string, s = secrets) => {
  const r = buildPlan('vpn', steps(seq), s);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('buildPlan', () => {
  it('NO_FILLABLE_FIELD for a field the credential lacks', () => {
    expect(buildPlan('vpn', steps('{USERNAME}'), { password: Buffer.from('x'), hasTotp: false })).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD' });
    expect(buildPlan('vpn', steps('{PASSWORD}'), { username: Buffer.from('x'), password: Buffer.alloc(0), hasTotp: false })).toMatchObject({
      ok: false,
      code: 'NO_FILLABLE_FIELD',
    });
    expect(buildPlan('vpn', steps('{TOTP}'), { hasTotp: false })).toMatchObject({ ok: false, code: 'NO_FILLABLE_FIELD', message: '"vpn" has no TOTP seed to type' });
  });

  it('wipePlan zeroes every code point array', () => {
    const p = plan('{USERNAME}{TAB}{PASSWORD}');
    wipePlan(p);
    for (const part of p.parts) if (part.kind === 'chars') expect(Array.from(part.chars).every((c) => c === 0)).toBe(true);
  });
});

describe('typePlan', () => {
  it('types the sequence and checks focus before every key', async () => {
    const kb = new FakeKeyboard();
    const r = await typePlan(kb, acme, plan('{USERNAME}{TAB}{PASSWORD}{ENTER}', { ...secrets, password: Buffer.from('p4ss!') }), hooks());
    expect(r).toEqual({ ok: true, value: { keys: 12 } });
    expect(kb.typed).toBe('alice⇥p4ss!⏎');
    expect(kb.checks).toBe(12);
  });

  it('computes the one-time code when {TOTP} is reached, not before', async () => {
    const kb = new FakeKeyboard();
    let asked = -1;
    const r = await typePlan(kb, acme, plan('{USERNAME}{DELAY 5}{TOTP}'), hooks({ totpNow: () => {
          asked = kb.keys;
          return '654321';
        },
      }));
    expect(r.ok).toBe(true);
    expect(asked).toBe(5);
    expect(kb.typed).toBe('alice654321');
  });

  it('stops at once when focus moves to another window (WINDOW_MISMATCH, nothing more typed)', async () => {
    const kb = new FakeKeyboard();
    kb.focusAt = (keys) => (keys < 3 ? acme : { id: '9', title: 'Notes' });
    const r = await typePlan(kb, acme, plan('{PASSWORD}'), hooks());
    expect(r).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(!r.ok && r.message).toMatch(/from "Acme VPN" to "Notes"/);
    expect(kb.typed).toBe('p4s');
  });

  it('stops when the same title appears on another window (identity, not only title)', async () => {
    const kb = new FakeKeyboard();
    kb.focusAt = (keys) => (keys < 1 ? acme : { id: '8', title: 'Acme VPN' });
    expect(await typePlan(kb, acme, plan('{PASSWORD}'), hooks())).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(kb.typed).toBe('p');
  });

  it('stops when the window keeps its id but its title no longer matches (a browser tab switch)', async () => {
    const kb = new FakeKeyboard();
    kb.focusAt = (keys) => (keys < 2 ? acme : { id: '7', title: 'Evil page' });
    expect(await typePlan(kb, acme, plan('{PASSWORD}'), hooks())).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(kb.typed).toBe('p4');
  });

  it('stops when nothing has focus any more', async () => {
    const kb = new FakeKeyboard();
    kb.focusAt = (keys) => (keys < 1 ? acme : null);
    const r = await typePlan(kb, acme, plan('{PASSWORD}'), hooks());
    expect(r).toMatchObject({ ok: false, code: 'WINDOW_MISMATCH' });
    expect(!r.ok && r.message).toMatch(/to no window/);
  });

  it('stops when the vault locks while typing', async () => {
    const kb = new FakeKeyboard();
    const r = await typePlan(kb, acme, plan('{PASSWORD}'), hooks({ stillAllowed: () => (kb.keys >= 4 ? { ok: false, code: 'VAULT_LOCKED', message: 'the vault is locked' } : null) }));
    expect(r).toMatchObject({ ok: false, code: 'VAULT_LOCKED' });
    expect(kb.typed).toBe('p4ss');
  });

  it('no message carries a value', async () => {
    const kb = new FakeKeyboard();
    kb.focusAt = (keys) => (keys < 3 ? acme : { id: '9', title: 'Notes' });
    const r = await typePlan(kb, acme, plan('{USERNAME}{PASSWORD}'), hooks());
    expect(!r.ok && r.message).not.toMatch(/alice|p4ss/);
  });
});

describe('preflight', () => {
  it('passes when every character is on the layout', async () => {
    expect(await preflight(new FakeKeyboard(), 'vpn', plan('{USERNAME}{TAB}{PASSWORD}', { ...secrets, password: Buffer.from('ok') }))).toBeNull();
  });

  it('UNTYPEABLE names the field, not the character', async () => {
    const f = await preflight(new FakeKeyboard(), 'vpn', plan('{USERNAME}{TAB}{PASSWORD}'));
    expect(f).toMatchObject({ code: 'UNTYPEABLE' });
    expect(f?.message).toMatch(/the password of "vpn"/);
    expect(f?.message).toMatch(/nothing was typed/);
    expect(f?.message).not.toMatch(/ö|wörd/);
  });

  it('checks the digits of a one-time code and the Tab/Enter keys', async () => {
    const kb = new FakeKeyboard();
    kb.layout = (cp) => cp >= 0x61 && cp <= 0x7a; // letters only
    expect(await preflight(kb, 'vpn', plan('{USERNAME}{TOTP}'))).toMatchObject({ code: 'UNTYPEABLE', message: expect.stringMatching(/one-time code/) });
  });

  it('refuses while Caps Lock or a modifier is active', async () => {
    const kb = new FakeKeyboard();
    kb.altered = true;
    expect(await preflight(kb, 'vpn', plan('{USERNAME}'))).toMatchObject({ code: 'UNTYPEABLE', message: expect.stringMatching(/Caps Lock/) });
  });
});
