/**
 * KeePass / KeePassXC field references: `{REF:<wanted>@<search in>:<text>}`, where wanted
 * and search-in are T (title), U (username), P (password), A (URL), N (notes), I (UUID;
 * 32 hex digits). An entry whose password is `{REF:P@I:…}` shares another entry's
 * password. Resolved here within the same export (recursively, at most 10 deep); a
 * reference that finds no entry or several, a cycle, or a UUID the export does not carry
 * (the CSV export has no UUID column) leaves the entry unresolved, with a reason that names
 * the field and the reference kind, never the reference's text (a search text can be a
 * password). Such an entry is skipped: a placeholder is never imported as a value.
 */

export interface RefRecord {
  title: string;
  username: string;
  password: string;
  url: string;
  notes: string;
  /** 32 hex digits, upper case, when the export carries UUIDs. */
  uuid?: string;
}

type Key = 'title' | 'username' | 'password' | 'url' | 'notes' | 'uuid';
const FIELD: Record<string, Key> = { T: 'title', U: 'username', P: 'password', A: 'url', N: 'notes', I: 'uuid' };
const FIELD_NAME: Record<Key, string> = { title: 'title', username: 'username', password: 'password', url: 'URL', notes: 'notes', uuid: 'UUID' };

const REF = /\{REF:([TUPANI])@([TUPANI]):([^}]*)\}/gi;
const MAX_DEPTH = 10;

export function hasReference(s: string): boolean {
  return /\{REF:/i.test(s);
}

export type RefResult = { ok: true; value: RefRecord } | { ok: false; reason: string };

/** Every record with its references replaced, or why it cannot be. */
export function resolveReferences(records: readonly RefRecord[]): RefResult[] {
  const canSearchUuid = records.some((r) => r.uuid !== undefined);
  const find = (where: Key, text: string): RefRecord[] => {
    const t = text.trim().toLowerCase();
    if (where === 'uuid') return records.filter((r) => r.uuid !== undefined && r.uuid.toLowerCase() === t.replace(/-/g, ''));
    return records.filter((r) => r[where].toLowerCase() === t);
  };

  const resolveField = (rec: RefRecord, key: Key, depth: number, path: Set<RefRecord>): { ok: true; value: string } | { ok: false; reason: string } => {
    const raw = rec[key] ?? '';
    if (!hasReference(raw)) return { ok: true, value: raw };
    if (depth >= MAX_DEPTH || path.has(rec)) return { ok: false, reason: `its ${FIELD_NAME[key]} is a KeePassXC reference that loops back on itself` };
    let failure: string | null = null;
    const out = raw.replace(REF, (_m, wantedL: string, whereL: string, text: string) => {
      if (failure !== null) return '';
      const wanted = FIELD[wantedL.toUpperCase()]!;
      const where = FIELD[whereL.toUpperCase()]!;
      const kind = `{REF:${wantedL.toUpperCase()}@${whereL.toUpperCase()}:…}`;
      if (where === 'uuid' && !canSearchUuid) {
        failure = `its ${FIELD_NAME[key]} is a KeePassXC reference (${kind}) by UUID, and this export has no UUIDs`;
        return '';
      }
      const hits = find(where, text);
      if (hits.length !== 1) {
        failure = `its ${FIELD_NAME[key]} is a KeePassXC reference (${kind}) that matches ${hits.length === 0 ? 'no entry' : 'several entries'} in this export`;
        return '';
      }
      const target = hits[0]!;
      if (target === rec || path.has(target)) {
        failure = `its ${FIELD_NAME[key]} is a KeePassXC reference that loops back on itself`;
        return '';
      }
      const next = new Set(path).add(rec);
      const v = resolveField(target, wanted, depth + 1, next);
      if (!v.ok) {
        failure = v.reason.startsWith('its ') ? `its ${FIELD_NAME[key]} refers to an entry whose ${v.reason.slice(4)}` : v.reason;
        return '';
      }
      return v.value;
    });
    if (failure !== null) return { ok: false, reason: failure };
    // Text that still looks like a reference (malformed, unknown letters) is not a value either.
    if (hasReference(out)) return { ok: false, reason: `its ${FIELD_NAME[key]} holds a KeePassXC reference blindfill cannot read` };
    return { ok: true, value: out };
  };

  return records.map((rec) => {
    const value: RefRecord = { ...rec };
    for (const key of ['title', 'username', 'password', 'url', 'notes'] as const) {
      const r = resolveField(rec, key, 0, new Set());
      if (!r.ok) return r;
      value[key] = r.value;
    }
    return { ok: true, value };
  });
}
