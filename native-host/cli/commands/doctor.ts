/**
 * `blindfill doctor [--json] [--fix]`: is everything in place, and if not, the one line
 * that fixes it. Files and browser registrations first (native-host/doctor/checks.ts),
 * then what only the daemon knows: vault state, keychain, connected extensions, the audit
 * chain, credentials usable nowhere, http: leftovers and reused passwords (the daemon
 * compares those itself and answers with labels). `--fix` runs only the safe repairs
 * (chmod of our own directories and files, reinstalling a broken host registration),
 * says what it did, then checks again. Exit 1 when any check fails.
 */
import { windowEntryError } from '../../../shared/window-entry.js';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { CredentialListSchema, type CredentialSummary } from '../../../shared/credential.js';
import { isLoopbackHost, parseOriginPattern } from '../../../shared/origin.js';
import { AgentListResultSchema, ReusedResultSchema, StatusResultSchema } from '../../../shared/ipc.js';
import { type Check, checkBrowsers, checkHomeFiles, checkPrivateDir } from '../../doctor/checks.js';
import { confirmDisplayCheck } from '../../doctor/display.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';
import { hostEnv } from './host.js';
import { remotesCheck } from './doctor-remotes.js';

const NODE_MIN: [number, number] = [20, 19];

function nodeCheck(): Check {
  const [maj, min] = process.versions.node.split('.').map(Number) as [number, number];
  const good = maj > NODE_MIN[0] || (maj === NODE_MIN[0] && min >= NODE_MIN[1]);
  return good
    ? { id: 'node', title: 'node', status: 'ok', message: `${process.execPath} (v${process.versions.node})` }
    : { id: 'node', title: 'node', status: 'warn', message: `v${process.versions.node} is older than ${NODE_MIN.join('.')}`, fix: 'install Node.js 20.19 or later' };
}

