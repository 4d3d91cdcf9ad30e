// What a face needs from the server: the engine and the platform services around it.
import type { Directory } from '../engine/directory.ts';
import type { Engine } from '../engine/engine.ts';
import type { AccessTokens } from '../platform/access-tokens.ts';
import type { AdjustableClock } from '../platform/clock.ts';
import type { Ids } from '../platform/ids.ts';

export interface FaceContext {
  engine: Engine;
  directory: Directory;
  tokens: AccessTokens;
  ids: Ids;
  clock: AdjustableClock;
  /** The public base URL, known once the server listens (port 0 in tests). */
  baseUrl(): string;
  /** strictRequests: refuse what the platform would accept leniently (faces/lenient). */
  strictRequests: boolean;
}
