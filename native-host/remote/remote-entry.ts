/**
 * One KV v2 secret → one credential. The secret's data holds the credential object's fields
 * (CONTRACT §3) except `label`, which is the secret's name. `bao kv put` writes strings, so
 * origins, windows and a TOTP object may be JSON text; native JSON is taken too.
 * Unknown fields refuse the entry (as `add` would).
 */
import { type Credential, CredentialInputSchema, normalizeCredential } from '../../shared/credential.js';
import { fail, type Result } from '../../shared/errors.js';

const LIST_FIELDS = new Set(['origins', 'windows']);

function decodeField(key: string, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (LIST_FIELDS.has(key)) {
    const t = v.trim();
    if (t.startsWith('[')) {
      try {
        return JSON.parse(t);
      } catch {
        return v;
      }
    }
    // A single entry, or several separated by commas (`origins=https://a,https://b`).
    return t === '' ? [] : t.split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (key === 'totp' && v.trim().startsWith('{')) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

/** Messages name the label and field names only, never a value. */
export function credentialFromKv(label: string, data: unknown): Result<Credential> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('INVALID_REQUEST', `${label}: the secret's data is not an object`);
  const input: Record<string, unknown> = { label };
  for (const [k, v] of Object.entries(data)) {
    if (k === 'label') {
      if (v !== label) return fail('INVALID_REQUEST', `${label}: its "label" field differs from the secret's name`);
      continue;
    }
    input[k] = decodeField(k, v);
  }
  const parsed = CredentialInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? i.keys.join(',') : String(i.path[0] ?? '?'))))];
    return fail('INVALID_REQUEST', `${label}: invalid field(s) ${fields.join(', ')}`);
  }
  return normalizeCredential(parsed.data);
}

/** The KV data `remote put` writes for a credential input: native JSON for lists. */
export function kvFromInput(input: Record<string, unknown>): Record<string, unknown> {
  const { label: _label, ...rest } = input;
  return rest;
}
