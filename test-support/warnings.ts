// Reading the Vipps-Local-Warning header in tests: an RFC 8941 list of `kind;field="…";detail="…"`.

export interface Warning {
  kind: string;
  field: string;
  detail: string;
}

const MEMBER = /(?:^|,)\s*([a-z][a-z0-9-]*);field="((?:[^"\\]|\\.)*)";detail="((?:[^"\\]|\\.)*)"\s*(?=,|$)/gy;
const unescape = (s: string) => s.replace(/\\(["\\])/g, '$1');

/** The entries of a Vipps-Local-Warning header (as fetch joins several lines: `a, b`); [] when absent. */
export function parseWarnings(header: string | null): Warning[] {
  if (header === null) return [];
  const out: Warning[] = [];
  let pos = 0;
  while (pos < header.length) {
    MEMBER.lastIndex = pos;
    const m = MEMBER.exec(header);
    if (!m) throw new Error(`unparsable Vipps-Local-Warning at ${pos}: ${header}`);
    out.push({ kind: m[1]!, field: unescape(m[2]!), detail: unescape(m[3]!) });
    pos = MEMBER.lastIndex;
  }
  return out;
}

/** `kind field` of each entry, for compact assertions. */
export function warningsOf(res: { headers: Headers }): string[] {
  return parseWarnings(res.headers.get('vipps-local-warning')).map((w) => `${w.kind} ${w.field}`);
}
