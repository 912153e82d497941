/**
 * Which window titles a credential may be typed into (KeePassXC Auto-Type rules, stricter):
 * a plain entry matches when it is a case-insensitive substring of the title; an entry
 * written `//regex//` is a JavaScript regular expression (no flags: case-sensitive,
 * unanchored unless it anchors itself), the same test `add` used to validate it.
 * An empty title never matches. Pure.
 */

export function isRegexPattern(entry: string): boolean {
  return entry.startsWith('//') && entry.endsWith('//') && entry.length > 4;
}

/** Longest title looked at: titles are attacker-influenced (a web page sets its own). */
export const MAX_TITLE = 1024;

export function titleMatches(title: string, entry: string): boolean {
  if (title.length === 0) return false;
  const t = title.length > MAX_TITLE ? title.slice(0, MAX_TITLE) : title;
  if (isRegexPattern(entry)) {
    let re: RegExp;
    try {
      re = new RegExp(entry.slice(2, -2));
    } catch {
      return false; // validated at add; a pattern that no longer compiles matches nothing
    }
    return re.test(t);
  }
  return t.toLowerCase().includes(entry.toLowerCase());
}

/** The first entry of `windows` that matches `title`, or undefined. */
export function matchWindow(title: string, windows: readonly string[]): string | undefined {
  return windows.find((w) => titleMatches(title, w));
}
