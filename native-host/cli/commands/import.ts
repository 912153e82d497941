/**
 * `blindfill import --format F FILE [--dry-run] [--json] [--label-with-username]
 * [--exact-origins]`: credentials from another password manager's export. The file is
 * read by path (it is the user's own export, not a secret in argv); decoding, parsing and
 * planning are pure (shared/import/, the same code the settings page's import runs). The
 * daemon says which entries the vault already holds (`duplicates`: compared inside the
 * daemon, labels back), so importing a file twice adds nothing twice; the rest get labels
 * and go to the daemon as ONE `add` batch, which is all-or-nothing, so a failure at any
 * point writes nothing. Output names entries, labels, origins and reasons, never a value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CredentialListSchema } from '../../../shared/credential.js';
import { decodeExport, IMPORT_FORMATS, ImportFormatError, MAX_EXPORT_FILE } from '../../../shared/import/index.js';
import { type ImportOptions, labelImport, type PreparedEntry, prepareImport } from '../../../shared/import/plan.js';
import { DuplicatesResultSchema } from '../../../shared/ipc.js';
import { parseOnePuxData } from '../../../shared/import/onepux.js';
import type { RawEntry } from '../../../shared/import/types.js';
import type { CliContext } from '../context.js';
import { die } from '../io.js';
import { readZipEntry, ZipError } from '../zip.js';

/** Below this many entries the work is instant: no progress bar. */
const PROGRESS_MIN = 200;

function usage(): never {
  die({
    code: 'INVALID_REQUEST',
    message: `usage: blindfill import --format ${ALL_FORMATS.join('|')} FILE [--dry-run] [--json] [--label-with-username] [--exact-origins]`,
  });
}

/** Formats only the CLI reads: the file is an archive, not text (the settings page does not offer them). */
const CLI_FORMATS: Record<string, { parse: (text: string) => RawEntry[]; what: string; entry: string }> = {
  '1pux': { parse: parseOnePuxData, what: '1Password .1pux export', entry: 'export.data' },
};
const ALL_FORMATS = [...Object.keys(IMPORT_FORMATS), ...Object.keys(CLI_FORMATS)];

function readExport(file: string, zipEntry?: string): string {
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) die({ code: 'INVALID_REQUEST', message: `${file} is not a regular file` });
    if (st.size > MAX_EXPORT_FILE) die({ code: 'INVALID_REQUEST', message: `${file} is larger than 256 MiB` });
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as { exitCode?: number }).exitCode !== undefined) throw e;
    die({ code: 'INVALID_REQUEST', message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` });
  }
  let inner: Buffer | undefined;
  try {
    if (zipEntry !== undefined) {
      try {
        inner = readZipEntry(buf, zipEntry, MAX_EXPORT_FILE);
      } catch (e) {
        if (e instanceof ZipError) die({ code: 'INVALID_REQUEST', message: `${path.basename(file)}: ${e.message}; nothing was imported` });
        throw e;
      }
    }
    const text = decodeExport(inner ?? buf);
    if (text === null) die({ code: 'INVALID_REQUEST', message: `${file} is not UTF-8 (or UTF-16 with a BOM) text` });
    return text;
  } finally {
    buf.fill(0);
    inner?.fill(0);
  }
}

/** A one-line progress bar on stderr, only on a terminal. */
function progressBar(total: number, label: string): { update(done: number): void; end(): void } {
  const tty = process.stderr.isTTY === true && total >= PROGRESS_MIN;
  let last = -1;
  const width = 30;
  return {
    update(done) {
      if (!tty) return;
      const pct = Math.floor((done / total) * 100);
      if (pct === last && done !== total) return;
      last = pct;
      const fill = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total}`);
    },
    end() {
      if (tty && last >= 0) process.stderr.write('\r\x1b[2K');
    },
  };
}

