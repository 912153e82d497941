/**
 * Scrubbing of MCP messages (results, notifications, errors): every string in the value —
 * object keys included — goes through the scrubber, except binary payloads, which pass
 * unchanged: `data` of image/audio content, and `blob` of resource contents. All strings
 * of one message go to the daemon in one request.
 */

export type ScrubTexts = (texts: string[]) => Promise<{ ok: true; texts: string[] } | { ok: false; code: string; message: string }>;

const BINARY_CONTENT = new Set(['image', 'audio']);

/** Is `key` of `owner` a binary payload that must pass unchanged? */
export function isBinaryField(owner: Record<string, unknown>, key: string): boolean {
  if (key === 'blob') return true;
  return key === 'data' && typeof owner.type === 'string' && BINARY_CONTENT.has(owner.type);
}

interface Slot {
  text: string;
  set: (s: string) => void;
}

function collect(value: unknown, slots: Slot[], set: (v: unknown) => void): void {
  if (typeof value === 'string') {
    slots.push({ text: value, set });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collect(value[i], slots, (v) => (value[i] = v));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (isBinaryField(obj, key)) continue;
    collect(obj[key], slots, (v) => (obj[key] = v));
  }
  // Keys are text too: scrub them after the values (renaming keeps the scrubbed value).
  for (const key of Object.keys(obj)) {
    slots.push({
      text: key,
      set: (k) => {
        if (k === key) return;
        const v = obj[key];
        delete obj[key];
        obj[k] = v;
      },
    });
  }
}

/**
 * A deep copy of `value` with every string scrubbed (binary payloads excepted), or the
 * scrubber's failure: the caller must then not pass `value` on.
 */
export async function scrubValue<T>(value: T, scrub: ScrubTexts): Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }> {
  const copy = { v: structuredClone(value) as unknown };
  const slots: Slot[] = [];
  collect(copy.v, slots, (v) => (copy.v = v));
  if (slots.length === 0) return { ok: true, value: copy.v as T };
  const r = await scrub(slots.map((s) => s.text));
  if (!r.ok) return r;
  if (r.texts.length !== slots.length) return { ok: false, code: 'INTERNAL', message: 'the scrubber answered the wrong number of texts' };
  // Values first, then keys (collect pushed each object's keys after its values).
  slots.forEach((s, i) => {
    const t = r.texts[i]!;
    if (t !== s.text) s.set(t);
  });
  return { ok: true, value: copy.v as T };
}
