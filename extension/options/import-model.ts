/**
 * The settings page's import, pure (no DOM): the same parsers and planner as
 * `blindfill import` (shared/import/), plus what only the page needs: a file-size cap,
 * a secret-free preview, and the check that the one `add` batch fits through native
 * messaging (the host reads at most MAX_BROWSER_TO_HOST bytes a frame and drops the
 * connection on a bigger one). A batch that does not fit is refused with the CLI command
 * that imports the same file: nothing is sent.
 *
 * Every message and every preview field names entries, labels, origins and reasons,
 * never a username, password or seed. Raw entries and planned credentials hold
 * plaintext from the file: the page keeps them only until the batch is sent or the
 * dialog closes.
 */
import { MAX_BROWSER_TO_HOST } from '../../shared/constants.js';
import type { CredentialInput } from '../../shared/credential.js';
import { decodeExport, IMPORT_FORMATS, ImportFormatError, planImport } from '../../shared/import/index.js';
import type { ImportPlan, Skipped } from '../../shared/import/plan.js';
import type { RawEntry } from '../../shared/import/types.js';

const NAMES: Record<string, string> = {
  bitwarden: 'Bitwarden',
  chrome: 'Chrome',
  edge: 'Edge',
  firefox: 'Firefox',
  '1password': '1Password',
  keepassxc: 'KeePassXC',
  'bitwarden-csv': 'Bitwarden (CSV)',
  'keepassxc-xml': 'KeePassXC (XML)',
  otpauth: 'otpauth:// links',
};

/** The formats offered: the CLI's list, in its order, with its descriptions. */
export const FORMAT_CHOICES: readonly { id: string; name: string; what: string }[] = Object.entries(IMPORT_FORMATS).map(([id, f]) => ({
  id,
  name: NAMES[id] ?? id,
  what: f.what,
}));

/**
 * The page reads files up to this size. Bigger exports cannot fit one native-messaging
 * frame anyway (4 MiB of credentials is about 30,000 Bitwarden items, a 25 MB file):
 * the CLI reads up to 256 MiB.
 */
export const MAX_PAGE_FILE = 32 * 1024 * 1024;
/** The `add` batch limit of the daemon's request schema (shared/ipc.ts), as in the CLI. */
export const MAX_BATCH = 100_000;
/** Room for the frame's envelope beyond what frameBytes() counts (a longer call id...). */
const FRAME_MARGIN = 1024;

export type Outcome<T> = ({ ok: true } & T) | { ok: false; message: string };

