/**
 * A text file of otpauth:// URIs, one a line (what QR scanners, `zbarimg` and most
 * authenticator apps export), including Google Authenticator `otpauth-migration://` lines
 * that each carry several accounts. Blank lines and `#` comments are ignored; any other
 * line makes the file malformed. These entries have no web site: they are imported with
 * no origins (add them in the settings page).
 */
import { base32, decodeMigrationPayload, migrationData } from './migration.js';
import { ImportFormatError, type RawEntry } from './types.js';

/** The issuer (or the label's issuer prefix): never the account name, which is often the username. */
function otpauthName(uri: string): string {
  const m = /^otpauth:\/\/[a-z]+\/([^?#]*)(?:\?([^#]*))?/i.exec(uri);
  if (!m) return '';
  const params = new URLSearchParams(m[2] ?? '');
  const issuer = params.get('issuer');
  if (issuer) return issuer;
  let label = m[1] ?? '';
  try {
    label = decodeURIComponent(label);
  } catch {
    /* keep as is */
  }
  const colon = label.indexOf(':');
  return colon > 0 ? label.slice(0, colon) : '';
}

export function parseOtpauthLines(text: string): RawEntry[] {
  const out: RawEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (/^otpauth-migration:\/\//i.test(line)) {
      for (const otp of decodeMigrationPayload(migrationData(line))) {
        const name = otp.issuer || (otp.name.includes(':') ? otp.name.slice(0, otp.name.indexOf(':')) : '') || 'totp';
        if (otp.type === 'hotp') {
          out.push({ name, urls: [], urlless: true, notImportable: 'bad TOTP: counter-based (HOTP) codes are not supported' });
          continue;
        }
        if (otp.algorithm === 'MD5') {
          out.push({ name, urls: [], urlless: true, notImportable: 'bad TOTP: the MD5 algorithm is not supported' });
          continue;
        }
        const totp = `otpauth://totp/${encodeURIComponent(name)}?secret=${base32(otp.secret)}&algorithm=${otp.algorithm}&digits=${otp.digits}&period=30`;
        out.push({ name, urls: [], urlless: true, totp });
      }
      return;
    }
    if (!/^otpauth:\/\//i.test(line)) throw new ImportFormatError(`line ${i + 1} is not an otpauth:// or otpauth-migration:// URI`);
    out.push({ name: otpauthName(line) || 'totp', urls: [], urlless: true, totp: line });
  });
  return out;
}
