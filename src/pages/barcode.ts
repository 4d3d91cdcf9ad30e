// A receipt's barcode (Order Management `bottomLine.barcode`) as an SVG image, drawn by bwip-js.
// Data the format cannot encode (an EAN-13 with a wrong check digit, lowercase CODE 39) is shown as
// text with a note: a merchant's typo must not break the shopper's page.
import { createRequire } from 'node:module';
import { html, trusted, type SafeHtml } from './html.ts';

export interface BarcodeInput {
  format?: unknown;
  data?: unknown;
}

// bwip-js is loaded by the first receipt with a barcode, not at start (it is a large module).
let bwip: typeof import('bwip-js') | undefined;
const bwipjs = () => (bwip ??= createRequire(import.meta.url)('bwip-js') as typeof import('bwip-js'));

const SYMBOLOGY: Record<string, string> = { 'EAN-13': 'ean13', 'CODE 39': 'code39', 'CODE 128': 'code128' };

/** bwip-js's SVG, or null when the data does not fit the format. */
export function barcodeSvg(format: string, data: string): string | null {
  const bcid = SYMBOLOGY[format];
  if (!bcid || data === '') return null;
  let svg: string;
  try {
    svg = bwipjs().toSVG({ bcid, text: data, includetext: true });
  } catch {
    return null;
  }
  // bwip-js draws bars and text as paths; anything else is not what we trust it to be.
  return /^<svg[\s>]/.test(svg) && !/<(script|foreignObject)|\son\w+=|href=/i.test(svg) ? svg : null;
}

export function barcodeView(b: BarcodeInput): SafeHtml | null {
  const data = typeof b.data === 'string' ? b.data : b.data === undefined || b.data === null ? '' : String(b.data);
  if (data === '') return null;
  const format = typeof b.format === 'string' ? b.format : '';
  const svg = barcodeSvg(format, data);
  if (svg) return html`<figure class="barcode" data-testid="barcode" data-format="${format}" role="img" aria-label="${`${format} barcode ${data}`}">${trusted(svg)}</figure>`;
  const note = SYMBOLOGY[format] ? `Not a valid ${format} barcode, so it is shown as text.` : `Unknown barcode format ${format || '(none)'}, so it is shown as text.`;
  return html`<p class="barcode-text" data-testid="barcode-text"><span class="num">${data}</span><br><span class="muted small">${note}</span></p>`;
}
