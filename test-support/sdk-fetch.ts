// Routes an official SDK's HTTP calls to a local vipps-local. The Vipps MobilePay SDK
// (@vippsmobilepay/sdk) has no base-URL option: it builds `new Request("https://apitest.vipps.no" + path)`
// and calls the global `fetch` at call time (esm/fetch.js, fetchJSON). Replacing globalThis.fetch
// while a test runs is therefore enough; every exchange is recorded so the test can inspect what the
// SDK sent and validate what we answered.

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
  /** Every request the SDK made to the routed origin, in order. */
  exchanges: SdkExchange[];
  /** Puts the original globalThis.fetch back. */
  restore(): void;
}

export const VIPPS_TEST_ORIGIN = 'https://apitest.vipps.no';

/**
 * Replaces globalThis.fetch with a wrapper that sends requests for `fromOrigin` to `baseUrl`
 * (same method, path, query, headers and body) and passes anything else to the original fetch.
 */
export function routeSdkFetch(baseUrl: string, fromOrigin: string = VIPPS_TEST_ORIGIN): SdkFetchRoute {
  const original = globalThis.fetch;
  const exchanges: SdkExchange[] = [];
  const target = baseUrl.replace(/\/$/, '');

  const routed = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== fromOrigin) return original(input, init);

    const requestBody = request.body === null ? undefined : await request.text();
    const headers = new Headers(request.headers);
    const forwarded: RequestInit = { method: request.method, headers, redirect: 'manual' };
    if (requestBody !== undefined) forwarded.body = requestBody;
    const path = url.pathname + url.search;
    const response = await original(target + path, forwarded);

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
      path,
      requestHeaders: Object.fromEntries(headers.entries()),
      requestBody: requestBody ?? '',
      status: response.status,
      responseHeaders: response.headers,
      responseText,
      responseBody,
    });
    return response;
  };

  globalThis.fetch = routed as typeof globalThis.fetch;
  return {
    exchanges,
    restore() {
      if (globalThis.fetch === routed) globalThis.fetch = original;
    },
  };
}
