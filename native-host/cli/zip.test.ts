import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZipEntry, ZipError } from './zip.js';

describe('readZipEntry', () => {
  it('reads a deflated and a stored entry by name', () => {
    const zip = Buffer.from(zipSync({ 'a.txt': strToU8('hello '.repeat(100)), 'export.data': [strToU8('{"x":1}'), { level: 0 }] }));
    expect(readZipEntry(zip, 'a.txt', 1 << 20).toString()).toBe('hello '.repeat(100));
    expect(readZipEntry(zip, 'export.data', 1 << 20).toString()).toBe('{"x":1}');
  });
  it('refuses what is not a zip, a missing entry, a damaged one, and one that inflates past the cap', () => {
    const zip = Buffer.from(zipSync({ 'export.data': strToU8('0'.repeat(1 << 20)) }));
    expect(() => readZipEntry(Buffer.from('not a zip'), 'export.data', 100)).toThrow(ZipError);
    expect(() => readZipEntry(zip, 'other', 1 << 21)).toThrow(/no other in the archive/);
    expect(() => readZipEntry(zip, 'export.data', 1000)).toThrow(/larger than the import limit/);
    const cut = zip.subarray(0, 30);
    expect(() => readZipEntry(cut, 'export.data', 1 << 21)).toThrow(ZipError);
  });
});
