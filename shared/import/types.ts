/**
 * What every import parser produces: one raw entry per item of the other manager's export,
 * before blindfill's rules (origins, labels, TOTP) are applied by `plan.ts`.
 * Pure data; secrets are plain strings here because they came from a plain-text file.
 */

export interface RawEntry {
  /** The entry's title in the other manager (for labels and messages; never a secret). */
  name: string;
  username?: string;
  password?: string;
  /** otpauth:// URI or base32 seed, as the export holds it. */
  totp?: string;
  /** A passkey (CONTRACT §8), already in blindfill's shape (base64url). */
  passkey?: { rp_id: string; credential_id: string; user_handle: string; private_key: string; sign_count: number };
  /** Every URL the entry names, as written in the export. */
  urls: string[];
  /** The folder or group it is filed under (a word for its label; never a secret). */
  group?: string;
  /** Set by the parser when the entry is not a login at all (card, note, trash...). */
  notImportable?: string;
  /** Entries with no URL by nature (otpauth lines) are imported without origins. */
  urlless?: boolean;
}

/** The file is not a valid export of that format: the whole import stops, nothing is written. */
export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

export type Parser = (text: string) => RawEntry[];
