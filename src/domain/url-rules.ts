// Which URLs the platform accepts for returnUrl and receiptUrl. The spec asks for https or a custom
// app scheme; plain http is accepted for any host, as a leniency the ePayment face reports (or
// refuses in strict mode) when the host is not loopback (docs/decisions.md, "Lenient in, exact out").

const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAcceptableMerchantUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return false;
  if (url.protocol === 'https:' || url.protocol === 'http:') return url.hostname.length > 0;
  // A custom scheme such as `myapp://` or `vipps-shop:`: letters, digits, + - . only.
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol);
}

/** An absolute http(s) URL with a host. */
export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
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
