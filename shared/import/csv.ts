/**
 * RFC 4180 CSV through csv-parse (maintained, no dependencies, bundled by esbuild): quoted
 * fields, doubled quotes, embedded newlines, CRLF, a UTF-8 BOM. Strict about record length,
 * so a file damaged midway fails as a whole. Its error messages can quote a character of
 * the file (possibly of a password): only the error kind and line number are passed on.
 *
 * `csv-parse/sync` is the Node build (native Buffer, about 3x faster on big files: the
 * CLI reads up to 256 MiB). The extension's bundle (vite.config.ts) aliases it to
 * `csv-parse/browser/esm/sync`: the same parser with a bundled Buffer polyfill.
 */
import { parse } from 'csv-parse/sync';
import { ImportFormatError, type RawEntry } from './types.js';

const KINDS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a row has a different number of columns than the header',
  CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH: 'a row has a different number of columns than the header',
  CSV_INVALID_CLOSING_QUOTE: 'a quote is followed by something other than a separator',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quote is followed by something other than a separator',
  CSV_QUOTE_NOT_CLOSED_WITHIN_LIMIT: 'a quoted field is never closed',
};

export interface CsvTable {
  /** Header cells as written (trimmed). */
  header: string[];
  /** Data rows, each as long as the header. */
  rows: string[][];
}

export function parseCsv(text: string): CsvTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_quotes: false, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    const err = e as { code?: string; lines?: number };
    const what = (err.code && KINDS[err.code]) || 'it is not valid CSV';
    throw new ImportFormatError(`malformed CSV${typeof err.lines === 'number' ? ` near line ${err.lines}` : ''}: ${what}`);
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new ImportFormatError('the file is empty');
  return { header: header.map((h) => h.trim()), rows };
}

/**
 * Map header names to column indexes, case-insensitively. Every `required` name (each an
 * alternatives list) must be present, or the file is not this manager's export.
 */
export function columns<K extends string>(
  header: string[],
  want: Record<K, readonly string[]>,
  required: readonly NoInfer<K>[],
  formatName: string,
): Record<K, number> {
  const lower = header.map((h) => h.toLowerCase());
  const out = {} as Record<K, number>;
  for (const key of Object.keys(want) as K[]) {
    out[key] = want[key].map((n) => lower.indexOf(n.toLowerCase())).find((i) => i >= 0) ?? -1;
  }
  const missing = required.filter((k) => out[k] < 0);
  if (missing.length > 0) {
    throw new ImportFormatError(
      `this does not look like a ${formatName} CSV export: no ${missing.map((k) => `"${want[k][0]}"`).join(', ')} column in the header`,
    );
  }
  return out;
}

/** The cell, or undefined when the column is absent or the cell is empty. */
export function cell(row: string[], index: number): string | undefined {
  if (index < 0) return undefined;
  const v = row[index];
  return v === undefined || v === '' ? undefined : v;
}

/** The columns of a login every CSV export has (index -1: absent). */
export interface LoginColumns {
  readonly url: number;
  readonly username: number;
  readonly password: number;
  readonly totp?: number;
}

/**
 * The entry a CSV row describes: its name (`name` is given the row's URL, for exports
 * that name an entry by its site), the one URL, and the login fields that are present.
 */
export function loginEntry(row: string[], c: LoginColumns, name: (url: string | undefined) => string): RawEntry {
  const url = cell(row, c.url);
  const e: RawEntry = { name: name(url), urls: url ? [url] : [] };
  const username = cell(row, c.username);
  const password = cell(row, c.password);
  const totp = c.totp === undefined ? undefined : cell(row, c.totp);
  if (username !== undefined) e.username = username;
  if (password !== undefined) e.password = password;
  if (totp !== undefined) e.totp = totp;
  return e;
}

/** The host of a URL, for naming an entry that has no title (never its path or query). */
export function hostName(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.hostname || u.protocol;
  } catch {
    return undefined;
  }
}
