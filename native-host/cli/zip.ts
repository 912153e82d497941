/**
 * One file out of a zip archive (1Password's .1pux): the central directory is read from
 * the end record, the named entry's local header gives where its data starts; stored or
 * deflated (the only methods 1Password writes). Inflated with a cap, so a crafted archive
 * cannot expand without bound. Zip64 and encrypted archives are refused.
 */
import zlib from 'node:zlib';

export class ZipError extends Error {}

export function readZipEntry(zip: Buffer, name: string, maxBytes: number): Buffer {
  const minEnd = Math.max(0, zip.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = zip.length - 22; i >= minEnd; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  if (p === 0xffffffff || count === 0xffff) throw new ZipError('zip64 archives are not supported');
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw new ZipError('the zip directory is damaged');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const csize = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (entryName !== name) continue;
    if (flags & 1) throw new ZipError('the archive is encrypted');
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) throw new ZipError('the zip entry is damaged');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + csize > zip.length) throw new ZipError('the zip entry is truncated');
    const data = zip.subarray(start, start + csize);
    if (method === 0) return Buffer.from(data);
    if (method !== 8) throw new ZipError(`compression method ${method} is not supported`);
    try {
      return zlib.inflateRawSync(data, { maxOutputLength: maxBytes });
    } catch {
      throw new ZipError('the zip entry cannot be inflated (damaged, or larger than the import limit)');
    }
  }
  throw new ZipError(`no ${name} in the archive`);
}
