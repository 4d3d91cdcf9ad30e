// Refusals of POST /accesstoken/get that come from the identity provider behind the API gateway
// (Azure AD), in its own body format (PLATFORM-NOTES-ADDENDUM.md §4). The gateway's own refusals
// (subscription key) stay `{ statusCode, message }` (GatewayError).

/** The directory (tenant) name the identity provider names in AADSTS700016. */
const DIRECTORY = 'vipps-local';

/** One Azure AD error: its HTTP status, OAuth `error`, AADSTS number and text. */
export interface IdentityFailure {
  status: 400 | 401;
  error: 'invalid_request' | 'unauthorized_client' | 'invalid_client';
  code: number;
  text: string;
}

export class IdentityProviderError extends Error {
  readonly failure: IdentityFailure;
  constructor(failure: IdentityFailure) {
    super(`AADSTS${failure.code}: ${failure.text}`);
    this.name = 'IdentityProviderError';
    this.failure = failure;
  }
}

export const IDENTITY = {
  missingClientId: (): IdentityFailure => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    text: "The request body must contain the following parameter: 'client_id'.",
  }),
  unknownClient: (clientId: string): IdentityFailure => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    text:
      `Application with identifier '${clientId}' was not found in the directory '${DIRECTORY}'. This can happen if the application ` +
      'has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
      'You may have sent your authentication request to the wrong tenant.',
  }),
  missingSecret: (): IdentityFailure => ({
    status: 401,
    error: 'invalid_client',
    code: 7000218,
    text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  wrongSecret: (clientId: string): IdentityFailure => ({
    status: 401,
    error: 'invalid_client',
    code: 7000215,
    text: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
};

export interface IdentityErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** Azure AD's body: the description repeats the trace id, correlation id and time on CRLF lines. */
export function identityErrorBody(failure: IdentityFailure, now: number, traceId: string, correlationId: string): IdentityErrorBody {
  const timestamp = new Date(now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.windows.net/error?code=${failure.code}`,
  };
}
