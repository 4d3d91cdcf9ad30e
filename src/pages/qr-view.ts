// The page a QR payment's redirectUrl shows when a browser opens it (issue 17): the code itself
// (the same URL as an image), the link it holds, "Open in simulator" and "Copy". Programs and <img>
// tags keep getting the image (qr-route.ts decides which).
import type { Payment } from '../domain/payment.ts';
import type { Messages } from './i18n/messages.ts';
import { html } from './html.ts';
import { landingFrame, type PageOptions } from './layout.ts';
import { amountText, merchantBlock } from './payment-parts.ts';

/** Every string of this page, in one place (translations are added to the shopper pages later). */

export interface QrPageInput {
  p: Payment;
  merchant: string;
  now: number;
  /** The QR image: this same URL with ?view=image. */
  imagePath: string;
  /** What the code holds: the absolute simulator URL. */
  target: string;
  /** The simulator's path for the payment (site-relative). */
  appPath: string;
  /** The shopper's language (pages-context.ts shopperMessages). */
  t: Messages;
}

export function qrPage(input: QrPageInput): PageOptions {
  const t = input.t.qr;
  const { p } = input;
  const content = html`<section class="sheet single qr-sheet">
  <div class="step stack-lg">
    ${merchantBlock(input.merchant, t.requests)}
    <div class="stack">
      <h1>${t.heading}</h1>
      <p class="amount" data-testid="amount">${amountText(p)}</p>
      ${p.terms.paymentDescription ? html`<p class="description" data-testid="description">${p.terms.paymentDescription}</p>` : null}
    </div>
    <p class="qr-frame"><img class="qr-image" src="${input.imagePath}" alt="${t.imageAlt}" width="280" height="280" data-testid="qr-image"></p>
    <p class="muted small">${t.lead}</p>
    <div class="stack">
      <label class="small muted" for="qr-target">${t.linkLabel}</label>
      <div class="field"><input id="qr-target" type="text" readonly value="${input.target}" data-testid="qr-target" spellcheck="false"></div>
      <button class="btn btn-secondary" type="button" data-copy="qr-target" data-copied="${t.copied}" data-copy-failed="${t.copyFailed}" data-testid="copy">${t.copy}</button>
      <a class="btn btn-primary" href="${input.appPath}" data-testid="open-simulator">${t.open}</a>
    </div>
    <p class="muted small center">${t.imageOnly}<a href="${input.imagePath}" data-testid="image-link">${t.imageLink}</a></p>
  </div>
</section>`;
  return { title: `${t.title} · ${input.merchant}`, now: input.now, content: landingFrame(content, input.t), messages: input.t };
}
