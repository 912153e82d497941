/**
 * OpenBao's (and HashiCorp Vault's) HTTP API, spoken directly with node:https: AppRole
 * login, KV v2 list/read/write, capabilities-self, revoke-self. No client library.
 *
 * A remote may name several addresses (the nodes of a Raft cluster): a request goes to the
 * last one that answered, and on a connection failure or a sealed/standby-without-forwarding
 * answer (5xx) to the next. Standby nodes forward requests to the active node, so any
 * unsealed node serves; when the leader dies the next address is tried at once.
 */
import http from 'node:http';
import https from 'node:https';

export interface BaoEndpoint {
  urls: string[];
  /** PEM of the CA that signed the server's certificate (otherwise the system roots). */
  ca?: string | undefined;
}

/** What came back: an HTTP status with its JSON body, or no answer at all. */
export type BaoAnswer = { kind: 'http'; status: number; body: unknown } | { kind: 'unreachable'; why: string };

const TIMEOUT_MS = 4000;

export class BaoClient {
  private current = 0;
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly ep: BaoEndpoint) {}

  private agentFor(url: URL): http.Agent {
    let a = this.agents.get(url.origin);
    if (!a) {
      a = url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 8, ...(this.ep.ca ? { ca: this.ep.ca } : {}) }) : new http.Agent({ keepAlive: true, maxSockets: 8 });
      this.agents.set(url.origin, a);
    }
    return a;
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  /** One API call, failing over across the addresses. `token` never leaves this module but in the header. */
  async call(method: string, apiPath: string, token: string | null, body?: unknown): Promise<BaoAnswer> {
    let last: BaoAnswer = { kind: 'unreachable', why: 'no address' };
    const n = this.ep.urls.length;
    for (let i = 0; i < n; i++) {
      const idx = (this.current + i) % n;
      const ans = await this.once(this.ep.urls[idx]!, method, apiPath, token, body);
      // A sealed or uninitialized node (503), or one that cannot reach the leader (500/502): try the next.
      const retry = ans.kind === 'unreachable' || (ans.status >= 500 && n > 1);
      if (!retry) {
        this.current = idx;
        return ans;
      }
      last = ans;
    }
    return last;
  }

  private once(base: string, method: string, apiPath: string, token: string | null, body?: unknown): Promise<BaoAnswer> {
    const url = new URL(`v1/${apiPath}`, base.endsWith('/') ? base : `${base}/`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== null) headers['x-vault-token'] = token;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<BaoAnswer>((resolve) => {
      const req = lib.request(url, { method, headers, agent: this.agentFor(url), timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          let parsed: unknown = null;
          try {
            parsed = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : null;
          } catch {
            parsed = null;
          }
          raw.fill(0);
          resolve({ kind: 'http', status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', (e) => resolve({ kind: 'unreachable', why: errName(e) }));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => resolve({ kind: 'unreachable', why: errName(e) }));
      req.end(payload);
    });
  }
}

/** An error's code only: messages of TLS errors may quote certificate fields, never secrets, but stay short. */
function errName(e: Error): string {
  return (e as NodeJS.ErrnoException).code ?? e.name;
}

/** KV v2 paths: data/metadata under the mount, one secret per label under `path`. */
export function kvPaths(mount: string, path: string) {
  const m = trimSlashes(mount);
  const p = trimSlashes(path);
  const under = (kind: string, label?: string) => [m, kind, ...(p ? [p] : []), ...(label !== undefined ? [label] : [])].join('/');
  return {
    data: (label: string) => under('data', label),
    detailedList: () => `${under('detailed-metadata')}/`,
    list: () => `${under('metadata')}/`,
  };
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}
