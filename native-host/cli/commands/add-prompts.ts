/**
 * Interactive `blindfill add` on a terminal: each field is checked as it is entered (label
 * syntax and that no credential has it yet, the password typed twice, TOTP, origins,
 * windows, policy), and a wrong answer is asked again with the reason. Secrets are asked
 * without echo and never printed; a reason names the field, never its value.
 */
import { type CredentialInput, CredentialListSchema, LABEL_RE } from '../../../shared/credential.js';
import { normalizeOriginPattern } from '../../../shared/origin.js';
import { parseTotp } from '../../../shared/totp.js';
import { windowEntryError } from '../../../shared/window-entry.js';
import type { CliContext } from '../context.js';
import { die, prompt } from '../io.js';

/** Asked again at most this often, so a script feeding a terminal cannot loop forever. */
const MAX_TRIES = 5;

async function ask<T>(question: string, hidden: boolean, check: (answer: string) => { ok: true; value: T } | { ok: false; why: string }): Promise<T> {
  for (let i = 1; ; i++) {
    const answer = await prompt(question, hidden);
    const r = check(answer);
    if (r.ok) return r.value;
    if (i >= MAX_TRIES) die({ code: 'INVALID_REQUEST', message: r.why });
    process.stderr.write(`  ${r.why}; try again.\n`);
  }
}

const yes = <T>(value: T) => ({ ok: true as const, value });
const no = (why: string) => ({ ok: false as const, why });

export async function interactiveInput(ctx: CliContext): Promise<CredentialInput[]> {
  // The labels in use (none is a value); a locked vault fails here, before anything is typed.
  const taken = new Set(CredentialListSchema.parse(await ctx.call({ op: 'list' })).credentials.map((c) => c.label));
  const label = await ask('Label (a-z 0-9 . _ -): ', false, (a) => {
    const l = a.trim();
    if (!LABEL_RE.test(l)) return no('label: 1-64 characters of a-z 0-9 . _ -');
    if (taken.has(l)) return no(`a credential labelled "${l}" exists (blindfill edit ${l} --json-stdin changes it)`);
    return yes(l);
  });
  const c: CredentialInput = { label };
  const username = await prompt('Username (optional): ', false);
  if (username !== '') c.username = username;

  for (let i = 1; ; i++) {
    const password = await prompt('Password (hidden, optional): ', true);
    if (password === '') break;
    const again = await prompt('Repeat password: ', true);
    if (again === password) {
      c.password = password;
      break;
    }
    if (i >= MAX_TRIES) die({ code: 'INVALID_REQUEST', message: 'the two passwords differ' });
    process.stderr.write('  the two passwords differ; try again.\n');
  }

  const totp = await ask('TOTP otpauth:// URI or base32 seed (hidden, optional): ', true, (a) => {
    if (a.trim() === '') return yes(undefined);
    const p = parseTotp(a);
    return p.ok ? yes(a) : no(`TOTP: ${p.message}`);
  });
  if (totp !== undefined) c.totp = totp;

  const origins = await ask('Origins, comma separated (e.g. https://github.com): ', false, (a) => {
    const list = a.split(',').map((s) => s.trim()).filter(Boolean);
    for (const o of list) {
      const n = normalizeOriginPattern(o);
      if (!n.ok) return no(`origin ${JSON.stringify(o)}: ${n.message}`);
    }
    return yes(list);
  });
  if (origins.length > 0) c.origins = origins;

  const windows = await ask('Desktop windows, comma separated: exact titles, //regex//, {exe=NAME}Title (optional): ', false, (a) => {
    // Commas inside {class=…,exe=…} belong to the entry.
    const list = a.split(/,(?![^{}]*\})/).map((s) => s.trim()).filter(Boolean);
    for (const w of list) {
      const why = windowEntryError(w);
      if (why !== null) return no(`window ${JSON.stringify(w)}: ${why}`);
    }
    return yes(list);
  });
  if (windows.length > 0) c.windows = windows;

  const policy = await ask('Policy [auto/confirm] (auto): ', false, (a) => {
    const p = a.trim();
    if (p === '' || p === 'auto') return yes('auto' as const);
    if (p === 'confirm') return yes('confirm' as const);
    return no('policy must be auto or confirm');
  });
  if (policy === 'confirm') c.policy = policy;
  return [c];
}
