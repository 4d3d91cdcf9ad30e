// Access tokens: real HS256 JWTs signed with a secret that is stored with the database, so tokens
// survive a restart and a token from another database is rejected. Expiry follows the platform
// clock (the test clock included), not the wall clock.
import { createSigner, createVerifier } from 'fast-jwt';
import type { Clock } from './clock.ts';

export interface TokenClaims {
  /** The merchant's client_id. */
  clientId: string;
  /** Set when the token was requested for one sales unit (Merchant-Serial-Number header). */
  msn?: string;
}

export type VerifyResult = ({ ok: true } & TokenClaims & { expiresAt: number }) | { ok: false; reason: string };

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

export interface AccessTokens {
  issue(claims: TokenClaims): IssuedToken;
  verify(token: string): VerifyResult;
  readonly lifetimeSeconds: number;
}

const ISSUER = 'vipps-local';
const VERIFIED_CACHE_SIZE = 10_000;

export function createAccessTokens(secret: string, clock: Clock, lifetimeSeconds: number): AccessTokens {
  const sign = createSigner({ key: secret, algorithm: 'HS256' });
  // Time checks are ours (below), against the platform clock; the library checks signature and shape.
  const check = createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: ISSUER, ignoreExpiration: true, ignoreNotBefore: true });
  // Every API call carries a token, nearly always one seen before: what its signature check found is
  // kept per token text (a Map lookup instead of fast-jwt's own cache, which hashes the token each
  // time). Time is still checked on every call, below. Bounded: emptied when full.
  const verified = new Map<string, { sub?: unknown; msn?: unknown; exp?: unknown; nbf?: unknown }>();
  return {
    lifetimeSeconds,
    issue(claims) {
      const iat = Math.floor(clock.now() / 1000);
      const exp = iat + lifetimeSeconds;
      const payload: Record<string, unknown> = { iss: ISSUER, sub: claims.clientId, tid: claims.clientId, iat, nbf: iat, exp };
      if (claims.msn) payload.msn = claims.msn;
      return { token: sign(payload), issuedAt: iat, expiresAt: exp };
    },
    verify(token) {
      let payload: { sub?: unknown; msn?: unknown; exp?: unknown; nbf?: unknown };
      const known = verified.get(token);
      if (known) payload = known;
      else {
        try {
          payload = check(token);
        } catch {
          return { ok: false, reason: 'the token is malformed or its signature is not valid.' };
        }
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
        verified.set(token, payload);
      }
      const now = clock.now() / 1000;
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return { ok: false, reason: 'the token lacks required claims.' };
      if (payload.exp <= now) return { ok: false, reason: 'the token has expired. Fetch a new one from /accesstoken/get.' };
      if (typeof payload.nbf === 'number' && payload.nbf > now + 60) return { ok: false, reason: 'the token is not valid yet.' };
      const result: VerifyResult = { ok: true, clientId: payload.sub, expiresAt: payload.exp * 1000 };
      if (typeof payload.msn === 'string') result.msn = payload.msn;
      return result;
    },
  };
}
