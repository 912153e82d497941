/**
 * Unicode code point → the X11 keysyms that produce it. A character is typeable when one
 * of these keysyms sits on some keycode of the current keymap.
 * - Latin-1 (U+0020–U+007E, U+00A0–U+00FF): the keysym is the code point.
 * - Everything else: the Unicode keysym 0x01000000 + code point, and the legacy keysym
 *   from keysymdef.h when there is one (Cyrillic_ZHE 0x06f6 for Ж, EuroSign 0x20ac for €),
 *   since layouts carry the legacy ones.
 * Control characters (and U+007F–U+009F) have no keysym here: they are never typed as text.
 */
import keysymTable from 'x11/lib/keysyms.js';

export const XK_TAB = 0xff09;
export const XK_RETURN = 0xff0d;
export const XK_SHIFT_L = 0xffe1;
export const XK_SHIFT_R = 0xffe2;
export const XK_NUM_LOCK = 0xff7f;

let legacy: Map<number, number[]> | null = null;

/** Code point → legacy (pre-Unicode, non-Latin-1) keysyms, from the x11 package's keysymdef.h table. */
function legacyTable(): Map<number, number[]> {
  if (legacy) return legacy;
  const m = new Map<number, number[]>();
  for (const entry of Object.values(keysymTable as Record<string, { code: number; description: string | null }>)) {
    const { code, description } = entry;
    if (!description || code >= 0x01000000 || code <= 0xff) continue;
    const r = /^\((.+?)\) /u.exec(description);
    if (!r) continue;
    const chars = [...r[1]!];
    if (chars.length !== 1) continue;
    const cp = chars[0]!.codePointAt(0)!;
    const list = m.get(cp);
    if (list) {
      if (!list.includes(code)) list.push(code);
    } else m.set(cp, [code]);
  }
  legacy = m;
  return m;
}

export function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/** The keysyms that type `cp`, preferred first; empty for control characters and non-characters. */
export function keysymsFor(cp: number): number[] {
  if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff || isControl(cp)) return [];
  if (cp >= 0xd800 && cp <= 0xdfff) return []; // a lone surrogate is not a character
  if (cp <= 0xff) return [cp];
  const out = [0x01000000 + cp];
  for (const k of legacyTable().get(cp) ?? []) out.push(k);
  return out;
}
