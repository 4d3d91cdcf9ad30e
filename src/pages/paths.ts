// The pages' own paths, relative to the server (links inside pages never need the public base URL).
const q = (token: string) => `token=${encodeURIComponent(token)}`;

export function landingPaths(token: string) {
  return {
    entry: `/landing?${q(token)}`,
    wait: `/landing/wait?${q(token)}`,
    done: `/landing/done?${q(token)}`,
    status: `/payment/status?${q(token)}`,
    events: `/payment/events?${q(token)}`,
  };
}

export function appPaymentPath(token: string, extra = ''): string {
  return `/app/payment?${q(token)}${extra}`;
}

/** A `next` after sign-in: only a path inside the simulator, never another site. */
export function safeAppPath(next: string | undefined): string {
  // Printable ASCII only: a control character (or any other a Location header cannot carry) is ignored.
  return next && /^\/app(\/|\?|$)/.test(next) && /^[\x21-\x7e]*$/.test(next) && !next.includes('\\') ? next : '/app';
}

/** The picture of the payment's Order Management category. */
export function appImagePath(token: string): string {
  return `/app/payment/image?${q(token)}`;
}
