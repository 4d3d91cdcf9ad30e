// Whether an address to listen on is this machine's alone: what the operator API and the outbound
// target policy decide their defaults by.

/** 127.0.0.0/8, ::1 and localhost: a server listening only there is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}
