/**
 * What the extension knows about the TLS state of the documents it might fill, and the
 * refusal (INSECURE_CONNECTION) when that state is not a valid, override-free one.
 *
 * Two kinds of record, kept for the browser session in storage.session (a worker or
 * event page that restarts keeps them; a browser restart clears them, as it clears the
 * browser's own certificate decisions):
 *   - tainted origins (scheme://host:port): a certificate error was shown there
 *     (Chromium: webNavigation.onErrorOccurred `net::ERR_CERT_*`, the interstitial the
 *     user may click through; the browser then remembers the exception for the host), or
 *     a frame's response arrived over a connection that was not secure (Firefox). Nothing
 *     is filled there until the browser restarts.
 *   - per-frame security (Firefox only, where webRequest.getSecurityInfo exists): the
 *     verdict on the response that made the frame's current document. A frame is filled
 *     only with a record for its own origin that says secure.
 *
 * Only https: origins are judged: loopback http: (allowed by the contract) is not TLS,
 * and every other scheme is refused by the origin checks before this one matters.
 * tls-watch.ts feeds it from the browser's events; this file is the decision logic.
 */

export interface SessionStore {
  get(): Promise<unknown>;
  set(value: StoredLedger): Promise<void>;
}

export interface FrameSecurity {
  origin: string;
  secure: boolean;
  /** Why not secure, in a few words (no URL path, no page content). */
  why: string;
}

export interface StoredLedger {
  tainted: string[];
  frames: Record<string, FrameSecurity>;
}

/** A frame a fill would touch: its frame id in the tab, and its document's origin. */
export interface FrameOrigin {
  frameId: number;
  origin: string;
}

/** Frame records kept (oldest dropped first); tabs.onRemoved drops a closed tab's. */
const MAX_FRAMES = 1000;
const MAX_TAINTED = 1000;

/** scheme://host[:port] of an http(s) URL, or null (the same form the detector reports). */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** A Chromium navigation error that is a certificate error (the interstitial's errors). */
export function isCertError(error: string): boolean {
  return /^net::ERR_CERT_/.test(error);
}

/**
 * Firefox's webRequest.getSecurityInfo answer, judged: secure only when the state is
 * "secure" and nothing says the certificate was accepted despite an error (an override
 * shows as isUntrusted / isDomainMismatch / isNotValidAtThisTime / overridableErrorCategory).
 */
export function judgeSecurityInfo(info: unknown): { secure: boolean; why: string } {
  if (typeof info !== 'object' || info === null) return { secure: false, why: 'no security information' };
  const i = info as Record<string, unknown>;
  const problems: string[] = [];
  if (i.state !== 'secure') problems.push(`state ${typeof i.state === 'string' ? i.state.slice(0, 20) : 'unknown'}`);
  if (i.isUntrusted === true) problems.push('untrusted certificate');
  if (i.isDomainMismatch === true) problems.push('certificate for another name');
  if (i.isNotValidAtThisTime === true) problems.push('certificate expired or not yet valid');
  if (typeof i.overridableErrorCategory === 'string' && i.overridableErrorCategory !== '') problems.push(`certificate error accepted (${i.overridableErrorCategory.slice(0, 40)})`);
  return problems.length === 0 ? { secure: true, why: '' } : { secure: false, why: problems.join(', ') };
}

function frameKey(tabId: number, frameId: number): string {
  return `${tabId}/${frameId}`;
}

export class ConnectionLedger {
  private tainted = new Set<string>();
  private frames = new Map<string, FrameSecurity>();
  private ready: Promise<void>;
  private saving: Promise<void> = Promise.resolve();

  /** `perFrame`: the browser reports each response's TLS state (Firefox); frames need a secure record. */
  constructor(
    private readonly store: SessionStore,
    readonly perFrame: boolean,
  ) {
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    let raw: unknown;
    try {
      raw = await this.store.get();
    } catch {
      return;
    }
    if (typeof raw !== 'object' || raw === null) return;
    const r = raw as Partial<StoredLedger>;
    if (Array.isArray(r.tainted)) for (const o of r.tainted) if (typeof o === 'string') this.tainted.add(o);
    if (typeof r.frames === 'object' && r.frames !== null) {
      for (const [k, v] of Object.entries(r.frames)) {
        // Events that arrived while loading are newer than what was stored.
        if (this.frames.has(k) || typeof v !== 'object' || v === null) continue;
        if (typeof v.origin === 'string' && typeof v.secure === 'boolean') this.frames.set(k, { origin: v.origin, secure: v.secure, why: typeof v.why === 'string' ? v.why : '' });
      }
    }
  }

  private save(): Promise<void> {
    const snapshot: StoredLedger = { tainted: [...this.tainted], frames: Object.fromEntries(this.frames) };
    this.saving = this.saving.then(() => this.store.set(snapshot)).catch(() => undefined);
    return this.saving;
  }

  /** A certificate error was shown for this URL (any frame). */
  async certError(url: string): Promise<void> {
    const origin = originOf(url);
    if (origin === null || !origin.startsWith('https:')) return;
    this.taint(origin);
    await this.ready;
    await this.save();
  }

  /** The response that makes frame (tabId, frameId)'s next document arrived over this connection. */
  async frameResponse(tabId: number, frameId: number, url: string, verdict: { secure: boolean; why: string }): Promise<void> {
    const origin = originOf(url);
    if (origin === null) return;
    const key = frameKey(tabId, frameId);
    this.frames.delete(key);
    this.frames.set(key, { origin, secure: verdict.secure, why: verdict.why });
    while (this.frames.size > MAX_FRAMES) this.frames.delete(this.frames.keys().next().value as string);
    if (!verdict.secure && origin.startsWith('https:')) this.taint(origin);
    await this.ready;
    await this.save();
  }

  /** The tab is gone: forget its frames. */
  async tabClosed(tabId: number): Promise<void> {
    await this.ready;
    let changed = false;
    for (const k of [...this.frames.keys()]) {
      if (k.startsWith(`${tabId}/`)) {
        this.frames.delete(k);
        changed = true;
      }
    }
    if (changed) await this.save();
  }

  private taint(origin: string): void {
    this.tainted.delete(origin);
    this.tainted.add(origin);
    while (this.tainted.size > MAX_TAINTED) this.tainted.delete(this.tainted.values().next().value as string);
  }

  /**
   * Why the connection of one of these frames (or of these further origins: the frames'
   * ancestors) is not one blindfill fills over, or null when every one is fine.
   */
  async problem(tabId: number, frames: readonly FrameOrigin[], ancestors: readonly string[] = []): Promise<string | null> {
    await this.ready;
    for (const origin of [...frames.map((f) => f.origin), ...ancestors]) {
      if (!origin.startsWith('https:')) continue;
      if (this.tainted.has(origin)) {
        return `the browser showed a certificate error for ${origin} in this session, so the page may be an impostor the browser was told to trust anyway: blindfill does not fill there until the browser restarts`;
      }
    }
    if (!this.perFrame) return null;
    for (const f of frames) {
      if (!f.origin.startsWith('https:')) continue;
      const rec = this.frames.get(frameKey(tabId, f.frameId));
      if (!rec || rec.origin !== f.origin) {
        return `blindfill has no record of the TLS state of the page from ${f.origin} (loaded before the extension started?): reload the page and try again`;
      }
      if (!rec.secure) return `the connection to ${f.origin} is not secure (${rec.why})`;
    }
    return null;
  }
}
