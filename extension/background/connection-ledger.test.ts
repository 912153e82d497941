/**
 * The TLS ledger's decisions: which origins a certificate error taints, Firefox's
 * security-info verdicts, per-frame records, and what survives a worker restart.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionLedger, isCertError, judgeSecurityInfo, type SessionStore, type StoredLedger } from './connection-ledger.js';

const BANK = 'https://bank.test:8443';

function memoryStore(): SessionStore & { value: unknown } {
  const s = {
    value: undefined as unknown,
    async get() {
      return s.value;
    },
    async set(v: StoredLedger) {
      s.value = structuredClone(v);
    },
  };
  return s;
}

const SECURE = { state: 'secure', isUntrusted: false, isDomainMismatch: false, isNotValidAtThisTime: false };

describe('judgeSecurityInfo (Firefox)', () => {
  it('secure only for state "secure" with no error and no accepted exception', () => {
    expect(judgeSecurityInfo(SECURE)).toEqual({ secure: true, why: '' });
    expect(judgeSecurityInfo({ ...SECURE, isUntrusted: true }).secure).toBe(false);
    expect(judgeSecurityInfo({ ...SECURE, isDomainMismatch: true }).secure).toBe(false);
    expect(judgeSecurityInfo({ ...SECURE, isNotValidAtThisTime: true }).secure).toBe(false);
    expect(judgeSecurityInfo({ ...SECURE, overridableErrorCategory: 'trust-error' })).toEqual({ secure: false, why: 'certificate error accepted (trust-error)' });
    for (const state of ['insecure', 'weak', 'broken', undefined]) expect(judgeSecurityInfo({ ...SECURE, state }).secure).toBe(false);
    expect(judgeSecurityInfo(null).secure).toBe(false);
  });
});

describe('isCertError (Chromium navigation errors)', () => {
  it('net::ERR_CERT_* only', () => {
    expect(isCertError('net::ERR_CERT_AUTHORITY_INVALID')).toBe(true);
    expect(isCertError('net::ERR_CERT_COMMON_NAME_INVALID')).toBe(true);
    expect(isCertError('net::ERR_CERT_DATE_INVALID')).toBe(true);
    expect(isCertError('net::ERR_ABORTED')).toBe(false);
    expect(isCertError('net::ERR_CONNECTION_REFUSED')).toBe(false);
  });
});

describe('ConnectionLedger (Chromium: certificate errors only)', () => {
  it('a certificate error taints that scheme, host and port for the session, in every frame', async () => {
    const l = new ConnectionLedger(memoryStore(), false);
    expect(await l.problem(1, [{ frameId: 0, origin: BANK }])).toBeNull();
    await l.certError(`${BANK}/login?next=%2F`);
    expect(await l.problem(1, [{ frameId: 0, origin: BANK }])).toMatch(/certificate error for https:\/\/bank\.test:8443 /);
    expect(await l.problem(2, [{ frameId: 9, origin: BANK }])).not.toBeNull();
    expect(await l.problem(1, [{ frameId: 0, origin: 'https://bank.test:9443' }])).toBeNull();
    expect(await l.problem(1, [{ frameId: 0, origin: 'https://other.test:8443' }], [BANK])).not.toBeNull();
  });

  it('the message names the origin, never the path or query', async () => {
    const l = new ConnectionLedger(memoryStore(), false);
    await l.certError(`${BANK}/reset?token=s3cr3t`);
    expect(await l.problem(1, [{ frameId: 0, origin: BANK }])).not.toMatch(/reset|token|s3cr3t/);
  });

  it('loopback http: is not TLS and stays fillable', async () => {
    const l = new ConnectionLedger(memoryStore(), false);
    await l.certError('http://127.0.0.1:8080/');
    expect(await l.problem(1, [{ frameId: 0, origin: 'http://127.0.0.1:8080' }])).toBeNull();
  });

  it('a restarted worker keeps the taint (storage.session), and events during its load are kept too', async () => {
    const store = memoryStore();
    await new ConnectionLedger(store, false).certError(`${BANK}/`);
    const again = new ConnectionLedger(store, false);
    void again.certError('https://evil.test/');
    expect(await again.problem(1, [{ frameId: 0, origin: BANK }])).not.toBeNull();
    expect(await again.problem(1, [{ frameId: 0, origin: 'https://evil.test' }])).not.toBeNull();
    expect((store.value as StoredLedger).tainted.sort()).toEqual([BANK, 'https://evil.test']);
  });
});

describe('ConnectionLedger (Firefox: per-frame security info)', () => {
  it('fills a frame only with a secure record for its own origin', async () => {
    const l = new ConnectionLedger(memoryStore(), true);
    expect(await l.problem(3, [{ frameId: 0, origin: BANK }])).toMatch(/no record .*reload/);
    await l.frameResponse(3, 0, `${BANK}/plain`, { secure: true, why: '' });
    expect(await l.problem(3, [{ frameId: 0, origin: BANK }])).toBeNull();
    // Another frame, another tab, another origin in that frame: no record.
    expect(await l.problem(3, [{ frameId: 2, origin: BANK }])).not.toBeNull();
    expect(await l.problem(4, [{ frameId: 0, origin: BANK }])).not.toBeNull();
    expect(await l.problem(3, [{ frameId: 0, origin: 'https://other.test' }])).not.toBeNull();
  });

  it('an insecure response refuses its frame and taints its origin for the session', async () => {
    const l = new ConnectionLedger(memoryStore(), true);
    await l.frameResponse(3, 0, `${BANK}/plain`, { secure: false, why: 'certificate error accepted (trust-error)' });
    expect(await l.problem(3, [{ frameId: 0, origin: BANK }])).toMatch(/certificate error/);
    // A later secure load of the same origin (in another tab) does not lift the taint.
    await l.frameResponse(5, 0, `${BANK}/plain`, { secure: true, why: '' });
    expect(await l.problem(5, [{ frameId: 0, origin: BANK }])).not.toBeNull();
  });

  it('a closed tab loses its records; loopback http: needs none', async () => {
    const l = new ConnectionLedger(memoryStore(), true);
    await l.frameResponse(3, 0, `${BANK}/`, { secure: true, why: '' });
    await l.tabClosed(3);
    expect(await l.problem(3, [{ frameId: 0, origin: BANK }])).not.toBeNull();
    expect(await l.problem(3, [{ frameId: 0, origin: 'http://localhost:8080' }])).toBeNull();
  });
});
