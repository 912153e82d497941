/**
 * Which focused window a credential may be typed into: its title and the program that
 * owns it against the credential's `windows` entries (syntax: shared/window-entry.ts).
 *
 * - A plain title matches the whole title, case-insensitively; `//regex//` is a
 *   linear-time regular expression (a crafted title cannot make it run long).
 * - `{class=…}` / `{exe=…}` qualifiers must all hold for the window's program.
 * - A browser window (by WM_CLASS / bundle id or by executable) is refused unless the
 *   entry names a browser in its qualifiers: any web page sets its own title, so "Acme
 *   VPN" in a browser says nothing about which site is showing.
 * - A window whose program cannot be told at all is refused for entries without
 *   qualifiers (it might be a browser).
 *
 * An empty title never matches. Pure.
 */
import { ok, fail, type Result } from '../../shared/errors.js';
import { linearTest } from '../../shared/linear-regex.js';
import { parseWindowEntry, type TitlePattern, type WindowEntry, type WindowQualifiers } from '../../shared/window-entry.js';

/** What is known of the program behind a window; what a web page cannot set. */
export interface WindowProgram {
  /** X11 WM_CLASS instance and class; macOS bundle id and process name. Empty when unknown. */
  readonly classes: readonly string[];
  /** The owning process on this machine, when known. */
  readonly pid?: number;
  /** Absolute path of that process's executable, when known. */
  readonly exe?: string;
}

/** Longest title that can match: longer ones are refused, not cut (a cut would move `$`). */
export const MAX_TITLE = 1024;

/**
 * Browsers by WM_CLASS, macOS bundle id / process name and executable file name
 * (lowercase, without ".exe"). A window is a browser when any of its names is here.
 */
export const BROWSER_NAMES: ReadonlySet<string> = new Set([
  // Chromium family
  'chromium', 'chromium-browser', 'chrome', 'google-chrome', 'google-chrome-stable', 'google-chrome-beta',
  'google-chrome-unstable', 'chrome-headless-shell', 'headless_shell', 'ungoogled-chromium', 'thorium', 'thorium-browser',
  'brave', 'brave-browser', 'brave-browser-stable', 'msedge', 'microsoft-edge', 'microsoft-edge-stable',
  'microsoft-edge-beta', 'microsoft-edge-dev', 'vivaldi', 'vivaldi-bin', 'vivaldi-stable', 'opera', 'yandex-browser',
  // Firefox family ("Navigator" is Firefox's WM_CLASS instance)
  'firefox', 'firefox-esr', 'firefox-bin', 'navigator', 'librewolf', 'waterfox', 'floorp', 'zen', 'zen-browser',
  'iceweasel', 'icecat', 'seamonkey', 'palemoon', 'mullvad-browser', 'tor-browser',
  // others on Linux
  'epiphany', 'org.gnome.epiphany', 'midori', 'falkon', 'qutebrowser', 'konqueror', 'nyxt',
  // macOS bundle ids and process names
  'com.google.chrome', 'org.chromium.chromium', 'org.mozilla.firefox', 'com.apple.safari', 'safari',
  'com.brave.browser', 'com.microsoft.edgemac', 'com.vivaldi.vivaldi', 'com.operasoftware.opera',
  'company.thebrowser.browser', 'arc', 'google chrome', 'microsoft edge', 'brave browser',
]);

/** An executable path's file name, lowercase, without ".exe" and the kernel's " (deleted)". */
export function exeName(path: string): string {
  const base = path.replace(/ \(deleted\)$/, '').split(/[\\/]/).pop() ?? '';
  return base.toLowerCase().replace(/\.exe$/, '');
}

/**
 * A class name compared: lowercase, without the " (PROFILE DIR)" Chromium appends to its
 * WM_CLASS instance for a non-default profile.
 */