export async function importCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'label-with-username': { type: 'boolean' },
      'exact-origins': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (positionals.length !== 1 || file === undefined) usage();
  const id = values.format?.toLowerCase();
  const format = id === undefined ? undefined : (IMPORT_FORMATS[id] ?? CLI_FORMATS[id]);
  if (values.format === undefined) usage();
  if (format === undefined) die({ code: 'INVALID_REQUEST', message: `--format must be one of ${ALL_FORMATS.join(', ')}` });
  const dryRun = values['dry-run'] === true;
  const opts: ImportOptions = { labelWithUsername: values['label-with-username'] === true, exactOrigins: values['exact-origins'] === true };

  // The vault's labels first: a locked vault fails before the file is even read.
  const existing = CredentialListSchema.parse(await ctx.call({ op: 'list' })).credentials.map((c) => c.label);

  const text = readExport(path.resolve(file), id !== undefined ? CLI_FORMATS[id]?.entry : undefined);
  let entries: RawEntry[];
  try {
    entries = format.parse(text);
  } catch (e) {
    if (e instanceof ImportFormatError) die({ code: 'INVALID_REQUEST', message: `${path.basename(file)}: ${e.message}; nothing was imported` });
    throw e;
  }
  const bar = progressBar(entries.length, 'checking');
  const prepared = prepareImport(entries, opts, (done) => bar.update(done));
  bar.end();

  // What the vault already holds: asked of the daemon, which compares the values itself.
  const already: { name: string; label: string }[] = [];
  const fresh: PreparedEntry[] = [];
  if (prepared.entries.length > 0) {
    const probes = prepared.entries.map((p) => {
      const { username, password, totp } = p.credential;
      return {
        origins: [...new Set([...(p.credential.origins ?? []), ...p.exactOrigins])],
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(typeof totp === 'string' ? { totp } : {}),
      };
    });
    const found = DuplicatesResultSchema.parse(await ctx.call({ op: 'duplicates', entries: probes }, 600_000)).labels;
    prepared.entries.forEach((p, i) => {
      const label = found[i];
      if (label !== undefined && label !== null) already.push({ name: p.name, label });
      else fresh.push(p);
    });
  }
  const plan = labelImport(fresh, existing, opts);
  plan.skipped.push(...prepared.skipped);

  if (plan.credentials.length > 100_000) {
    die({ code: 'INVALID_REQUEST', message: `${plan.credentials.length} credentials is more than one import takes (100,000); split the file` });
  }
  let imported: string[] = plan.credentials.map((c) => c.label);
  if (!dryRun && plan.credentials.length > 0) {
    const tty = process.stderr.isTTY === true && plan.credentials.length >= PROGRESS_MIN;
    if (tty) process.stderr.write(`saving ${plan.credentials.length} credentials…`);
    try {
      const r = (await ctx.call({ op: 'add', credentials: plan.credentials }, 600_000)) as { added: string[] };
      imported = r.added;
    } finally {
      if (tty) process.stderr.write('\r\x1b[2K');
    }
  }

  const created = plan.credentials.map((c) => ({ label: c.label, origins: [...(c.origins ?? [])] }));
  if (values.json) {
    ctx.out(JSON.stringify({ imported, skipped: plan.skipped, already, ...(dryRun ? { would_create: created } : { created }), notes: plan.notes }));
    return;
  }
  const lines: string[] = [];
  for (const c of created) lines.push(`${dryRun ? 'would add' : 'added'} ${c.label}\t${c.origins.join(' ') || '(no origins)'}`);
  for (const a of already) lines.push(`already in vault: ${JSON.stringify(a.name)} as ${a.label}`);
  for (const s of plan.skipped) lines.push(`skipped ${JSON.stringify(s.name)}: ${s.reason}`);
  for (const n of plan.notes) lines.push(`note: ${n}`);
  const noOrigins = plan.credentials.filter((c) => (c.origins ?? []).length === 0).length;
  if (noOrigins > 0) {
    lines.push(`note: ${noOrigins} credential${noOrigins === 1 ? ' has' : 's have'} no origins yet (one-time codes only): add where ${noOrigins === 1 ? 'it' : 'they'} may be filled in the settings page`);
  }
  const n = imported.length;
  const m = plan.skipped.length;
  const k = already.length;
  const have = k > 0 ? `, ${k} already in the vault` : '';
  lines.push(
    dryRun
      ? `dry run: would import ${n} credential${n === 1 ? '' : 's'}, skip ${m}${have}; nothing was written`
      : `imported ${n} credential${n === 1 ? '' : 's'}, skipped ${m}${have}`,
  );
  if (!dryRun && (n > 0 || k > 0)) lines.push(`the export file still holds every password in the clear: delete it (${path.basename(file)})`);
  ctx.out(lines.join('\n'));
}
