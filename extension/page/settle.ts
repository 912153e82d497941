/**
 * Lets the page's own short transitions end before fields are judged. A widget mid-way
 * through its focus or blur animation (a Material field after autofocus or blur) has a
 * half-transparent input and its label between two places: judged then, a field a person
 * sees a moment later would look hidden. Bounded: endless or long animations (spinners,
 * decorative loops) are not waited for, and nothing here reads or changes the page.
 */
const MAX_WAIT_MS = 400;

export async function transitionsSettled(doc: Document, maxMs = MAX_WAIT_MS): Promise<void> {
  // Document.getAnimations() flushes pending style changes and covers shadow trees.
  if (typeof doc.getAnimations !== 'function') return;
  const short = doc.getAnimations().filter((a) => {
    if (a.playState !== 'running') return false;
    const t = a.effect?.getComputedTiming();
    if (!t || typeof t.endTime !== 'number' || !Number.isFinite(t.endTime)) return false;
    const local = typeof t.localTime === 'number' ? t.localTime : 0;
    const rate = Math.abs(a.playbackRate) || 1;
    return (t.endTime - local) / rate <= maxMs;
  });
  if (short.length === 0) return;
  const view = doc.defaultView;
  await Promise.race([
    Promise.allSettled(short.map((a) => a.finished)),
    new Promise<void>((resolve) => (view ?? globalThis).setTimeout(resolve, maxMs)),
  ]);
}
