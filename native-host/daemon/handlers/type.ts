/**
 * type (type_credential): desktop typing into the focused window, KeePassXC Auto-Type
 * style but stricter.
 *
 * Order of checks, each refusal audited (never with a value):
 *   label (UNKNOWN_LABEL / VAULT_LOCKED) → has windows (WINDOW_MISMATCH) → what to type
 *   (INVALID_REQUEST for a bad sequence, NO_FILLABLE_FIELD for a missing field) → display
 *   (UNSUPPORTED_DISPLAY) → focused window: title and program match an entry, and a
 *   browser only when the entry names it (WINDOW_MISMATCH) → layout pre-flight
 *   (UNTYPEABLE) → rate limit (RATE_LIMITED) → policy `confirm`: a person's approval
 *   (DENIED / TIMEOUT), then focus must come back to the same window (WINDOW_MISMATCH)
 *   → typing, with the focus re-checked before every key (WINDOW_MISMATCH stops it at once).
 *
 * `field` defaults to `sequence` when the credential has one, else `password`. `sequence`
 * on a credential without one types KeePassXC's default `{USERNAME}{TAB}{PASSWORD}{ENTER}`.
 * `submit` appends {ENTER} unless what is typed already ends with {ENTER}.
 * One `type` runs at a time in the daemon; a second one waits its turn.
 */
import { ExpectedError, fail, type Failure, ok, type Result } from '../../../shared/errors.js';
import type { DisplaySession, TypeCredentialResult } from '../../../shared/ipc.js';
import { totpCode } from '../../../shared/totp.js';
import { type DesktopKeyboard, openKeyboard } from '../../desktop/desktop.js';
import { displayEnv } from '../../desktop/display-session.js';
import { DEFAULT_SEQUENCE, parseSequence, type SequenceStep } from '../../../shared/sequence.js';
import { buildPlan, type Plan, preflight, typePlan, wipePlan } from '../../desktop/typer.js';
import { describeProgram, matchWindow, titlePatternMatches } from '../../desktop/window-match.js';
import { stripUnsafeChars } from '../../../shared/window-entry.js';
import { sourceNote } from '../../remote/source-note.js';
import type { CallMeta, DaemonContext, Handler } from '../context.js';
import { gate } from '../gate.js';
import { totpParams } from '../secret-credential.js';

type TypeField = 'username' | 'password' | 'totp' | 'sequence';

function refuse(ctx: DaemonContext, meta: CallMeta, label: string, f: Failure, target?: string): Failure {
  ctx.audit.append({ event: 'refusal', label, caller: meta.caller, code: f.code, detail: 'type', ...(target ? { target } : {}) });
  return f;
}

/** The steps for `field` (before `submit`). */
function stepsFor(field: TypeField, sequence: string | undefined): Result<SequenceStep[]> {
  if (field === 'sequence') return parseSequence(sequence ?? DEFAULT_SEQUENCE);
  return ok([{ kind: 'field', field }]);
}

/** Test seam: the keyboard the handler opens (the real one: the caller's display, else the daemon's). */
export type KeyboardOpener = (session: DisplaySession | undefined) => Promise<Result<DesktopKeyboard>>;
const realOpener: KeyboardOpener = (session) => openKeyboard(displayEnv(session, process.env), process.platform);
let openKb: KeyboardOpener = realOpener;
export function setKeyboardOpenerForTests(o: KeyboardOpener | null): void {
  openKb = o ?? realOpener;
}

let queue: Promise<unknown> = Promise.resolve();

export const type: Handler<'type'> = (req, ctx, meta) => {
  // An agent user's display is its own: the daemon types only on the owner's display for it.
  const session = meta.peer?.role === 'agent' ? undefined : req.session;
  const run = () => typeOnce(req.label, req.field, req.submit === true, session, ctx, meta);
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
};

