/**
 * The answer to every request the daemon sends the extension (shared/browser-protocol.ts),
 * one function per request type. All browser access goes through BrowserApi, so this
 * file is pure decision logic: which tab, which frames, which documents, which refusal.
 *
 * Values only ever travel from the `fill` request into the filler call of the documents
 * the probe approved, and only the kinds each of those documents was approved for. No
 * value is logged, put in a message, or sent back.
 */
import {
  type BrowserFailure,
  type BrowserRequest,
  BrowserRequestSchema,
  type BrowserResponse,
  type FieldKind,
  type FillRequest,
  type FillResult,
  type FillTarget,
  type FillValues,
  type PasswordHints,
  PasswordHintsSchema,
  type ProbeRequest,
  type ProbeResult,
} from '../../shared/browser-protocol.js';
import { FLOW_REFUSAL_TEXT, type FlowRefusal } from '../page/flow-fields.js';
import { VERSION } from '../../shared/constants.js';
import type { ErrorCode } from '../../shared/errors.js';
import { checkOrigin, describeUrl, pageOrigin, parseOriginPattern } from '../../shared/origin.js';
import { checkFrame } from '../page/frame-origin.js';
import { DETECT_GLOBAL, DETECTOR_FILE, FILL_GLOBAL, FILLER_FILE, KIND_ORDER, PAGE_SCRIPT_MISSING } from '../page/names.js';
import { isRefusalReason, REFUSAL_TEXT, type RefusalReason } from '../page/refusal.js';
import type { BrowserApi, FrameResult, InjectTarget } from './api.js';
import { OutcomeWatch } from './outcome-watch.js';
import { TabArms } from './passkey-relay.js';

export interface HandlerOptions {
  /** Time allowed for each injection or page-script call (ms). */
  timeoutMs?: number;
  version?: string;
  /** The tabs armed for a passkey ceremony (shared with the page relay). */
  passkeyArms?: TabArms;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
/** ProbeResultSchema / FillRequestSchema allow at most 64 targets. */
export const MAX_TARGETS = 64;

type Handler<T extends BrowserRequest['type']> = (req: Extract<BrowserRequest, { type: T }>) => Promise<BrowserResponse>;

class Refusal extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

function failure(code: ErrorCode, message: string): BrowserFailure {
  return { ok: false, code, message };
}

export function createHandler(api: BrowserApi, opts: HandlerOptions = {}): (raw: unknown) => Promise<BrowserResponse> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const version = opts.version ?? VERSION;
  const passkeyArms = opts.passkeyArms ?? new TabArms();

