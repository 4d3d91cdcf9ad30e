// Content negotiation over an Accept header (RFC 9110 §12.5.1), just enough to choose between two
// answers: each media range with its q, the most specific range that matches a type decides.

interface Range {
  type: string;
  subtype: string;
  q: number;
}

function parse(accept: string): Range[] {
  const out: Range[] = [];
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const param of params) {
      const [k, v] = param.split('=');
      if (k?.trim().toLowerCase() === 'q') {
        const n = Number(v?.trim());
        q = Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
      }
    }
    out.push({ type, subtype, q });
  }
  return out;
}

/** The q an Accept header gives a media type (`image/png`): the most specific matching range's; 0 if none matches. */
export function qualityOf(accept: string, mediaType: string): number {
  const [type, subtype] = mediaType.toLowerCase().split('/');
  let best: { specificity: number; q: number } | null = null;
  for (const r of parse(accept)) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (specificity < 0) continue;
    if (!best || specificity > best.specificity || (specificity === best.specificity && r.q > best.q)) best = { specificity, q: r.q };
  }
  return best?.q ?? 0;
}

/**
 * Whether a client prefers `preferred` over `fallback`: strictly higher q. No Accept header, `*\/*`
 * or a tie keep the fallback (curl, fetch and <img> get what they always got).
 */
export function prefers(accept: string | undefined, preferred: string, fallback: string): boolean {
  if (!accept) return false;
  return qualityOf(accept, preferred) > qualityOf(accept, fallback);
}
