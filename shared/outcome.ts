/**
 * What happened after a submit, as the page showed it (CONTRACT §7). Carries no page text:
 * the agent learns one word, never what the page said.
 */
import * as z from 'zod';

export const OUTCOMES = ['signed_in', 'rejected', 'needs_mfa', 'captcha', 'locked', 'unknown'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;