async function daemonChecks(ctx: CliContext): Promise<Check[]> {
  const out: Check[] = [];
  const st = await ctx.callRaw({ op: 'status' }, 30_000);
  if (!st.ok) {
    out.push({ id: 'daemon', title: 'daemon', status: 'fail', message: `${st.code}: ${st.message}`, fix: `see ${ctx.paths.daemonLog}`, code: 'DAEMON_UNAVAILABLE' });
    return out;
  }
  const status = StatusResultSchema.parse(st.result);
  out.push({ id: 'daemon', title: 'daemon', status: 'ok', message: `running; socket ${ctx.paths.socket}` });

  if (status.vault === 'absent') {
    out.push({ id: 'vault', title: 'vault', status: 'fail', message: `no vault in ${ctx.paths.home}`, fix: 'blindfill init --passphrase-stdin (or --keychain)', code: 'VAULT_ABSENT' });
  } else if (status.vault === 'locked') {
    out.push({ id: 'vault', title: 'vault', status: 'warn', message: `locked (${status.credentials} credentials); the checks below that need it are skipped`, fix: 'blindfill unlock' });
  } else {
    const mins = status.locks_in_s !== undefined ? `; locks in ${Math.ceil(status.locks_in_s / 60)} min` : '';
    out.push({ id: 'vault', title: 'vault', status: 'ok', message: `unlocked, ${status.credentials} credential${status.credentials === 1 ? '' : 's'}${mins}` });
  }

  out.push(await keychainCheck(status.key_mode, status.vault));

  out.push(
    status.browsers.length > 0
      ? { id: 'extension', title: 'extension', status: 'ok', message: `connected: ${status.browsers.map((b) => `${b.browser} (${b.extension_id})`).join(', ')}` }
      : {
          id: 'extension',
          title: 'extension',
          status: 'warn',
          message: 'no browser extension is connected right now',
          fix: 'load dist/chromium (chrome://extensions → Developer mode → Load unpacked) and keep the browser open',
        },
  );

  // Which containment mode is in force, and what it protects (THREAT_MODEL.md).
  const agents = await ctx.callRaw({ op: 'agent_list' }, 10_000);
  const users = agents.ok ? AgentListResultSchema.parse(agents.result).agents.map((a) => a.user) : [];
  out.push(
    users.length > 0
      ? {
          id: 'containment',
          title: 'containment',
          status: 'ok',
          message: `separate-user mode: ${users.join(', ')} may list, fill and type through the agent socket only; they cannot read the vault, this socket or your browser profile`,
        }
      : {
          id: 'containment',
          title: 'containment',
          // Information, not a fault: the mode in force and what it protects.
          status: 'ok',
          message:
            'same-user mode: an agent runs as you; it gets no value through blindfill, but code it runs can read your browser profile and process memory',
          fix: 'run agents that have a shell as another OS user: blindfill agent allow --user NAME',
        },
  );
  const guarded = status.browsers.filter((b) => b.guarded).length;
  if (status.browsers.length > 1 && guarded === 0) {
    out.push({
      id: 'browsers',
      title: 'browsers',
      status: 'warn',
      message: `${status.browsers.length} browsers are connected and none was started by \`blindfill guard\`: fills are refused (AMBIGUOUS_BROWSER) unless the caller names --browser-profile`,
    });
  }

  const ping = await ctx.callRaw({ op: 'ping' }, 10_000);
  const daemonDisplay = ping.ok ? (ping.result as { display?: boolean }).display : undefined;
  const display = (needed: boolean | undefined) => confirmDisplayCheck({ platform: process.platform, env: process.env, daemonDisplay, needed });

  if (status.vault !== 'unlocked') {
    out.push(display(status.key_mode === 'keychain' ? true : undefined));
    for (const [id, title] of [['audit', 'audit log'], ['nowhere', 'unusable'], ['http', 'http origins'], ['windows', 'window entries'], ['reused', 'reused passwords']] as const) {
      out.push({ id, title, status: 'skip', message: status.vault === 'absent' ? 'no vault' : 'vault locked' });
    }
    return out;
  }

  const audit = await ctx.callRaw({ op: 'audit_verify' }, 60_000);
  out.push(
    audit.ok
      ? { id: 'audit', title: 'audit log', status: 'ok', message: `chain intact (${(audit.result as { lines: number }).lines} lines)` }
      : { id: 'audit', title: 'audit log', status: 'fail', message: audit.message, fix: `keep ${ctx.paths.audit} for investigation; see docs/ERRORS.md (AUDIT_BROKEN)`, code: 'AUDIT_BROKEN' },
  );

  const listed = await ctx.callRaw({ op: 'list' }, 60_000);
  if (!listed.ok) {
    out.push({ id: 'nowhere', title: 'unusable', status: 'skip', message: `${listed.code}: ${listed.message}` });
    out.push(display(undefined));
  } else {
    const creds = CredentialListSchema.parse(listed.result).credentials;
    out.push(nowhereCheck(creds), httpCheck(creds), windowsCheck(creds));
    out.push(display(status.key_mode === 'keychain' || creds.some((c) => c.policy === 'confirm')));
  }

  const reused = await ctx.callRaw({ op: 'reused' }, 60_000);
  if (!reused.ok) {
    out.push({ id: 'reused', title: 'reused passwords', status: 'skip', message: `${reused.code}: ${reused.message}` });
  } else {
    const { groups } = ReusedResultSchema.parse(reused.result);
    out.push(
      groups.length === 0
        ? { id: 'reused', title: 'reused passwords', status: 'ok', message: 'every password is used by one credential only' }
        : {
            id: 'reused',
            title: 'reused passwords',
            status: 'warn',
            message: `${groups.length} password${groups.length === 1 ? ' is' : 's are'} shared: ${groups.map((g) => g.join(' = ')).join('; ')}`,
            fix: 'give each site its own password (change it on the site, then in the settings page)',
          },
    );
  }
  out.push(await remotesCheck(ctx));
  return out;
}

async function keychainCheck(keyMode: 'passphrase' | 'keychain' | undefined, vault: string): Promise<Check> {
  const id = 'keychain';
  const title = 'keychain';
  if (keyMode !== 'keychain') return { id, title, status: 'ok', message: vault === 'absent' ? 'no vault yet' : 'not used (passphrase vault)' };
  if (vault === 'unlocked') return { id, title, status: 'ok', message: 'reachable (the vault was unlocked with it)' };
  // Ask for an entry that never exists: reaching the Secret Service is all this proves.
  const { osKeyStore } = await import('../../vault/keychain.js');
  const probe = osKeyStore().get('blindfill-doctor-probe');
  if (probe.ok) {
    probe.value?.fill(0);
    return { id, title, status: 'ok', message: 'the OS keychain answers' };
  }
  return { id, title, status: 'fail', message: probe.message, fix: 'start the desktop keyring (gnome-keyring / KWallet) or log in to a desktop session', code: 'KEYCHAIN_UNAVAILABLE' };
}

function nowhereCheck(creds: CredentialSummary[]): Check {
  const nowhere = creds.filter((c) => c.origins.length === 0 && c.windows.length === 0).map((c) => c.label);
  if (nowhere.length === 0) return { id: 'nowhere', title: 'unusable', status: 'ok', message: 'every credential has origins or windows' };
  return {
    id: 'nowhere',
    title: 'unusable',
    status: 'warn',
    message: `${nowhere.length} credential${nowhere.length === 1 ? ' has' : 's have'} no origins and no windows, so blindfill will never use ${nowhere.length === 1 ? 'it' : 'them'}: ${nowhere.join(', ')}`,
    fix: 'add where each may be filled in the settings page (origins) or typed (windows)',
  };
}

