/** Locks the vault after a period without use (default 30 minutes). */
import type { AutoLock } from './context.js';

export const DEFAULT_IDLE_TIMEOUT_S = 30 * 60;

export function makeAutoLock(isUnlocked: () => boolean, onExpire: () => void, now: () => number, initialSeconds = DEFAULT_IDLE_TIMEOUT_S): AutoLock {
  let seconds = initialSeconds;
  let deadline = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    deadline = now() + seconds * 1000;
    timer = setTimeout(() => {
      timer = undefined;
      if (isUnlocked()) onExpire();
    }, seconds * 1000);
    timer.unref();
  };
  return {
    touch: arm,
    setTimeoutSeconds(s: number) {
      seconds = s;
      if (isUnlocked()) arm();
    },
    get timeoutSeconds() {
      return seconds;
    },
    remainingSeconds() {
      if (!isUnlocked() || timer === undefined) return undefined;
      return Math.max(0, Math.ceil((deadline - now()) / 1000));
    },
  };
}
