// Which URLs the platform accepts for returnUrl and receiptUrl. The spec asks for https or a custom
// app scheme; plain http is accepted for any host, as a leniency the ePayment face reports (or
// refuses in strict mode) when the host is not loopback (docs/decisions.md, "Lenient in, exact out").

// Schemes that run code, read local files or launch other programs when a browser or the OS opens
// them (ms-msdt: was Follina), whatever the merchant meant.
const FORBIDDEN_SCHEMES = new Set([
  'javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:',
  'ms-msdt:', 'search-ms:', 'ms-search:', 'ms-officecmd:', 'ms-appinstaller:', 'ms-cxh:', 'ms-cxh-full:',
  'intent:', 'view-source:', 'jar:', 'filesystem:', 'chrome:', 'res:', 'mk:', 'ms-its:', 'its:', 'mhtml:',
]);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAcceptableMerchantUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return false;
  // user:pass@ hides the real host from a reader (https://shop.example@evil.example) and leaks credentials.
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:' || url.protocol === 'http:') return url.hostname.length > 0;
  // A custom scheme such as `myapp://` or `vipps-shop:`: letters, digits, + - . only.
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol);
}

/** An absolute http(s) URL with a host. */
export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** An http:// URL to a host that is not loopback: production refuses it (the spec asks for https). */
export function isRemoteHttpUrl(raw: string): boolean {
  if (!/^\s*http:/i.test(raw)) return false; // the common case (https) without parsing a URL
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && !(LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost'));
}
