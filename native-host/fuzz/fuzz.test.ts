/**
 * Property fuzzing (fast-check) of every decoder that reads untrusted bytes: native
 * messaging framing, the IPC line decoder + request parser, the CLI's JSON credential
 * input, and the origin matcher. 100,000 generated inputs each, no crash, no hang, no
 * malformed message accepted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredentialInputsSchema, LABEL_RE, normalizeCredential } from '../../shared/credential.js';
import { parseClientRequest } from '../../shared/ipc.js';
import { checkOrigin, isLoopbackHost, normalizeOriginPattern } from '../../shared/origin.js';
import { LineDecoder } from '../ipc/lines.js';
import { FrameDecoder } from '../native-messaging/framing.js';

const RUNS = Number(process.env.BLINDFILL_FUZZ_RUNS ?? 100_000);
const opts = { numRuns: RUNS, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true };

describe(`fuzzing (${RUNS} inputs each)`, () => {
  it('native messaging frame decoder: random bytes in random chunks', { timeout: 180_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 48 }), { maxLength: 6 }), fc.boolean(), (chunks, withHeader) => {
        const d = new FrameDecoder(4096);
        const parts = chunks.map((c) => Buffer.from(c));
        if (withHeader && parts[0]) {
          // Often start with a plausible length so bodies get decoded, not only refused.
          const len = Buffer.alloc(4);
          len.writeUInt32LE(parts.slice(1).reduce((n, p) => n + p.length, 0) || 1, 0);
          parts.unshift(len);
        }
        let dead = false;
        for (const p of parts) {
          for (const ev of d.push(p)) {
            expect(dead).toBe(false);
            if (ev.kind === 'error') dead = true;
            else JSON.stringify(ev.value);
          }
        }
      }),
      opts,
    );
  });

  it('IPC: random lines through the decoder and the request parser', { timeout: 180_000 }, () => {
    const known = ['ping', 'status', 'init', 'unlock', 'lock', 'add', 'update', 'generate', 'list', 'remove', 'fill', 'type', 'audit_verify', 'browser_hello', 'shutdown'];
    const message = fc.oneof(
      fc.jsonValue(),
      fc.record({ t: fc.constantFrom('req', 'res', 'x'), id: fc.oneof(fc.integer(), fc.string()), op: fc.constantFrom(...known, 'evil'), label: fc.string(), passphrase: fc.string(), extra: fc.jsonValue() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 4 }), fc.integer({ min: 1, max: 64 }), (msgs, step) => {
        const bytes = Buffer.from(msgs.map((m) => `${JSON.stringify(m)}\n`).join(''));
        const d = new LineDecoder(1 << 16);
        for (let i = 0; i < bytes.length; i += step) {
          for (const ev of d.push(bytes.subarray(i, i + step))) {
            if (ev.kind !== 'line') continue;
            const parsed = parseClientRequest(JSON.parse(ev.line));
            if (parsed.ok) {
              // Accepted means: a known op, and no field outside that op's schema.
              expect(known).toContain(parsed.request.op);
              expect(Object.keys(parsed.request)).not.toContain('extra');
            }
          }
        }
      }),
      opts,
    );
  });

  it('CLI JSON input: arbitrary values and mutated credentials', { timeout: 180_000 }, () => {
    const cred = fc.record(
      {
        label: fc.oneof(fc.constantFrom('github-personal', 'a', 'x.y_z-1'), fc.string({ maxLength: 70 })),
        username: fc.string({ maxLength: 20 }),
        password: fc.string({ maxLength: 20 }),
        totp: fc.oneof(fc.constant('JBSWY3DPEHPK3PXP'), fc.string({ maxLength: 40 }), fc.record({ secret: fc.string(), digits: fc.integer() })),
        origins: fc.array(fc.oneof(fc.constantFrom('https://github.com', 'http://localhost:3000', 'https://*.github.io', 'http://evil.test'), fc.string({ maxLength: 40 })), { maxLength: 3 }),
        windows: fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }),
        policy: fc.constantFrom('auto', 'confirm', 'never'),
        bogus: fc.string(),
      },
      { requiredKeys: ['label'] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), cred, fc.array(cred, { maxLength: 3 })), (input) => {
        const parsed = CredentialInputsSchema.safeParse(input);
        if (!parsed.success) return;
        for (const c of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) {
          expect(LABEL_RE.test(c.label)).toBe(true);
          expect(Object.keys(c)).not.toContain('bogus');
          const n = normalizeCredential(c);
          if (!n.ok) continue;
          for (const o of n.value.origins) {
            const u = new URL(o.replace('*.', ''));
            expect(u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname))).toBe(true);
          }
        }
      }),
      opts,
    );
  });

  it('origin matcher: a match always means the same scheme, port and host (or a subdomain under a wildcard)', { timeout: 180_000 }, () => {
    const host = fc.oneof(fc.constantFrom('github.com', 'bank.test', 'a.bank.test', 'bank.test.evil.test', 'xn--bnk-8cd.test', 'localhost', '127.0.0.1', '[::1]', 'github.io'), fc.domain());
    const url = fc.oneof(
      fc.tuple(fc.constantFrom('https', 'http', 'blob:https', 'data', 'file', 'chrome-extension', 'ftp'), fc.constantFrom('', 'user@', 'a:b@'), host, fc.constantFrom('', ':443', ':8443', ':80'), fc.constantFrom('/', '/login?x=1', '\\@evil.test/', '#frag')).map(([s, ui, h, p, path]) => `${s}://${ui}${h}${p}${path}`),
      fc.string({ maxLength: 60 }),
    );
    const pattern = fc.oneof(
      fc.tuple(fc.constantFrom('https', 'http'), fc.constantFrom('', '*.'), host, fc.constantFrom('', ':8443')).map(([s, w, h, p]) => `${s}://${w}${h}${p}`),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 3 }), url, (patterns, u) => {
        const r = checkOrigin(patterns, u);
        if (!r.ok) return;
        const page = new URL(u);
        expect(['https:', 'http:']).toContain(page.protocol);
        const matched = patterns.some((p) => {
          const n = normalizeOriginPattern(p);
          if (!n.ok) return false;
          const wild = n.value.includes('://*.');
          const pat = new URL(n.value.replace('://*.', '://'));
          if (pat.protocol !== page.protocol || pat.port !== page.port) return false;
          return page.hostname === pat.hostname || (wild && page.hostname.endsWith(`.${pat.hostname}`));
        });
        expect(matched).toBe(true);
      }),
      opts,
    );
  });
});