/** `blindfill import --format F FILE`, the file name quoted for a POSIX shell when needed. */
export function cliCommand(format: string, fileName: string): string {
  const file = /^[A-Za-z0-9._+,:@%/=-]+$/.test(fileName) ? fileName : `'${fileName.replace(/'/g, `'\\''`)}'`;
  return `blindfill import --format ${format} ${file || 'FILE'}`;
}

const MiB = (n: number) => `${Math.round(n / (1024 * 1024))} MiB`;

/** Why a file of this size is not read, or null. */
export function sizeError(size: number, format: string, fileName: string): string | null {
  if (size === 0) return `${fileName} is empty.`;
  if (size > MAX_PAGE_FILE) return `${fileName} is larger than ${MiB(MAX_PAGE_FILE)}, more than this page imports. In a terminal: ${cliCommand(format, fileName)}`;
  return null;
}

/**
 * The file's bytes as text, like the CLI (UTF-8, or UTF-16 with a byte-order mark); a file
 * that is not text (invalid UTF-8, or NUL bytes as in UTF-16 without a BOM) is refused.
 */
export function decodeFile(bytes: Uint8Array, fileName: string): Outcome<{ text: string }> {
  const text = decodeExport(bytes);
  if (text === null || text.includes('\u0000')) {
    return { ok: false, message: `${fileName} is not a text file (UTF-8, or UTF-16 with a byte-order mark). Choose the export file itself, not a zip or an encrypted export.` };
  }
  return { ok: true, text };
}

/** Parse with the format's parser; a malformed file gives the parser's message (no content). */
export function parseFile(format: string, text: string, fileName: string): Outcome<{ entries: RawEntry[] }> {
  const f = IMPORT_FORMATS[format];
  if (!f) return { ok: false, message: `Unknown format ${format}.` };
  try {
    return { ok: true, entries: f.parse(text) };
  } catch (e) {
    if (e instanceof ImportFormatError) return { ok: false, message: `${fileName}: ${e.message}. Nothing was imported.` };
    throw e;
  }
}

/**
 * The bytes of the native-messaging frame that would carry `credentials` (the worker
 * sends `{...params, t, id, op}`), as an upper bound: UTF-8 of the JSON, plus what
 * Chromium's JSON writer escapes and JSON.stringify does not (`<` as \u003C, U+2028/9;
 * `>`, `&` and DEL counted too, to be safe).
 */
export function frameBytes(credentials: readonly CredentialInput[]): number {
  const json = JSON.stringify({ credentials, t: 'req', id: 'x000000000', op: 'add' });
  let n = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) n += c === 0x3c || c === 0x3e || c === 0x26 || c === 0x7f ? 6 : 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < json.length) {
      const d = json.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += c === 0x2028 || c === 0x2029 ? 6 : 3;
  }
  return n;
}

/** Whether one `add` batch of these credentials fits one browser → host frame. */
export function fitsOneFrame(credentials: readonly CredentialInput[]): boolean {
  return frameBytes(credentials) + FRAME_MARGIN <= MAX_BROWSER_TO_HOST;
}

/** What the preview shows: labels, origins, skipped entries and notes; never a value. */
export interface Preview {
  credentials: { label: string; origins: string[] }[];
  skipped: Skipped[];
  notes: string[];
  /** Credentials with no origins (one-time codes only). */
  noOrigins: number;
  /** Why the batch cannot be sent from this page (then the import button stays off), or null. */
  refusal: string | null;
}

/** Why this plan's batch cannot go through the page, or null. */
export function batchRefusal(credentials: readonly CredentialInput[], format: string, fileName: string): string | null {
  if (credentials.length > MAX_BATCH) {
    return `${credentials.length} credentials is more than one import takes (${MAX_BATCH.toLocaleString('en-US')}): split the file.`;
  }
  if (credentials.length > 0 && !fitsOneFrame(credentials)) {
    return `These ${credentials.length} credentials are too much for one message from the browser to blindfill (${MiB(MAX_BROWSER_TO_HOST)}). Nothing was imported. Import this file in a terminal instead: ${cliCommand(format, fileName)}`;
  }
  return null;
}

export function previewOf(plan: ImportPlan, format: string, fileName: string): Preview {
  return {
    credentials: plan.credentials.map((c) => ({ label: c.label, origins: [...(c.origins ?? [])] })),
    skipped: plan.skipped.map((s) => ({ name: s.name, reason: s.reason })),
    notes: [...plan.notes],
    noOrigins: plan.credentials.filter((c) => (c.origins ?? []).length === 0).length,
    refusal: batchRefusal(plan.credentials, format, fileName),
  };
}

/** Plan against the vault's labels and build the preview. */
export function prepare(entries: readonly RawEntry[], existingLabels: readonly string[], format: string, fileName: string): { plan: ImportPlan; preview: Preview } {
  const plan = planImport(entries, existingLabels);
  return { plan, preview: previewOf(plan, format, fileName) };
}

/**
 * The batch to send now: planned again against the labels the vault has right now (they
 * may have changed since the preview), and refused when it does not fit.
 */
export function finalBatch(entries: readonly RawEntry[], existingLabels: readonly string[], format: string, fileName: string): Outcome<{ plan: ImportPlan }> {
  const plan = planImport(entries, existingLabels);
  if (plan.credentials.length === 0) return { ok: false, message: 'Nothing in this file can be imported.' };
  const refusal = batchRefusal(plan.credentials, format, fileName);
  if (refusal !== null) return { ok: false, message: refusal };
  return { ok: true, plan };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function importButtonText(n: number): string {
  return `Import ${plural(n, 'credential')}`;
}

export function summaryText(preview: Preview): string {
  const n = preview.credentials.length;
  const m = preview.skipped.length;
  if (n === 0) return `Nothing to import: ${plural(m, 'entry', 'entries')} skipped.`;
  if (preview.refusal !== null) return `${plural(n, 'credential')} found${m > 0 ? `, ${plural(m, 'entry', 'entries')} skipped` : ''}: too many to import from this page.`;
  return `${plural(n, 'credential')} will be imported${m > 0 ? `, ${plural(m, 'entry', 'entries')} skipped` : ''}.`;
}

export function noOriginsNote(n: number): string | null {
  if (n === 0) return null;
  return `${plural(n, 'credential')} ${n === 1 ? 'has' : 'have'} no sites yet (one-time codes only): edit ${n === 1 ? 'it' : 'them'} to say where ${n === 1 ? 'it' : 'they'} may be filled.`;
}

export function resultText(imported: number, skipped: number): string {
  return `Imported ${plural(imported, 'credential')}, skipped ${skipped}.`;
}

export function deleteReminder(fileName: string): string {
  return `The export file still holds every password in the clear: delete it (${fileName}), and empty the trash.`;
}

/** Overwrite what a plan holds from the file, so nothing refers to the values any more. */
export function scrubPlan(plan: ImportPlan): void {
  for (const c of plan.credentials) {
    delete c.password;
    delete c.username;
    delete c.totp;
  }
  plan.credentials.length = 0;
}

export function scrubEntries(entries: RawEntry[]): void {
  for (const e of entries) {
    delete e.password;
    delete e.username;
    delete e.totp;
  }
  entries.length = 0;
}
