// The names of the commands beside `start` and their summary for `--help`: what the entry point needs
// before it loads a command's code (a start loads none of it).
export const COMMANDS: ReadonlySet<string> = new Set(['approve', 'reject', 'expire', 'payments', 'deliveries', 'listen', 'checklist', 'help']);

export const COMMANDS_HELP = `Commands on a running vipps-local (--url, env VIPPS_LOCAL_URL, default http://127.0.0.1:8787;
--operator-token, env VIPPS_LOCAL_OPERATOR_TOKEN, where the operator API needs it):
  vipps-local approve <reference> [--msn N] [--phone N] [--card ID]
  vipps-local reject <reference> [--msn N]
  vipps-local expire <reference> [--msn N]
  vipps-local payments [--msn N] [--state S] [--reference R] [--limit N]
  vipps-local deliveries [--reference R] [--msn N] [--follow]
  vipps-local listen --forward-to URL [--events NAME,...]
  vipps-local checklist --msn N [--json]   (the go-live check; exit 1 when an item failed)
  vipps-local help <command>   (each command's options)
`;