  /** Run one browser call under the timeout; TIMEOUT when the page does not answer. */
  function timed<T>(what: string, p: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Refusal('TIMEOUT', `the page did not answer the ${what} within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  }

  const handlers: { [K in BrowserRequest['type']]: Handler<K> } = {
    ping: async () => ({ ok: true, version }),
    probe: (req) => probe(req),
    fill: (req) => fill(req),
    passkey_arm: async (req) => {
      // No secret: remember the active tab; the daemon judges its origin against the passkey.
      const tab = await api.activeTab();
      if (!tab || tab.url === undefined) return failure('ORIGIN_MISMATCH', 'there is no active tab');
      let origin: string;
      try {
        origin = new URL(tab.url).origin;
      } catch {
        return failure('ORIGIN_MISMATCH', 'the active tab has no origin');
      }
      if (origin === 'null') return failure('ORIGIN_MISMATCH', 'the active tab has no origin');
      const problem = await api.connectionProblem(tab.id, [{ frameId: 0, origin }]);
      if (problem !== null) return failure('INSECURE_CONNECTION', problem);
      await api.ensurePasskeyScripts?.(tab.id);
      passkeyArms.arm(tab.id, req.kind, req.ttl_ms);
      return { ok: true, tabId: tab.id, origin, armed: req.kind };
    },
    passkey_disarm: async (req) => {
      passkeyArms.disarm(req.tabId, req.kind);
      return { ok: true, version };
    },
    active_origin: () => activeOrigin(),
  };

  // -------------------------------------------------------------------------
  // active_origin: the active tab's origin only (no path, query or fragment: they may
  // hold tokens), for a list filtered by the page the agent is on.
  async function activeOrigin(): Promise<BrowserResponse> {
    const tab = await api.activeTab();
    if (!tab) return failure('NO_FILLABLE_FIELD', 'there is no active tab');
    const page = pageOrigin(tab.url ?? '');
    if (page === null) return failure('ORIGIN_MISMATCH', `the active tab (${describeUrl(tab.url ?? '')}) is not a web page a credential can be filled on`);
    return { ok: true, active_origin: page.origin };
  }

  // -------------------------------------------------------------------------
  // probe: no secret. Which frames of the active tab may be filled, with which kinds?
  async function probe(req: ProbeRequest): Promise<BrowserResponse> {
    const tab = await api.activeTab();
    if (!tab) return failure('NO_FILLABLE_FIELD', 'there is no active tab');
    // A sign-up binds the new credential to the page's own origin.
    const patterns = req.flow === 'create' && req.origins.length === 0 ? ownOrigin(tab.url ?? '') : req.origins;
    const page = checkOrigin(patterns, tab.url ?? '');
    if (!page.ok) return failure(page.code, page.message);
    // The top document's connection first: nothing is injected into an impostor.
    const topProblem = await api.connectionProblem(tab.id, [{ frameId: 0, origin: page.value.origin }]);
    if (topProblem !== null) return failure('INSECURE_CONNECTION', topProblem);

    const all: InjectTarget = { tabId: tab.id, allFrames: true };
    const detect = () => timed('field detector', api.callGlobal(all, DETECT_GLOBAL, req.flow ? { flow: req.flow } : null));
    let reports: FrameResult[];
    try {
      // The detector is injected (and parsed) only when some frame lacks it: a page probed
      // before (a two-step login, a retry) answers the first call.
      reports = await detect();
      if (reports.length === 0 || reports.some((r) => r.result === PAGE_SCRIPT_MISSING)) {
        await timed('field detector', api.injectFile(all, DETECTOR_FILE));
        reports = await detect();
      }
    } catch (e) {
      if (e instanceof Refusal) throw e;
      return failure('NO_FILLABLE_FIELD', `the page at ${page.value.origin} could not be inspected`);
    }
    const selected = selectFrames({ origins: acceptedPatterns(patterns), want: req.want }, reports);
    const { refusedOrigins, foreignOnly, unprovable } = selected;
    let { targets, frames } = selected;
    let hints: PasswordHints | undefined;
    if (req.flow) {
      // One form of one document: the first frame whose detector found the flow's form.
      const i = targets.findIndex((t) => t.fields.includes('new_password'));
      targets = i < 0 ? [] : [targets[i]!];
      frames = i < 0 ? [] : [frames[i]!];
      if (i < 0) {
        const why = flowRefusalsOf(acceptedPatterns(patterns), reports);
        const what = req.flow === 'create' ? 'sign-up' : 'change-password';
        return failure('NO_FILLABLE_FIELD', `no ${what} form on ${page.value.origin}${why.length > 0 ? `: ${why.map((w) => FLOW_REFUSAL_TEXT[w]).join('; ')}` : ''}`);
      }
      if (req.flow === 'change' && !targets[0]!.fields.includes('password')) return failure('NO_FILLABLE_FIELD', `no change-password form on ${page.value.origin}: ${FLOW_REFUSAL_TEXT['no-current-password']}`);
      hints = hintsIn(reports, targets[0]!.documentId);
    }
    if (targets.length === 0) {
      const where = [...refusedOrigins].slice(0, 5).join(', ');
      const msg = unprovable
        ? `the only fillable ${req.want.join('/')} fields on ${page.value.origin} are in a child frame, and this browser cannot report a frame's ancestor origins (no location.ancestorOrigins, as in Firefox): blindfill fills only top-level pages here`
        : foreignOnly
        ? `no fillable ${req.want.join('/')} field on ${page.value.origin}; the only such fields are in frames from ${where}, which this credential does not cover`
        : `no fillable ${req.want.join('/')} field on ${page.value.origin}`;
      const why = refusalsOf(acceptedPatterns(patterns), reports);
      return failure('NO_FILLABLE_FIELD', why.length > 0 ? `${msg}: ${why.map((w) => REFUSAL_TEXT[w]).join('; ')}` : msg);
    }
    // Every document that would be filled, and every one of their ancestors.
    const problem = await api.connectionProblem(
      tab.id,
      frames.map((f) => ({ frameId: f.frameId, origin: f.origin })),
      frames.flatMap((f) => f.ancestors),
    );
    if (problem !== null) return failure('INSECURE_CONNECTION', problem);
    const result: ProbeResult = { ok: true, tabId: tab.id, origin: page.value.origin, targets, ...(hints ? { hints } : {}) };
    return result;
  }

