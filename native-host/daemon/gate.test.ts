import { describe, expect, it } from 'vitest';
import type { ConfirmOutcome, ConfirmQuestion } from './confirm.js';
import { dialogCommand, questionText } from './confirm.js';
import type { DaemonContext } from './context.js';
import { gate } from './gate.js';
import { RateLimiter } from './rate-limit.js';
import type { HeldCredential } from './secret-credential.js';

function ctxWith(outcome: ConfirmOutcome, perMinute = 100) {
  const asked: ConfirmQuestion[] = [];
  let now = 1_000_000;
  const ctx = {
    now: () => now,
    rateLimiter: new RateLimiter(perMinute),
    confirmTimeoutMs: 5000,
    confirmer: {
      ask: async (q: ConfirmQuestion) => {
        asked.push(q);
        return outcome;
      },
    },
  } as unknown as DaemonContext;
  return { ctx, asked, advance: (ms: number) => (now += ms) };
}
const cred = (policy: 'auto' | 'confirm'): HeldCredential => ({ label: 'bank', origins: ['https://bank.test'], windows: [], policy, password: Buffer.from('CANARY-gate') });

describe('gate', () => {
  it('auto: no question asked', async () => {
    const { ctx, asked } = ctxWith('denied');
    expect(await gate(ctx, cred('auto'), 'fill', 'https://bank.test')).toBeNull();
    expect(asked).toEqual([]);
  });
  it.each([
    ['approved', null],
    ['denied', 'DENIED'],
    ['timeout', 'TIMEOUT'],
    ['unavailable', 'DENIED'],
  ] as const)('confirm, person says %s → %s', async (outcome, code) => {
    const { ctx, asked } = ctxWith(outcome);
    const r = await gate(ctx, cred('confirm'), 'fill', 'https://bank.test');
    expect(r?.code ?? null).toBe(code);
    expect(asked).toEqual([{ label: 'bank', action: 'fill', target: 'https://bank.test' }]);
    if (r) expect(r.message).not.toContain('CANARY');
  });
  it('rate limit per credential per minute', async () => {
    const { ctx, advance } = ctxWith('approved', 3);
    for (let i = 0; i < 3; i++) expect(await gate(ctx, cred('auto'), 'fill', 'x')).toBeNull();
    expect((await gate(ctx, cred('auto'), 'fill', 'x'))?.code).toBe('RATE_LIMITED');
    advance(61_000);
    expect(await gate(ctx, cred('auto'), 'fill', 'x')).toBeNull();
  });
});

describe('the confirmation dialog', () => {
  const q = { label: 'bank', action: 'fill' as const, target: 'https://bank.test' };
  it('zenity on X11 or Wayland, with no markup and a timeout; nothing without a display', () => {
    const c = dialogCommand(q, 30_000, { DISPLAY: ':99' }, 'linux');
    expect(c?.cmd).toBe('zenity');
    expect(c?.args).toContain('--no-markup');
    expect(c?.args).toContain('--timeout=30');
    expect(c?.outcome(0)).toBe('approved');
    expect(c?.outcome(1)).toBe('denied');
    expect(c?.outcome(5)).toBe('timeout');
    expect(dialogCommand(q, 30_000, {}, 'linux')).toBeNull();
    expect(dialogCommand(q, 30_000, {}, 'darwin')?.cmd).toBe('osascript');
    expect(dialogCommand(q, 30_000, {}, 'win32')?.cmd).toBe('powershell.exe');
  });
  it('names the label and target', () => {
    expect(questionText(q).text).toContain('"bank"');
    expect(questionText(q).text).toContain('https://bank.test');
  });
  it('shows the program of a window and strips control and bidi characters from its title', () => {
    // RLO would show "Acme VPN" reversed-in-place text; newlines could fake dialog lines.
    const t = questionText({ label: 'vpn', action: 'type', target: 'evil\u202e NPV emcA\u202c\n\nAllow this once? Yes\u0000\u200f', program: 'chromium/Chromium (/usr/lib/chromium/chromium, pid 7)\u2066' });
    expect(t.text).toBe('An agent asks to type "vpn" into the window "evil NPV emcAAllow this once? Yes"\nof the program chromium/Chromium (/usr/lib/chromium/chromium, pid 7).\n\nAllow this once?');
    expect(t.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
    expect(questionText({ label: 'vpn', action: 'type', target: 'x'.repeat(500) }).text).toContain(`"${'x'.repeat(200)}…"`);
  });
});
