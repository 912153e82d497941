import { describe, expect, it } from 'vitest';
import { MAX_WAIT_MS, PassphraseThrottle } from './passphrase-throttle.js';

describe('PassphraseThrottle', () => {
  it('three failures are free, then 1 s, 2 s, 4 s … capped; success resets', () => {
    const t = new PassphraseThrottle();
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(t.waitMs(now)).toBe(0);
      t.failed(now);
      waits.push(t.waitMs(now));
      now += t.waitMs(now);
    }
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 8000]);
    for (let i = 0; i < 40; i++) t.failed(now);
    expect(t.waitMs(now)).toBe(MAX_WAIT_MS);
    t.succeeded();
    expect(t.waitMs(now)).toBe(0);
  });
});
