/**
 * The frame rule of CONTRACT §4, in one place for the service worker (deciding which
 * frames a probe keeps) and the filler (re-checking inside the page immediately before
 * any value is set).
 *
 * Matching uses shared/origin-match.ts, the PSL-free matcher (this file is bundled into
 * the page scripts, which must stay small): give it patterns shared/origin.ts accepts,
 * as the service worker does (handler.ts `acceptedPatterns`), and it answers as
 * shared/origin.ts would.
 *
 * A frame qualifies when it is an http(s) document whose own origin matches one of the
 * credential's patterns, and every ancestor's origin matches too. The contract asks for
 * the top-level origin whenever it differs from the frame's; requiring every ancestor is
 * the stricter form of that rule, so a matching login frame embedded through a
 * non-matching middle frame is refused as well. Opaque origins ("null": sandboxed
 * frames, data: URLs) never match; about:blank and blob: documents are refused by their
 * scheme even when they inherit a matching origin.
 */
import { checkOrigin } from '../../shared/origin-match.js';
import type { ErrorCode } from '../../shared/errors.js';

export interface FrameFacts {
  /** `location.origin` inside the frame. */
  readonly origin: string;
  /** `location.protocol` inside the frame. */
  readonly protocol: string;
  /** `location.ancestorOrigins`, nearest parent first, top-level last. */
  readonly ancestors: readonly string[];
}

export type FrameVerdict = { ok: true } | { ok: false; code: ErrorCode; message: string };

export function checkFrame(patterns: readonly string[], frame: FrameFacts): FrameVerdict {
  if (frame.protocol !== 'https:' && frame.protocol !== 'http:') {
    return { ok: false, code: 'ORIGIN_MISMATCH', message: `a frame is a ${safeScheme(frame.protocol)} document, not a web page` };
  }
  const own = checkOrigin(patterns, originUrl(frame.origin));
  if (!own.ok) return { ok: false, code: own.code, message: own.message };
  for (const a of frame.ancestors) {
    const r = checkOrigin(patterns, originUrl(a));
    if (!r.ok) {
      return { ok: false, code: 'ORIGIN_MISMATCH', message: `a frame of ${own.value.origin} is embedded in ${describeOrigin(a)}, which is not one of this credential's origins` };
    }
  }
  return { ok: true };
}

function originUrl(origin: string): string {
  // "null" and other non-URLs fail to parse inside checkOrigin and are refused there.
  return origin === 'null' ? 'null' : `${origin}/`;
}

function describeOrigin(o: string): string {
  if (o === 'null') return 'an opaque-origin (sandboxed) frame';
  return /^https?:\/\/[^/\s]{1,253}$/.test(o) ? o : 'another document';
}

function safeScheme(p: string): string {
  return /^[a-z][a-z0-9+.-]{0,20}:$/.test(p) ? p : 'non-web';
}

/**
 * The document's real origin. `location.origin` reflects the URL even in a sandboxed
 * frame, whose effective origin is opaque ("null"); `self.origin` tells the truth.
 */
export function effectiveOrigin(): string {
  const o = (globalThis as { origin?: unknown }).origin;
  return typeof o === 'string' ? o : location.origin;
}