  // -------------------------------------------------------------------------
  // fill: the values, only into the documents the probe approved.
  async function fill(req: FillRequest): Promise<BrowserResponse> {
    const tab = await api.getTab(req.tabId);
    if (!tab) return failure('ORIGIN_MISMATCH', 'the tab that was checked is gone');
    const page = checkOrigin(req.origins, tab.url ?? '');
    if (!page.ok) return failure(page.code, page.message);
    const topProblem = await api.connectionProblem(tab.id, [{ frameId: 0, origin: page.value.origin }]);
    if (topProblem !== null) return failure('INSECURE_CONNECTION', topProblem);

    const targets = orderTargets(req.targets);
    const documentIds = [...new Set(targets.map((t) => t.documentId))];
    const changed = `the page changed since it was checked (${page.value.origin}); nothing was filled`;
    // The probe's injection (page/detector.js) left the filler in every document it
    // approved, so one document is filled with a single call by documentId (a navigated
    // frame is a new document: the call fails closed). Several documents are first given
    // the filler all at once, so that none is filled when one of them is already gone.
    if (documentIds.length > 1) {
      try {
        await timed('filler', api.injectFile({ tabId: tab.id, documentIds }, FILLER_FILE));
      } catch (e) {
        if (e instanceof Refusal) throw e;
        return failure('ORIGIN_MISMATCH', changed);
      }
    }
    const origins = acceptedPatterns(req.origins);

    const filled = new Set<FieldKind>();
    let submitted = false;
    let called = false;
    const lastUseful = lastIndexWithValues(targets, req.values);
    const waitMs = req.submit ? (req.outcomeWaitMs ?? 0) : 0;
    let watch: OutcomeWatch | null = null;
    try {
      for (let i = 0; i < targets.length; i++) {
        const target = targets[i]!;
        const values = valuesFor(target, req.values);
        if (Object.keys(values).length === 0) continue;
        const submit = req.submit && i === lastUseful;
        const one: InjectTarget = { tabId: tab.id, documentIds: [target.documentId] };
        // Watching starts before the submit, so the page's answer cannot slip past.
        if (submit && waitMs > 0) {
          const ours = (url: string): boolean => checkOrigin(req.origins, url).ok;
          const identifierOnly = values.password === undefined && values.totp === undefined && values.new_password === undefined;
          watch = new OutcomeWatch(api, { tabId: tab.id, frameId: target.frameId, ours, totp: values.totp !== undefined, identifierOnly });
        }
        const call = async (): Promise<unknown> => (await timed('filler', api.callGlobal(one, FILL_GLOBAL, { origins, values, submit, ...(req.flow ? { flow: req.flow } : {}) }))).find((r) => r.documentId === target.documentId)?.result;
        let result: unknown;
        try {
          result = await call();
          if (result === PAGE_SCRIPT_MISSING) {
            // Not there (probed by an older version of the extension): inject the filler
            // into this document only, then call again.
            await timed('filler', api.injectFile(one, FILLER_FILE));
            result = await call();
          }
          called = true;
        } catch (e) {
          if (e instanceof Refusal) throw e;
          return failure('ORIGIN_MISMATCH', called ? `the page changed since it was checked (${page.value.origin})` : changed);
        }
        const reply = parseFillReply(result);
        if (!reply) return failure('ORIGIN_MISMATCH', `the page changed since it was checked (${page.value.origin})`);
        if (!reply.ok) return failure(reply.code, reply.message);
        for (const k of reply.filled) if (target.fields.includes(k)) filled.add(k);
        submitted ||= reply.submitted;
      }
    } finally {
      if (!submitted) watch?.stop();
    }
    const kinds = KIND_ORDER.filter((k) => filled.has(k));
    if (kinds.length === 0) {
      watch?.stop();
      return failure('NO_FILLABLE_FIELD', `no field could be filled on ${page.value.origin}`);
    }
    const result: FillResult = { ok: true, origin: page.value.origin, filled: kinds, submitted };
    if (submitted && watch) result.outcome = await watch.result(waitMs);
    return result;
  }

