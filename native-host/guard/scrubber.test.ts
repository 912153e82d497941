import { describe, expect, it } from 'vitest';
import { totpCode } from '../../shared/totp.js';
import { base32Decode, codesAround, hotp } from './codes.js';
import { type ScrubCredential, SecretScrubber } from './scrubber.js';

const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // RFC 6238 SHA1 key "12345678901234567890"

const text = (sc: SecretScrubber, s: string): string => {
  const r = sc.scrub([Buffer.from(s)]);
  if (!r.ok) throw new Error(r.code);
  return Buffer.from(r.value.out[0]!).toString();
};

describe('one-time codes', () => {
  it('base32 decoding and HOTP/TOTP agree with the vault\'s TOTP code (RFC 6238 vectors)', () => {
    expect(base32Decode(Buffer.from(SEED))?.toString()).toBe('12345678901234567890');
    expect(base32Decode(Buffer.from('not base32!'))).toBeNull();
    const key = base32Decode(Buffer.from(SEED))!;
    expect(hotp(key, 1, 8, 'SHA1').toString()).toBe('94287082'); // T = 59 s
    for (const alg of ['SHA1', 'SHA256', 'SHA512'] as const) {
      for (const t of [59_000, 1_111_111_109_000, 2_000_000_000_000]) {
        const p = { secret: SEED, digits: 6, period: 30, algorithm: alg };
        const ours = codesAround({ secret: Buffer.from(SEED), digits: 6, period: 30, algorithm: alg }, t, 0)[0]!.toString();
        expect(ours).toBe(totpCode(p, t));
      }
    }
  });
});

describe('SecretScrubber', () => {
  let now = 1_700_000_000_000;
  let creds: ScrubCredential[] | null = [
    { label: 'bank', password: Buffer.from('hunter2-but-longer') },
    { label: 'shop', totp: { secret: Buffer.from(SEED), digits: 6, period: 30, algorithm: 'SHA1' } },
  ];
  const sc = new SecretScrubber({ source: () => creds, now: () => now });
  const code = (t: number) => totpCode({ secret: SEED, digits: 6, period: 30, algorithm: 'SHA1' }, t);

  it('replaces passwords, seeds and the codes valid now (±1 period) with [blindfill:LABEL]', () => {
    expect(text(sc, 'pw=hunter2-but-longer;')).toBe('pw=[blindfill:bank];');
    expect(text(sc, `otpauth://totp/x?secret=${SEED}&issuer=x`)).toBe('otpauth://totp/x?secret=[blindfill:shop]&issuer=x');
    for (const d of [-1, 0, 1]) expect(text(sc, `code ${code(now + d * 30_000)}.`)).toBe('code [blindfill:shop].');
    const far = code(now + 5 * 30_000);
    if (![-1, 0, 1].some((d) => code(now + d * 30_000) === far)) expect(text(sc, `code ${far}.`)).toBe(`code ${far}.`);
  });

  it('computes codes at scrub time: after the period changes, the new code is caught', () => {
    now += 10 * 30_000;
    const c = code(now);
    expect(text(sc, `code ${c}`)).toBe('code [blindfill:shop]');
    expect(text(sc, `b64 ${Buffer.from(c).toString('base64')}`)).toBe('b64 [blindfill:shop]');
  });

  it('fails closed when the vault is locked, and zeroes its patterns', () => {
    text(sc, 'warm');
    const fixed = (sc as unknown as { built: { fixed: { data: Uint8Array } } }).built.fixed;
    const data = fixed.data;
    expect(data.some((b) => b !== 0)).toBe(true);
    creds = null;
    const r = sc.scrub([Buffer.from('hunter2-but-longer')]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('VAULT_LOCKED');
    expect(data.every((b) => b === 0)).toBe(true);
    const s = sc.scrubStream(Buffer.from('x'), true);
    expect(s.ok).toBe(false);
  });

  it('rebuilds after invalidate() (a vault change)', () => {
    creds = [{ label: 'new', password: Buffer.from('brand-new-secret') }];
    sc.invalidate();
    expect(text(sc, 'brand-new-secret hunter2-but-longer')).toBe('[blindfill:new] hunter2-but-longer');
  });

  it('never changes the vault\'s own secret Buffers (it copies, and zeroes only its copies)', () => {
    const pw = Buffer.from('keep-me-intact-123');
    const seed = Buffer.from(SEED);
    const s2 = new SecretScrubber({ source: () => [{ label: 'a', password: pw, totp: { secret: seed, digits: 6, period: 30, algorithm: 'SHA1' } }] });
    expect(text(s2, 'keep-me-intact-123')).toBe('[blindfill:a]');
    s2.invalidate();
    expect(pw.toString()).toBe('keep-me-intact-123');
    expect(seed.toString()).toBe(SEED);
  });

  it('reports a password too short to scrub by label only', () => {
    const logs: string[] = [];
    const s2 = new SecretScrubber({ source: () => [{ label: 'tiny', password: Buffer.from('abc') }], log: (m) => logs.push(m) });
    expect(text(s2, 'abc')).toBe('abc');
    expect(logs.join('\n')).toContain('"tiny"');
    expect(logs.join('\n')).not.toContain('abc');
  });
});
