import { describe, expect, it } from 'vitest';
import { scrubValue, type ScrubTexts } from './walk.js';

const fake: ScrubTexts = async (texts) => ({ ok: true, texts: texts.map((t) => t.replaceAll('hunter2', '[blindfill:x]')) });
const locked: ScrubTexts = async () => ({ ok: false, code: 'VAULT_LOCKED', message: 'locked' });

describe('scrubValue', () => {
  it('scrubs every string (content text, structuredContent, resources, keys) and leaves binary payloads alone', async () => {
    const result = {
      content: [
        { type: 'text', text: 'pw: hunter2' },
        { type: 'image', data: 'aHVudGVyMg==hunter2', mimeType: 'image/png' },
        { type: 'audio', data: 'hunter2', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///hunter2', text: 'hunter2 inside' } },
        { type: 'resource', resource: { uri: 'file:///b', blob: 'hunter2' } },
      ],
      structuredContent: { nested: [{ deep: { value: 'x hunter2 y' } }], hunter2: 'as a key', n: 3, b: true, z: null },
      _meta: { note: 'hunter2' },
    };
    const r = await scrubValue(result, fake);
    if (!r.ok) throw new Error('failed');
    const out = r.value as typeof result & { structuredContent: Record<string, unknown> };
    expect(out.content[0]).toEqual({ type: 'text', text: 'pw: [blindfill:x]' });
    expect(out.content[1]!.data).toBe('aHVudGVyMg==hunter2');
    expect(out.content[2]!.data).toBe('hunter2');
    expect(out.content[3]!.resource).toEqual({ uri: 'file:///[blindfill:x]', text: '[blindfill:x] inside' });
    expect(out.content[4]!.resource).toEqual({ uri: 'file:///b', blob: 'hunter2' });
    expect(out.structuredContent).toEqual({ nested: [{ deep: { value: 'x [blindfill:x] y' } }], '[blindfill:x]': 'as a key', n: 3, b: true, z: null });
    expect(out._meta.note).toBe('[blindfill:x]');
    // The input is not modified.
    expect(result.content[0]!.text).toBe('pw: hunter2');
  });

  it('passes the failure on, so the caller withholds the value', async () => {
    expect(await scrubValue({ text: 'x' }, locked)).toEqual({ ok: false, code: 'VAULT_LOCKED', message: 'locked' });
  });

  it('a bare string', async () => {
    expect(await scrubValue('hunter2!', fake)).toEqual({ ok: true, value: '[blindfill:x]!' });
  });
});