/** Stored `windows` entries that today's parser refuses (e.g. a //regex// with lookaround) match no window. */
function windowsCheck(creds: CredentialSummary[]): Check {
  const bad = creds.filter((c) => c.windows.some((w) => windowEntryError(w) !== null)).map((c) => c.label);
  if (bad.length === 0) return { id: 'windows', title: 'window entries', status: 'ok', message: 'every windows entry is valid' };
  return {
    id: 'windows',
    title: 'window entries',
    status: 'warn',
    message: `${bad.length} credential${bad.length === 1 ? ' has' : 's have'} windows entries that match no window (unsupported //regex// or syntax): ${bad.join(', ')}`,
    fix: 'rewrite them in the settings page: a whole title, a //regex// without lookaround or back-references, {exe=NAME} to name the program',
  };
}

function httpCheck(creds: CredentialSummary[]): Check {
  const bad: string[] = [];
  let loopback = 0;
  for (const c of creds) {
    for (const o of c.origins) {
      if (!o.startsWith('http:')) continue;
      const p = parseOriginPattern(o);
      if (p.ok && isLoopbackHost(p.value.host)) loopback++;
      else bad.push(`${c.label} (${o})`);
    }
  }
  if (bad.length > 0) {
    return { id: 'http', title: 'http origins', status: 'fail', message: `http: origins that are not loopback: ${bad.join(', ')}`, fix: 'replace them with https:// in the settings page', code: 'INSECURE_ORIGIN' };
  }
  return { id: 'http', title: 'http origins', status: 'ok', message: loopback > 0 ? `none outside loopback (${loopback} on localhost)` : 'none' };
}

function localChecks(ctx: CliContext): Check[] {
  const h = hostEnv(ctx);
  const out: Check[] = [nodeCheck(), checkPrivateDir('home', 'home', ctx.paths.home, true)];
  out.push(checkPrivateDir('run', 'run dir', ctx.paths.runDir, false), checkPrivateDir('host-dir', 'host dir', ctx.paths.hostDir, false));
  out.push(checkHomeFiles(ctx.paths.home));
  out.push(...checkBrowsers(h));
  return out;
}

async function allChecks(ctx: CliContext): Promise<Check[]> {
  const local = localChecks(ctx);
  const homeBad = local.find((c) => c.id === 'home' && c.status === 'fail');
  if (homeBad && homeBad.code === 'VAULT_ABSENT') {
    // No home at all: starting the daemon would create it; say what to do instead.
    return [...local, { id: 'daemon', title: 'daemon', status: 'skip', message: 'no BLINDFILL_HOME yet' }];
  }
  return [...local, ...(await daemonChecks(ctx))];
}

const MARK: Record<Check['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export async function doctorCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, fix: { type: 'boolean' } }, strict: true });
  let checks = await allChecks(ctx);
  const fixedById = new Map<string, string>();
  if (values.fix) {
    // Directories first (the daemon refuses an insecure home), then files, then registrations.
    for (const c of checks) {
      if (c.status !== 'fail' || c.repair === undefined) continue;
      try {
        fixedById.set(c.id, c.repair());
      } catch (e) {
        fixedById.set(c.id, `not fixed: ${(e as Error).message}`);
      }
    }
    if (fixedById.size > 0) checks = await allChecks(ctx);
  }
  for (const c of checks) {
    const f = fixedById.get(c.id);
    if (f !== undefined) c.fixed = f;
  }
  const count = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  const failing = checks.filter((c) => c.status === 'fail');
  if (values.json) {
    const shown = checks.map(({ repair: _r, code: _c, ...rest }) => rest);
    ctx.out(JSON.stringify({ ok: failing.length === 0, checks: shown, summary: { ok: count('ok'), warn: count('warn'), fail: count('fail'), skip: count('skip') } }));
  } else {
    const width = Math.max(...checks.map((c) => c.title.length));
    const lines: string[] = [];
    for (const c of checks) {
      lines.push(`${MARK[c.status]}  ${c.title.padEnd(width)}  ${c.message}`);
      if (c.fixed !== undefined) lines.push(`      ${' '.repeat(width)}  fixed: ${c.fixed}`);
      if (c.fix !== undefined && c.status !== 'ok' && c.status !== 'skip') lines.push(`      ${' '.repeat(width)}  fix: ${c.fix}`);
    }
    lines.push(`doctor: ${count('ok')} ok, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${failing.length} failing, ${count('skip')} skipped`);
    ctx.out(lines.join('\n'));
  }
  if (failing.length > 0) {
    die({ code: failing[0]!.code ?? 'INTERNAL', message: `doctor: ${failing.length} failing check${failing.length === 1 ? '' : 's'}: ${failing.map((c) => c.id).join(', ')}` });
  }
}
