// QR images without holding the event loop (issue 16): the code's modules come from `qrcode`
// (cheap), the pixels are whole rows copied per module row, and the PNG's compression runs on
// libuv's thread pool (zlib's async deflate). Rendered images are kept in a small LRU cache, and
// identical renders in flight are shared, so a page polling a QR costs nothing after the first.
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';

const deflateAsync = promisify(deflate);
// qrcode is loaded by the first QR, not at start.
const qrcode = async () => (await import('qrcode')).default;

const MARGIN = 4;
const ERROR_CORRECTION = 'M';

/** A PNG of `width`×`width` pixels, black on white, with a 4-module quiet zone (as qrcode's own renderer draws it). */
export async function qrPng(text: string, width: number): Promise<Buffer> {
  const qr = (await qrcode()).create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  const n = qr.modules.size;
  const data = qr.modules.data;
  const total = n + MARGIN * 2;
  const side = width >= total ? width : total * 4;
  const scale = side / total;
  const scaledMargin = MARGIN * scale;
  // One scanline per module row (and one for the quiet zone): filter byte 0, then gray pixels.
  const blank = Buffer.alloc(side + 1, 0xff);
  blank[0] = 0;
  const rows = new Map<number, Buffer>();
  const rowOf = (iSrc: number) => {
    let row = rows.get(iSrc);
    if (row) return row;
    row = Buffer.from(blank);
    for (let j = Math.ceil(scaledMargin); j < side - scaledMargin; j++) {
      const jSrc = Math.floor((j - scaledMargin) / scale);
      if (data[iSrc * n + jSrc]) row[j + 1] = 0;
    }
    rows.set(iSrc, row);
    return row;
  };
  const raw = Buffer.allocUnsafe(side * (side + 1));
  for (let i = 0; i < side; i++) {
    const inside = i >= scaledMargin && i < side - scaledMargin;
    (inside ? rowOf(Math.floor((i - scaledMargin) / scale)) : blank).copy(raw, i * (side + 1));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', await deflateAsync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

export async function qrSvg(text: string): Promise<string> {
  return (await qrcode()).toString(text, { type: 'svg', margin: MARGIN, errorCorrectionLevel: ERROR_CORRECTION });
}

/** A least-recently-used cache of rendered images, bounded by bytes, that shares renders in flight. */
export function createRenderCache<T extends Buffer | string>(maxBytes: number) {
  const done = new Map<string, T>();
  const pending = new Map<string, Promise<T>>();
  let bytes = 0;
  const sizeOf = (v: T) => (typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  return {
    async get(key: string, render: () => Promise<T>): Promise<T> {
      const hit = done.get(key);
      if (hit !== undefined) {
        done.delete(key);
        done.set(key, hit);
        return hit;
      }
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const work = render().finally(() => pending.delete(key));
      pending.set(key, work);
      const value = await work;
      if (sizeOf(value) <= maxBytes && !done.has(key)) {
        done.set(key, value);
        bytes += sizeOf(value);
        for (const [oldest, v] of done) {
          if (bytes <= maxBytes) break;
          done.delete(oldest);
          bytes -= sizeOf(v);
        }
      }
      return value;
    },
    get size() {
      return done.size;
    },
  };
}
