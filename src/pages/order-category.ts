// How the app shows an order's Order Management category: a label in the history, and a button to
// the merchant's page for the order (only an http(s) URL becomes a link).
import type { OmCategory } from '../faces/order-management/om-store.ts';
import { html, type SafeHtml } from './html.ts';
import { ENGLISH, type Messages } from './i18n/messages.ts';
// The labels and buttons per category are in the message catalogue (`t.category`, `t.categoryButton`).

/** Only http(s): the URL is the merchant's, and the app opens it in a browser. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The category's link button, or null when its URL is not a web URL. */
export function categoryButton(c: Pick<OmCategory, 'type' | 'url'>, t: Messages = ENGLISH): SafeHtml | null {
  if (!isWebUrl(c.url)) return null;
  return html`<a class="btn btn-secondary" href="${c.url}" rel="noopener" target="_blank" data-testid="category-link" data-category="${c.type}">${t.categoryButton[c.type]}</a>`;
}
