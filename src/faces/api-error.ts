// A Vipps API's coded error: what a face answers for a refusal (a domain reason, through the face's
// error map) or for a rule of its own. Rendered as problem+json by faces/problem.ts.
import { Refusal, type DomainError, type Reason } from '../domain/reasons.ts';

export interface ErrorEntry {
  /** The platform's numeric error code, sent as extraDetails[{ name: "ErrorCode", reason }]; null for an API without codes (Webhooks). */
  code: string | null;
  status: number;
  title: string;
  detail: string;
}

export function entry(code: string | null, status: number, title: string, detail: string): ErrorEntry {
  return { code, status, title, detail };
}

/** How a face answers each domain reason: typed over every reason, so a forgotten one does not compile. */
export type ErrorMap = Record<Reason, ErrorEntry>;

/** A face's error with its wire entry and detail. */
export class ApiError extends Refusal {
  readonly entry: ErrorEntry;
  readonly detail: string;
  constructor(entry: ErrorEntry, detail?: string) {
    super(`${entry.code ?? entry.status} ${entry.title}: ${detail ?? entry.detail}`);
    this.name = 'ApiError';
    this.entry = entry;
    this.detail = detail ?? entry.detail;
  }
}

/** A refusal in the face's words: its entry for the reason, with the refusal's detail. */
export function apiErrorOf(error: DomainError, map: ErrorMap): ApiError {
  return new ApiError(map[error.reason], error.detail);
}

/** The plain data form of an API error, as stored with an idempotency record and replayed later. */
export interface StoredError {
  code: string | null;
  status: number;
  title: string;
  detail: string;
}

export function toStoredError(error: ApiError): StoredError {
  return { code: error.entry.code, status: error.entry.status, title: error.entry.title, detail: error.detail };
}

export function fromStoredError(stored: StoredError): ApiError {
  return new ApiError({ code: stored.code, status: stored.status, title: stored.title, detail: stored.detail }, stored.detail);
}
