import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { parseTotp, totpCode } from './totp.js';

// RFC 6238 Appendix B: 8 digits, 30 s period, ASCII seeds of 20/32/64 bytes.
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];
const b32 = (ascii: string) => OTPAuth.Secret.fromLatin1(ascii).base32;

describe('TOTP: RFC 6238 Appendix B', () => {
  for (const [t, sha1, sha256, sha512] of VECTORS) {
    it(`T=${t}`, () => {
      for (const [alg, want] of [['SHA1', sha1], ['SHA256', sha256], ['SHA512', sha512]] as const) {
        const p = parseTotp({ secret: b32(SEEDS[alg]), digits: 8, period: 30, algorithm: alg });
        if (!p.ok) throw new Error(p.message);
        expect(totpCode(p.value, t * 1000), alg).toBe(want);
      }
    });
  }
});

describe('TOTP input forms', () => {
  it('otpauth:// URI with parameters', () => {
    const uri = `otpauth://totp/ACME:alice?secret=${b32(SEEDS.SHA256)}&algorithm=SHA256&digits=8&period=60&issuer=ACME`;
    const p = parseTotp(uri);
    expect(p.ok && p.value).toEqual({ secret: b32(SEEDS.SHA256), digits: 8, period: 60, algorithm: 'SHA256' });
  });
  it('bare base32 seed, spaces and lower case tolerated, defaults 6/30/SHA1', () => {
    const p = parseTotp('jbsw y3dp ehpk 3pxp');
    expect(p.ok && p.value).toEqual({ secret: 'JBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'SHA1' });
  });
  it('7 digits and an odd period', () => {
    const p = parseTotp({ secret: 'JBSWY3DPEHPK3PXP', digits: 7, period: 45 });
    expect(p.ok).toBe(true);
    if (p.ok) expect(totpCode(p.value, 0)).toMatch(/^\d{7}$/);
  });
  it.each([
    ['hotp URI', 'otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1'],
    ['not base32', 'hello world!'],
    ['too short', 'JBSW'],
    ['too short inside a URI', 'otpauth://totp/x?secret=JBSWY3DP'],
    ['garbage URI', 'otpauth://totp/x?secret=%%%'],
  ])('refuses %s without echoing it', (_n, input) => {
    const p = parseTotp(input);
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.code).toBe('INVALID_REQUEST');
      expect(p.message).not.toContain('JBSWY3DPEHPK3PXP');
    }
  });
  it('refuses 5 and 9 digits', () => {
    expect(parseTotp({ secret: 'JBSWY3DPEHPK3PXP', digits: 5 } as never).ok).toBe(false);
    expect(parseTotp('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9').ok).toBe(false);
  });
});
