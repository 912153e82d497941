/**
 * The minimum strength of a vault passphrase (init, passwd), estimated by zxcvbn-ts
 * (the maintained TypeScript port of Dropbox's zxcvbn) with its common and English
 * dictionaries. A passphrase is accepted from score 3 ("safely unguessable: moderate
 * protection from an offline slow-hash attack", about 10^8 guesses or more); the vault's
 * key derivation (scrypt N=2^17) is such a slow hash. The reason for a refusal is
 * zxcvbn's own feedback, never the passphrase or a part of it. Callers import this module
 * lazily: its dictionaries load (from node_modules) only for init and passwd.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export const MIN_SCORE = 3;

export interface Strength {
  ok: boolean;
  score: number;
  /** One line: why it is too weak and what helps (empty when ok). */
  reason: string;
}

type Checker = (pass: string, userInputs: string[]) => { score: number; guessesLog10: number; feedback: { warning: string | null; suggestions: string[] } };

let checker: Checker | null = null;

function load(): Checker {
  if (checker) return checker;
  const z = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  checker = (pass, userInputs) => z.check(pass, userInputs);
  return checker;
}

/** Words a passphrase should not lean on: the program's name and the user's. */
function userInputs(env: NodeJS.ProcessEnv): string[] {
  return ['blindfill', 'vault', 'passphrase', env.USER, env.LOGNAME].filter((x): x is string => typeof x === 'string' && x.length > 0);
}

export async function passphraseStrength(pass: Buffer, env: NodeJS.ProcessEnv = process.env): Promise<Strength> {
  const check = load();
  // zxcvbn works on strings; this copy is short-lived (a JavaScript string cannot be zeroed).
  const r = check(pass.toString('utf8'), userInputs(env));
  if (r.score >= MIN_SCORE) return { ok: true, score: r.score, reason: '' };
  const parts = [r.feedback.warning, ...r.feedback.suggestions].filter((x): x is string => typeof x === 'string' && x.length > 0);
  const estimate = `it would be found in about 10^${Math.max(0, Math.floor(r.guessesLog10))} guesses`;
  return { ok: false, score: r.score, reason: [estimate, ...parts].join('. ').replace(/\.\./g, '.') };
}
