/**
 * Stand-in document ids for browsers whose scripting API has no documentIds: ids only
 * for frames webNavigation knows, and a fail-closed re-check of tab, frame and URL
 * before every later injection.
 */
import { describe, expect, it } from 'vitest';
import { type FrameNav, type NavFrame, StandInDocuments } from './frame-ids.js';

class FakeNav implements FrameNav {
  frames = new Map<number, NavFrame[]>();
  async allFrames(tabId: number) {
    return this.frames.get(tabId) ?? null;
  }
  async frame(tabId: number, frameId: number) {
    const f = this.frames.get(tabId)?.find((x) => x.frameId === frameId);
    return f ? { url: f.url } : null;
  }
}

function setup() {
  const nav = new FakeNav();
  nav.frames.set(7, [
    { frameId: 0, url: 'https://bank.example/login' },
    { frameId: 4, url: 'https://bank.example/frame' },
  ]);
  let n = 0;
  const ids = new StandInDocuments(nav, () => `id${++n}`);
  return { nav, ids };
}

describe('StandInDocuments', () => {
  it('passes real documentIds through untouched', async () => {
    const { ids } = setup();
    expect(await ids.label(7, [{ frameId: 0, documentId: 'ABC', result: 1 }])).toEqual([{ frameId: 0, documentId: 'ABC', result: 1 }]);
  });

  it('gives stand-ins to frames without a documentId; none to frames webNavigation does not know', async () => {
    const { ids } = setup();
    const r = await ids.label(7, [{ frameId: 0, result: 'a' }, { frameId: 4 }, { frameId: 9, result: 'x' }]);
    expect(r).toEqual([
      { frameId: 0, documentId: 'frame:id1', result: 'a' },
      { frameId: 4, documentId: 'frame:id2', result: null },
      { frameId: 9, documentId: '', result: 'x' },
    ]);
    expect(StandInDocuments.isStandIn('frame:id1')).toBe(true);
    expect(StandInDocuments.isStandIn('0123ABCD')).toBe(false);
  });

  it('resolves to frame ids while tab, frame and URL are unchanged', async () => {
    const { ids } = setup();
    await ids.label(7, [{ frameId: 0 }, { frameId: 4 }]);
    const byFrame = await ids.resolve(7, ['frame:id2']);
    expect([...byFrame]).toEqual([[4, 'frame:id2']]);
    expect(StandInDocuments.rename([{ frameId: 4, result: 'ok' }, { frameId: 0, result: 'other' }], byFrame)).toEqual([{ frameId: 4, documentId: 'frame:id2', result: 'ok' }]);
  });

  it('fails closed when the frame navigated, is gone, the tab differs, or the id is unknown', async () => {
    const { ids, nav } = setup();
    await ids.label(7, [{ frameId: 0 }, { frameId: 4 }]);
    await expect(ids.resolve(8, ['frame:id1'])).rejects.toThrow();
    await expect(ids.resolve(7, ['frame:nope'])).rejects.toThrow();
    nav.frames.set(7, [{ frameId: 0, url: 'https://evil.example/login' }]);
    await expect(ids.resolve(7, ['frame:id1'])).rejects.toThrow(/navigated/);
    await expect(ids.resolve(7, ['frame:id2'])).rejects.toThrow();
    nav.frames.delete(7);
    await expect(ids.resolve(7, ['frame:id1'])).rejects.toThrow();
  });
});
