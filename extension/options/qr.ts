/**
 * Read a QR code from an image the person chose (a screenshot of a site's 2FA setup
 * page), in the page: File → ImageBitmap → canvas → ImageData → jsQR. The pixels and
 * the decoded text stay in memory only; the caller keeps the text just until it is sent.
 */
import jsQR from 'jsqr';

/** Images larger than this (either side) are scaled down before decoding. */
const MAX_SIDE = 2000;

export async function decodeQrImage(file: Blob): Promise<string | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    // Transparent pixels would read as black: put the image on white.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(bitmap, 0, 0, w, h);
    const img = ctx.getImageData(0, 0, w, h);
    const code = jsQR(img.data, w, h, { inversionAttempts: 'attemptBoth' });
    img.data.fill(0);
    ctx.clearRect(0, 0, w, h);
    return code && code.data !== '' ? code.data : null;
  } finally {
    bitmap.close();
  }
}
