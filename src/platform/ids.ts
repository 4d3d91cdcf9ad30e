// Identifier factories. Kept behind an interface so that tests could make them predictable.
import { randomBytes, randomUUID, randomInt } from 'node:crypto';

export interface Ids {
  /** A numeric pspReference, as the platform uses for adjustments. */
  pspReference(): string;
  uuid(): string;
  /** 256 random bits, URL-safe: unguessable access to one payment's pages. */
  token(): string;
  /** W3C traceparent-style id: 00-<32 hex>-<16 hex>-01. */
  traceId(): string;
}

// Random bytes are drawn in blocks: one system call per 256 tokens instead of one per token.
const POOL_SIZE = 32 * 256;
let pool = randomBytes(POOL_SIZE);
let offset = 0;
function random32(): Buffer {
  if (offset + 32 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  offset += 32;
  return pool.subarray(offset - 32, offset);
}

export const randomIds: Ids = {
  pspReference: () => String(randomInt(1_000_000_000, 9_999_999_999)),
  uuid: () => randomUUID(),
  token: () => random32().toString('base64url'),
  traceId: () => {
    const b = randomBytes(24).toString('hex');
    return `00-${b.slice(0, 32)}-${b.slice(32, 48)}-01`;
  },
};
