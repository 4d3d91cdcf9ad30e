// Bounds that keep one client from starving or breaking a shared vipps-local (issue 16). Each number
// and why it was chosen: docs/decisions.md, "Bounds (issue 16)".
import { Type, type Static } from '@sinclair/typebox';

export interface Limits {
  /** A request (headers and body) must have arrived within this time, or its connection is closed. */
  requestTimeoutMs: number;
  /** The request's headers must have arrived within this time. */
  headersTimeoutMs: number;
  /** Open event streams (live page updates) per client address. */
  eventStreamsPerClient: number;
  /** Open event streams in all. */
  eventStreams: number;
  /** Failed access token requests per client address and client_id in a window; then 429 until it passes. */
  tokenFailuresPerClientId: number;
  /** Failed access token requests per client address (any client_id) in a window. */
  tokenFailuresPerAddress: number;
  /** The window of the two above. */
  tokenFailureWindowMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 15_000,
  eventStreamsPerClient: 20,
  eventStreams: 500,
  tokenFailuresPerClientId: 20,
  tokenFailuresPerAddress: 100,
  tokenFailureWindowMs: 60_000,
};

export const LimitsSchema = Type.Object(
  {
    requestTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    headersTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    eventStreamsPerClient: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    eventStreams: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    tokenFailuresPerClientId: Type.Optional(Type.Integer({ minimum: 1 })),
    tokenFailuresPerAddress: Type.Optional(Type.Integer({ minimum: 1 })),
    tokenFailureWindowMs: Type.Optional(Type.Integer({ minimum: 1000 })),
  },
  { additionalProperties: false },
);

export function applyLimits(base: Limits, file: Static<typeof LimitsSchema> | undefined): Limits {
  const next = { ...base, ...(file ?? {}) };
  // Node requires the headers' timeout to be no longer than the whole request's.
  next.headersTimeoutMs = Math.min(next.headersTimeoutMs, next.requestTimeoutMs);
  return next;
}
