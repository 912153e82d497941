/** Uses per credential per minute: a sliding window. Pure given the clock. */
export class RateLimiter {
  private readonly uses = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /** Record a use; false when the label is over its limit (the use is not recorded). */
  take(label: string, nowMs: number): boolean {
    const since = nowMs - 60_000;
    const list = (this.uses.get(label) ?? []).filter((t) => t > since);
    if (list.length >= this.perMinute) {
      this.uses.set(label, list);
      return false;
    }
    list.push(nowMs);
    this.uses.set(label, list);
    return true;
  }
}