  return async function handle(raw: unknown): Promise<BrowserResponse> {
    const parsed = BrowserRequestSchema.safeParse(raw);
    if (!parsed.success) return failure('INVALID_REQUEST', describeInvalid(raw));
    const req = parsed.data;
    try {
      return await (handlers[req.type] as Handler<typeof req.type>)(req as never);
    } catch (e) {
      if (e instanceof Refusal) return failure(e.code, e.message);
      // Browser errors can quote URLs with paths and queries: name only the request type.
      return failure('INTERNAL', `the extension failed while handling a ${req.type} request`);
    }
  };
}

// ---------------------------------------------------------------------------
// Decision helpers (pure)

/** The page's own origin as the only pattern (a sign-up's new credential); none for a non-web page. */
export function ownOrigin(url: string): string[] {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? [u.origin] : [];
  } catch {
    return [];
  }
}

/** The hints the detector reported for this document (validated: they came from a page). */
function hintsIn(results: readonly FrameResult[], documentId: string): PasswordHints | undefined {
  const r = results.find((x) => x.documentId === documentId);
  const parsed = PasswordHintsSchema.safeParse((r?.result as { hints?: unknown } | null)?.hints);
  return parsed.success ? parsed.data : undefined;
}

const FLOW_REFUSALS: readonly FlowRefusal[] = ['no-new-password', 'no-current-password'];
function flowRefusalsOf(origins: readonly string[], results: readonly FrameResult[]): FlowRefusal[] {
  const out = new Set<FlowRefusal>();
  for (const r of results) {
    const rep = parseDetectReport(r.result);
    const why = (r.result as { flowWhy?: unknown } | null)?.flowWhy;
    if (rep && FLOW_REFUSALS.includes(why as FlowRefusal) && checkFrame(origins, rep).ok) out.add(why as FlowRefusal);
  }
  return [...out];
}

/**
 * The patterns shared/origin.ts accepts (Public Suffix List included), the only ones
 * checkOrigin would ever match. Frame checks (frame-origin.ts) and the filler in the
 * page use the PSL-free matcher, which answers as shared/origin.ts on exactly these.
 */
export function acceptedPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => parseOriginPattern(p).ok);
}

/**
 * The detector's reasons (a fixed set, never page text) for choosing no password field,
 * from the frames this credential may fill.
 */
export function refusalsOf(origins: readonly string[], results: readonly FrameResult[]): RefusalReason[] {
  const out = new Set<RefusalReason>();
  for (const r of results) {
    const rep = parseDetectReport(r.result);
    const why = (r.result as { why?: unknown } | null)?.why;
    if (rep && isRefusalReason(why) && checkFrame(origins, rep).ok) out.add(why);
  }
  return [...out];
}

interface DetectReport {
  origin: string;
  protocol: string;
  ancestors: string[];
  fields: FieldKind[];
  ancestorsUnknown: boolean;
}

function parseDetectReport(x: unknown): DetectReport | null {
  if (typeof x !== 'object' || x === null) return null;
  const r = x as Record<string, unknown>;
  if (typeof r.origin !== 'string' || typeof r.protocol !== 'string') return null;
  if (!Array.isArray(r.ancestors) || !r.ancestors.every((a) => typeof a === 'string')) return null;
  if (!Array.isArray(r.fields)) return null;
  const fields = KIND_ORDER.filter((k) => (r.fields as unknown[]).includes(k));
  return { origin: r.origin, protocol: r.protocol, ancestors: r.ancestors as string[], fields, ancestorsUnknown: r.ancestorsUnknown === true };
}