function className(c: string): string {
  return c.toLowerCase().replace(/ \(.*\)$/, '');
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

/** The names by which this program may be a browser. */
function browserNamesOf(p: WindowProgram): string[] {
  const names = p.classes.map(className);
  if (p.exe !== undefined) names.push(exeName(p.exe));
  return names.filter((n) => BROWSER_NAMES.has(n));
}

export function isBrowser(p: WindowProgram): boolean {
  return browserNamesOf(p).length > 0;
}

/** Does an entry's qualifier name a browser (what makes a browser window acceptable)? */
function namesBrowser(q: WindowQualifiers): boolean {
  return (q.class !== undefined && BROWSER_NAMES.has(q.class.toLowerCase())) || (q.exe !== undefined && BROWSER_NAMES.has(exeName(q.exe)));
}

function hasQualifiers(q: WindowQualifiers): boolean {
  return q.class !== undefined || q.exe !== undefined;
}

export function qualifiersHold(q: WindowQualifiers, p: WindowProgram): boolean {
  if (q.class !== undefined && !p.classes.some((c) => className(c) === q.class!.toLowerCase())) return false;
  if (q.exe !== undefined) {
    if (p.exe === undefined) return false;
    const exe = p.exe.replace(/ \(deleted\)$/, '');
    if (isAbsolute(q.exe) ? exe !== q.exe : exeName(exe) !== exeName(q.exe)) return false;
  }
  return true;
}

export function titlePatternMatches(title: string, t: TitlePattern): boolean {
  if (title.length === 0 || title.length > MAX_TITLE) return false;
  if (t.kind === 'regex') return linearTest(t.re, title);
  return title.toLowerCase() === t.text.toLowerCase();
}

/** The title part of an entry string matches `title` (an unparsable entry matches nothing). */
export function titleMatches(title: string, entry: string): boolean {
  const e = parseWindowEntry(entry);
  return e.ok && titlePatternMatches(title, e.value.title);
}

/** How the program behind a window is shown to people: "chromium (/usr/lib/chromium/chromium, pid 42)". */
export function describeProgram(p: WindowProgram): string {
  const cls = [...new Set(p.classes)].join('/') || 'unknown program';
  const extra = [p.exe, p.pid !== undefined ? `pid ${p.pid}` : undefined].filter((x) => x !== undefined);
  return extra.length > 0 ? `${cls} (${extra.join(', ')})` : cls;
}

export interface WindowMatch {
  /** The entry (as written) that allowed this window. */
  readonly entry: string;
  readonly parsed: WindowEntry;
}

/**
 * The first entry of `windows` that allows this window, or WINDOW_MISMATCH with the most
 * useful reason (program refused beats title mismatch). Messages hold no value.
 */
export function matchWindow(title: string, program: WindowProgram, windows: readonly string[]): Result<WindowMatch> {
  let why: string | undefined;
  const browser = browserNamesOf(program);
  for (const raw of windows) {
    const e = parseWindowEntry(raw);
    if (!e.ok || !titlePatternMatches(title, e.value.title)) continue;
    const q = e.value.qualifiers;
    if (hasQualifiers(q)) {
      if (!qualifiersHold(q, program)) {
        why ??= `its program, ${describeProgram(program)}, is not the one the entry ${JSON.stringify(raw)} names`;
        continue;
      }
      if (browser.length > 0 && !namesBrowser(q)) {
        why ??= `it is a browser window (${browser[0]}) and the entry ${JSON.stringify(raw)} does not name a browser`;
        continue;
      }
      return ok({ entry: raw, parsed: e.value });
    }
    if (browser.length > 0) {
      why ??= `it is a browser window (${browser[0]}), whose title any web page can set; an entry must name the browser, e.g. ${JSON.stringify(`{class=${browser[0]}}…`)}, to type into it`;
      continue;
    }
    if (program.classes.length === 0 && program.exe === undefined) {
      why ??= 'blindfill cannot tell which program owns it (no WM_CLASS, no process), so it cannot rule out a browser';
      continue;
    }
    return ok({ entry: raw, parsed: e.value });
  }
  return fail('WINDOW_MISMATCH', why ?? 'its title matches none of the entries');
}