async function typeOnce(
  label: string,
  reqField: TypeField | undefined,
  submit: boolean,
  session: DisplaySession | undefined,
  ctx: DaemonContext,
  meta: CallMeta,
): Promise<Result<unknown>> {
  const found = ctx.vault.get(label);
  if (!found.ok) {
    if (found.code !== 'VAULT_LOCKED') return refuse(ctx, meta, label, found);
    return found;
  }
  const cred = found.value;
  if (cred.windows.length === 0) {
    return refuse(ctx, meta, label, fail('WINDOW_MISMATCH', `"${label}" has no windows, so it is never typed`));
  }
  const field: TypeField = reqField ?? (cred.sequence !== undefined ? 'sequence' : 'password');
  const steps = stepsFor(field, cred.sequence);
  if (!steps.ok) return refuse(ctx, meta, label, fail(steps.code, `"${label}": ${steps.message}`));
  const last = steps.value[steps.value.length - 1];
  if (submit && !(last?.kind === 'key' && last.key === 'enter')) steps.value.push({ kind: 'key', key: 'enter' });

  const planned = buildPlan(label, steps.value, { username: cred.username, password: cred.password, hasTotp: cred.totp !== undefined });
  if (!planned.ok) return refuse(ctx, meta, label, planned);
  const plan: Plan = planned.value;
  ctx.autoLock.touch();

  let kb: DesktopKeyboard | null = null;
  let target: string | undefined;
  try {
    const opened = await openKb(session);
    if (!opened.ok) return refuse(ctx, meta, label, opened);
    kb = opened.value;

    const win = await kb.focused();
    if (!win) return refuse(ctx, meta, label, fail('WINDOW_MISMATCH', `no window has keyboard focus on ${kb.describe}; "${label}" types only into ${describeWindows(cred.windows)}`));
    const title = stripUnsafeChars(win.title);
    target = title;
    const program = await kb.program(win);
    const matched = matchWindow(win.title, program, cred.windows);
    if (!matched.ok) {
      return refuse(
        ctx,
        meta,
        label,
        fail('WINDOW_MISMATCH', `the focused window ${JSON.stringify(title)} does not match the windows of "${label}" (${describeWindows(cred.windows)}): ${matched.message}; nothing was typed`),
        target,
      );
    }
    const entry = matched.value.parsed;

    const notTypeable = await preflight(kb, label, plan);
    if (notTypeable) return refuse(ctx, meta, label, notTypeable, target);

    // Rate limit, and for policy `confirm` a person's approval in an OS dialog (which
    // shows the program as well as the title), after the pre-flight and before the first key.
    const gated = await gate(ctx, cred, 'type', title, describeProgram(program), session);
    if (gated) return refuse(ctx, meta, label, gated, target);
    if (cred.policy === 'confirm') {
      // The dialog took focus; type only once the same window has it back.
      const back = await waitForFocus(kb, win.id, FOCUS_RETURN_MS);
      if (!back) {
        return refuse(ctx, meta, label, fail('WINDOW_MISMATCH', `focus did not return to ${JSON.stringify(title)} within ${FOCUS_RETURN_MS / 1000} s after the approval; nothing was typed`), target);
      }
    }

    const typed = await typePlan(kb, win, plan, {
      // Same window id (so the same program) and a title the same entry still allows.
      titleStillMatches: (t) => titlePatternMatches(t, entry.title),
      totpNow: () => {
        const params = totpParams(cred);
        if (!params) throw new Error('the TOTP seed went away');
        return totpCode(params, ctx.now());
      },
      stillAllowed: () => {
        const again = ctx.vault.get(label);
        return again.ok ? null : again;
      },
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    if (!typed.ok) return refuse(ctx, meta, label, typed, target);

    ctx.audit.append({ event: 'type', label, target: title, caller: meta.caller, detail: `${field}${sourceNote(ctx, label)}` });
    const result: TypeCredentialResult = { ok: true, label, window: title, field };
    return ok(result);
  } catch (e) {
    const f = e instanceof ExpectedError ? e.toFailure() : fail('INTERNAL', `desktop typing failed (${(e as Error)?.name ?? 'error'}); typing stopped`);
    return refuse(ctx, meta, label, f, target);
  } finally {
    wipePlan(plan);
    await kb?.close();
  }
}

/** After a confirmation dialog: how long focus may take to come back to the target. */
const FOCUS_RETURN_MS = 5000;

async function waitForFocus(kb: DesktopKeyboard, id: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const w = await kb.focused();
    if (w?.id === id) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function describeWindows(windows: readonly string[]): string {
  const shown = windows.slice(0, 5).map((w) => JSON.stringify(w));
  return shown.join(', ') + (windows.length > 5 ? `, and ${windows.length - 5} more` : '');
}