/**
 * Keep the frames whose own origin and every ancestor origin match, and that have at
 * least one wanted kind. Main frame first, then by frame id. `unprovable`: nothing was
 * kept and some matching frame was refused only because it cannot prove its ancestors.
 */
export function selectFrames(
  req: Pick<ProbeRequest, 'origins' | 'want'>,
  results: readonly FrameResult[],
): { targets: FillTarget[]; frames: Array<{ frameId: number; origin: string; ancestors: string[] }>; refusedOrigins: Set<string>; foreignOnly: boolean; unprovable: boolean } {
  const targets: FillTarget[] = [];
  const frames: Array<{ frameId: number; origin: string; ancestors: string[] }> = [];
  let unprovable = false;
  const refusedOrigins = new Set<string>();
  const seen = new Set<string>();
  const sorted = [...results].sort((a, b) => a.frameId - b.frameId);
  for (const r of sorted) {
    if (typeof r.documentId !== 'string' || r.documentId === '' || seen.has(r.documentId)) continue;
    const rep = parseDetectReport(r.result);
    if (!rep) continue;
    const fields = KIND_ORDER.filter((k) => rep.fields.includes(k) && req.want.includes(k));
    if (fields.length === 0) continue;
    if (!checkFrame(req.origins, rep).ok) {
      if (rep.ancestorsUnknown && checkFrame(req.origins, { ...rep, ancestors: [] }).ok) {
        unprovable = true;
        continue;
      }
      refusedOrigins.add(/^https?:\/\/[^/\s]+$/.test(rep.origin) ? rep.origin : 'an opaque origin');
      continue;
    }
    seen.add(r.documentId);
    if (targets.length < MAX_TARGETS) {
      targets.push({ frameId: r.frameId, documentId: r.documentId, fields });
      frames.push({ frameId: r.frameId, origin: rep.origin, ancestors: rep.ancestors });
    }
  }
  return { targets, frames, refusedOrigins, foreignOnly: targets.length === 0 && refusedOrigins.size > 0, unprovable: targets.length === 0 && unprovable };
}

/** Fill order: the frame that will be submitted (the one with the last kind) goes last. */
function orderTargets(targets: readonly FillTarget[]): FillTarget[] {
  const rank = (t: FillTarget): number => Math.max(-1, ...t.fields.map((k) => KIND_ORDER.indexOf(k)));
  return targets.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map(({ t }) => t);
}

/** Only the values of the kinds this document was approved for. */
function valuesFor(target: FillTarget, values: FillValues): FillValues {
  const out: FillValues = {};
  for (const k of target.fields) {
    const v = values[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

function lastIndexWithValues(targets: readonly FillTarget[], values: FillValues): number {
  for (let i = targets.length - 1; i >= 0; i--) if (Object.keys(valuesFor(targets[i]!, values)).length > 0) return i;
  return -1;
}

type FillReply = { ok: true; filled: FieldKind[]; submitted: boolean } | { ok: false; code: ErrorCode; message: string };

function parseFillReply(x: unknown): FillReply | null {
  if (typeof x !== 'object' || x === null) return null;
  const r = x as Record<string, unknown>;
  if (r.ok === true && Array.isArray(r.filled) && typeof r.submitted === 'boolean') {
    return { ok: true, filled: KIND_ORDER.filter((k) => (r.filled as unknown[]).includes(k)), submitted: r.submitted };
  }
  if (r.ok === false && typeof r.message === 'string') {
    const code: ErrorCode =
      r.code === 'INSECURE_ORIGIN' ? 'INSECURE_ORIGIN' : r.code === 'ORIGIN_MISMATCH' ? 'ORIGIN_MISMATCH' : r.code === 'NO_FILLABLE_FIELD' ? 'NO_FILLABLE_FIELD' : 'INTERNAL';
    return { ok: false, code, message: r.message.slice(0, 500) };
  }
  return null;
}

/** Which request type, if any, was malformed: never echo the request (it may hold values). */
function describeInvalid(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (type === 'probe' || type === 'fill' || type === 'ping') return `malformed ${type} request`;
  return 'unknown or malformed request';
}
