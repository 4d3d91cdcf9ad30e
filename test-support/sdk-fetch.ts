// Records what an official SDK (@vippsmobilepay/sdk) sends to vipps-local and what it gets back.
// The routing itself is the package's own `vippsLocalFetch` (src/vipps-local-fetch.ts, exported as
// `routeVippsSdk` for users); this wraps it to keep every exchange, so a test can inspect what the
// SDK sent and validate what we answered.
import { VIPPS_ORIGINS, vippsLocalFetch } from '../src/vipps-local-fetch.ts';

export interface SdkExchange {
  method: string;
  /** Path and query, e.g. /epayment/v1/payments/abc/capture */
  path: string;
  /** The request headers exactly as the SDK sent them, names lowercased. */
  requestHeaders: Record<string, string>;
  /** The request body as text ('' when none was sent). */
  requestBody: string;
  status: number;
  responseHeaders: Headers;
  /** The response body as text. */
  responseText: string;
  /** The response body parsed as JSON, or undefined when empty. */
  responseBody: unknown;
}

export interface SdkFetchRoute {
  /** Every request the SDK made to the platform's origins, in order. */
  exchanges: SdkExchange[];
  /** Puts the original globalThis.fetch back. */
  restore(): void;
}

/** Like routeVippsSdk(baseUrl), and records every routed exchange. */
export function routeSdkFetch(baseUrl: string): SdkFetchRoute {
  const original = globalThis.fetch;
  const routed = vippsLocalFetch(baseUrl, { fetch: original });
  const exchanges: SdkExchange[] = [];

  const recording = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!VIPPS_ORIGINS.includes(url.origin)) return original(request);

    const requestBody = request.body === null ? '' : await request.clone().text();
    const requestHeaders = Object.fromEntries(request.headers.entries());
    const response = await routed(request);
    const responseText = await response.clone().text();
    let responseBody: unknown = undefined;
    if (responseText.length > 0) {
      try {
        responseBody = JSON.parse(responseText);
      } catch {
        responseBody = responseText;
      }
    }
    exchanges.push({
      method: request.method,
      path: url.pathname + url.search,
      requestHeaders,
      requestBody,
      status: response.status,
      responseHeaders: response.headers,
      responseText,
      responseBody,
    });
    return response;
  };

  globalThis.fetch = recording as typeof globalThis.fetch;
  return {
    exchanges,
    restore() {
      if (globalThis.fetch === recording) globalThis.fetch = original;
    },
  };
}
