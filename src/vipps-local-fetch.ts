// Sends an integration's calls to https://apitest.vipps.no (or https://api.vipps.no) to vipps-local
// instead, for clients that have no base-URL option. The official SDK (@vippsmobilepay/sdk) is one:
// it builds `new Request("https://apitest.vipps.no" + path)` and calls the global `fetch` at call
// time, and takes no fetch of its own, so routing the global fetch is the one way in.

/** The platform's origins (test environment and production), routed by default. */
export const VIPPS_ORIGINS: readonly string[] = ['https://apitest.vipps.no', 'https://api.vipps.no'];

export interface VippsLocalFetchOptions {
  /** Origins sent to vipps-local instead; default VIPPS_ORIGINS. */
  origins?: readonly string[];
  /** The fetch that sends every request on, routed or not; default the global fetch at call time. */
  fetch?: typeof globalThis.fetch;
}

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/**
 * A fetch function that sends requests for the platform's origins to `baseUrl` (same method, path,
 * query, headers and body) and any other request on unchanged. For code that accepts a fetch.
 */
export function vippsLocalFetch(baseUrl: string, options: VippsLocalFetchOptions = {}): typeof globalThis.fetch {
  // A malformed base URL fails here, not at the first call.
  const target = new URL(baseUrl);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`vipps-local base URL must be http(s)://…, got "${baseUrl}"`);
  const base = target.origin + target.pathname.replace(/\/+$/, '');
  const origins = new Set(options.origins ?? VIPPS_ORIGINS);
  const next = (input: string | URL | Request, init?: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);

  return async function fetchViaVippsLocal(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = new URL(urlOf(input));
    if (!origins.has(url.origin)) return next(input, init);
    const request = new Request(input, init);
    const forwarded: RequestInit = { method: request.method, headers: request.headers, redirect: request.redirect, signal: request.signal };
    if (request.body !== null) forwarded.body = await request.arrayBuffer();
    return next(base + url.pathname + url.search, forwarded);
  } as typeof globalThis.fetch;
}

export interface VippsSdkRoute {
  /** Puts back the global fetch that was there before (unless something replaced it since). */
  restore(): void;
}

/**
 * Routes the global fetch's calls to the platform to vipps-local until `restore()`: how to run
 * `@vippsmobilepay/sdk` (with `useTestMode: true`) against vipps-local unchanged.
 */
export function routeVippsSdk(baseUrl: string, options: Pick<VippsLocalFetchOptions, 'origins'> = {}): VippsSdkRoute {
  const original = globalThis.fetch;
  const routed = vippsLocalFetch(baseUrl, { ...options, fetch: original });
  globalThis.fetch = routed;
  return {
    restore() {
      if (globalThis.fetch === routed) globalThis.fetch = original;
    },
  };
}
