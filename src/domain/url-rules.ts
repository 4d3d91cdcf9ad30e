// Which URLs the platform accepts for returnUrl and receiptUrl. The platform requires https or a
// custom app scheme; plain http is accepted for loopback hosts because that is where a local
// integration runs (docs/decisions.md).

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
  if (url.protocol === 'https:') return url.hostname.length > 0;
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost');
  // A custom scheme such as `myapp://` or `vipps-shop:`: letters, digits, + - . only.
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol);
}
