/**
 * Every passphrase check the daemon makes (unlock, re-authentication, passwd) goes through
 * one throttle: a few wrong guesses are free, then each further guess waits twice as long
 * as the last (1 s, 2 s, 4 s … capped). A right passphrase resets it. Pure given the clock.
 */
export const FREE_FAILURES = 3;
export const FIRST_WAIT_MS = 1000;
export const MAX_WAIT_MS = 5 * 60 * 1000;

export class PassphraseThrottle {
  private failures = 0;
  private notBefore = 0;

  /** Milliseconds until the next check may run; 0 when it may run now. */
  waitMs(nowMs: number): number {
    return Math.max(0, this.notBefore - nowMs);
  }

  failed(nowMs: number): void {
    this.failures += 1;
    if (this.failures >= FREE_FAILURES) {
      const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(30, this.failures - FREE_FAILURES));
      this.notBefore = nowMs + wait;
    }
  }

  succeeded(): void {
    this.failures = 0;
    this.notBefore = 0;
  }
}
