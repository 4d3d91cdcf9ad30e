// What the platform takes as an order image (PLATFORM-NOTES-ADDENDUM §7): base64 PNG or JPEG, at least
// 167 px high, at most 2 MB. The refusals mention "size" or "height", which is what WooCommerce reads.
import { createRequire } from 'node:module';
import type { FieldProblem } from '../../domain/reasons.ts';
import type { OmImage } from './om-store.ts';

// image-size is loaded by the first image, not at start.
let sizer: typeof import('image-size').imageSize | undefined;
const imageSize = (bytes: Uint8Array) => (sizer ??= (createRequire(import.meta.url)('image-size') as typeof import('image-size')).imageSize)(bytes);

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const MIN_IMAGE_HEIGHT = 167;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type DecodedImage = Pick<OmImage, 'mime' | 'width' | 'height' | 'base64'>;

/** The image in `src`, or the problem with it (named `src`). */
export function decodeImage(src: string): DecodedImage | FieldProblem {
  const base64 = src.replace(/\s+/g, '');
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    return { name: 'src', reason: 'The field src must be the image as base64 (RFC 4648, with padding).' };
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) {
    return { name: 'src', reason: `The image is ${bytes.length} bytes; its size may be at most ${MAX_IMAGE_BYTES} bytes (2 MB).` };
  }
  let found: { type?: string; width?: number; height?: number };
  try {
    found = imageSize(bytes);
  } catch {
    found = {};
  }
  const mime = found.type === 'png' ? 'image/png' : found.type === 'jpg' ? 'image/jpeg' : null;
  if (!mime || !found.width || !found.height) {
    return { name: 'src', reason: `The image must be a PNG or a JPEG${found.type ? `, not ${found.type.toUpperCase()}` : ''}.` };
  }
  if (found.height < MIN_IMAGE_HEIGHT) {
    return { name: 'src', reason: `The image is ${found.height} px high; its height must be at least ${MIN_IMAGE_HEIGHT} px.` };
  }
  return { mime, width: found.width, height: found.height, base64 };
}
