// HTML built from tagged templates: every interpolated value is escaped unless it is already
// SafeHtml (built by this same template). Merchant and shopper text can only ever become text.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** `html\`<p>${text}</p>\`` escapes `text`; nested html`` fragments and arrays of them are kept. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup written in this code base (CSS, the pages' own script). Never for outside input. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A URL that may go into href: http(s), a site-relative path, or an app scheme; never javascript: and friends. */
export function isSafeHref(url: string): boolean {
  if (url.startsWith('/') && !url.startsWith('//')) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:'].includes(parsed.protocol)) return false;
  return /^[a-z][a-z0-9+.-]*:$/.test(parsed.protocol);
}
