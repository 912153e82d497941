/**
 * Document identity where chrome.scripting has no `documentIds` (Firefox: its
 * InjectionResult carries no documentId and its InjectionTarget takes only frameIds).
 *
 * The probe's injection results are given stand-in document ids (`frame:<random>`), each
 * remembering the tab, the frame id and the URL webNavigation reported for that frame
 * when the probe ran. A later injection naming those ids re-reads each frame's URL with
 * webNavigation.getFrame right before injecting by frameIds, and fails closed (throws,
 * as Chromium does for a gone document) when the frame is gone or its URL changed. This
 * is weaker than a real documentId (a same-URL reload keeps the URL), so the filler's
 * own origin re-check inside the page still decides before any value is set.
 *
 * Feature detection, not browser sniffing: a result without a documentId switches to
 * this path; results that carry one pass through untouched.
 */
import type { FrameResult } from './api.js';

export interface NavFrame {
  frameId: number;
  url: string;
}

export interface FrameNav {
  /** webNavigation.getAllFrames({tabId}); null when the tab is gone. */
  allFrames(tabId: number): Promise<NavFrame[] | null>;
  /** webNavigation.getFrame({tabId, frameId}); null when the frame is gone. */
  frame(tabId: number, frameId: number): Promise<{ url: string } | null>;
}

export interface RawResult {
  frameId: number;
  documentId?: string | undefined;
  result?: unknown;
}

export const STAND_IN_PREFIX = 'frame:';
/** Stand-ins kept (oldest dropped first): a probe has at most a few dozen frames. */
const MAX_KEPT = 512;

interface Record_ {
  tabId: number;
  frameId: number;
  url: string;
}

export class StandInDocuments {
  private readonly known = new Map<string, Record_>();

  constructor(
    private readonly nav: FrameNav,
    private readonly random: () => string = () => crypto.randomUUID(),
  ) {}

  static isStandIn(id: string): boolean {
    return id.startsWith(STAND_IN_PREFIX);
  }

  /** Results of an all-frames injection: give every frame without a documentId a stand-in. */
  async label(tabId: number, results: readonly RawResult[]): Promise<FrameResult[]> {
    if (results.every((r) => typeof r.documentId === 'string')) {
      return results.map((r) => ({ frameId: r.frameId, documentId: r.documentId as string, result: r.result ?? null }));
    }
    const frames = (await this.nav.allFrames(tabId)) ?? [];
    const urlOf = new Map(frames.map((f) => [f.frameId, f.url]));
    return results.map((r) => {
      if (typeof r.documentId === 'string') return { frameId: r.frameId, documentId: r.documentId, result: r.result ?? null };
      const url = urlOf.get(r.frameId);
      // A frame webNavigation does not know cannot be re-checked later: no id, never a target.
      if (url === undefined) return { frameId: r.frameId, documentId: '', result: r.result ?? null };
      const id = `${STAND_IN_PREFIX}${this.random()}`;
      this.known.set(id, { tabId, frameId: r.frameId, url });
      while (this.known.size > MAX_KEPT) this.known.delete(this.known.keys().next().value as string);
      return { frameId: r.frameId, documentId: id, result: r.result ?? null };
    });
  }

  /**
   * The frame ids behind these stand-ins, each re-checked now: same tab, frame still
   * there, same URL as when it was probed. Throws when any is not.
   */
  async resolve(tabId: number, documentIds: readonly string[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const id of documentIds) {
      const rec = this.known.get(id);
      if (!rec || rec.tabId !== tabId) throw new Error('No document with that id in the tab');
      const now = await this.nav.frame(tabId, rec.frameId);
      if (!now || now.url !== rec.url) throw new Error('The frame navigated since it was checked');
      out.set(rec.frameId, id);
    }
    return out;
  }

  /** Results of a frameIds injection, named by the stand-ins they were resolved from. */
  static rename(results: readonly RawResult[], byFrame: ReadonlyMap<number, string>): FrameResult[] {
    const out: FrameResult[] = [];
    for (const r of results) {
      const id = byFrame.get(r.frameId);
      if (id !== undefined) out.push({ frameId: r.frameId, documentId: id, result: r.result ?? null });
    }
    return out;
  }
}
