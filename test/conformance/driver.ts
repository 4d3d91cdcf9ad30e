// What a face must offer the shared conformance scenarios (scenarios.ts): a face-neutral view of
// a payment through that face's own wire format. A new face adds a driver (drivers/<face>.ts) and
// lists the scenarios it cannot run, each with its reason.

/** A payment's state and money as any face reports them, in the engine's terms. */
export interface NeutralPayment {
  state: 'CREATED' | 'AUTHORIZED' | 'ABORTED' | 'EXPIRED' | 'TERMINATED';
  amount: number;
  authorized: number;
  captured: number;
  refunded: number;
  cancelled: number;
}

/** A refusal, in the face's words: its HTTP status and whatever code it gives. */
export interface Refused {
  refused: true;
  status: number;
  code: string;
}

export type Answer<T> = T | Refused;

export const isRefused = (a: unknown): a is Refused => typeof a === 'object' && a !== null && (a as Refused).refused === true;

/** One event the face's webhook receiver got, made neutral: which payment, which event, which amount. */
export interface ReceivedEvent {
  payment: string;
  name: string;
  amount: number;
  /** The signature checked out in the face's own scheme. */
  signed: boolean;
}

export type ScenarioName = 'lifecycle' | 'expiry' | 'idempotent-replay' | 'concurrent-captures' | 'events-delivered-once';

export interface FaceDriver {
  readonly face: string;
  /** Scenarios this face cannot run, and why. */
  readonly skips: Partial<Record<ScenarioName, string>>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Creates a payment of `amount` minor units (NOK); returns the face's handle of it. */
  create(amount: number, key?: string): Promise<Answer<string>>;
  /** The shopper approves it (as the face's test tools allow). */
  approve(payment: string): Promise<Answer<void>>;
  capture(payment: string, amount: number, key: string): Promise<Answer<NeutralPayment>>;
  refund(payment: string, amount: number, key: string): Promise<Answer<NeutralPayment>>;
  /** Releases what was not captured (or stops an unapproved payment). */
  cancel(payment: string): Promise<Answer<NeutralPayment>>;
  read(payment: string): Promise<NeutralPayment>;
  /** Moves the platform's clock forward. */
  advanceClock(ms: number): Promise<void>;
  /** Starts receiving the face's events of every payment; returns what arrived so far, whenever asked. */
  receiveEvents(): Promise<() => ReceivedEvent[]>;
}
