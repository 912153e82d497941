/**
 * The import formats `blindfill import --format F` and the settings page know, one parser
 * each. Pure: runs in Node (the CLI) and in the extension's settings page.
 */
import { parseBitwardenJson } from './bitwarden.js';
import { parseBitwardenCsv } from './bitwarden-csv.js';
import { parseChromeCsv } from './chrome.js';
import { parseFirefoxCsv } from './firefox.js';
import { parseKeePassXcCsv } from './keepassxc.js';
import { parseKeePassXcXml } from './keepassxc-xml.js';
import { parseOnePasswordCsv } from './onepassword.js';
import { parseOtpauthLines } from './otpauth.js';
import type { Parser } from './types.js';

export const IMPORT_FORMATS: Record<string, { parse: Parser; what: string }> = {
  bitwarden: { parse: parseBitwardenJson, what: 'Bitwarden .json export (unencrypted)' },
  chrome: { parse: parseChromeCsv, what: 'Chrome / Chromium / Brave / Vivaldi "Export passwords" CSV' },
  edge: { parse: parseChromeCsv, what: 'Microsoft Edge "Export passwords" CSV (same layout as Chrome)' },
  firefox: { parse: parseFirefoxCsv, what: 'Firefox about:logins "Export Logins" CSV' },
  '1password': { parse: parseOnePasswordCsv, what: '1Password CSV export' },
  keepassxc: { parse: parseKeePassXcCsv, what: 'KeePassXC CSV export' },
  otpauth: { parse: parseOtpauthLines, what: 'otpauth:// URIs one a line, incl. Google Authenticator otpauth-migration://' },
  'bitwarden-csv': { parse: parseBitwardenCsv, what: 'Bitwarden .csv export' },
  'keepassxc-xml': { parse: parseKeePassXcXml, what: 'KeePassXC / KeePass 2 XML export (keepassxc-cli export --format xml)' },
};

export { planImport } from './plan.js';
export { ImportFormatError } from './types.js';
export { decodeExport, MAX_EXPORT_FILE } from './text.js';
