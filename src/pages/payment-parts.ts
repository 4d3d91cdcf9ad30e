// Pieces of a payment that the landing page and the app both show.
import type { OrderLine, Payment } from '../domain/payment.ts';
import { landingTimedOut } from '../domain/shopper-journey.ts';
import type { Directory } from '../engine/directory.ts';
import { formatAmount, initialOf } from './format.ts';
import { html, trusted, type SafeHtml } from './html.ts';
import type { Messages } from './i18n/messages.ts';

/** The name the shopper sees: the sales unit's name, as in the app. */
export function merchantNameOf(directory: Directory, p: Payment): string {
  return directory.salesUnit(p.msn)?.name ?? directory.merchantOf(p.msn)?.name ?? `Merchant ${p.msn}`;
}

/**
 * What a page shows of a payment, as one string: a page reloads when it changes. Time-dependent
 * parts (the landing page's 5 minutes) are included, so that the test clock moves pages too.
 */
export function viewOf(p: Payment, now: number): string {
  if (p.state !== 'CREATED') return p.state;
  if (p.pendingApproval) return p.pendingApproval.external?.challengeUrl ? 'CREATED:challenge' : 'CREATED:pending';
  if (landingTimedOut(p, now)) return 'CREATED:landing-timed-out';
  return p.sentToPhoneAt !== undefined ? 'CREATED:sent' : 'CREATED';
}

export function amountText(p: Payment): string {
  return formatAmount(p.currency, p.amount);
}

export function merchantBlock(name: string, subtitle: string): SafeHtml {
  return html`<div class="merchant"><span class="avatar" aria-hidden="true">${initialOf(name)}</span><div><div class="merchant-name">${name}</div><div class="muted small">${subtitle}</div></div></div>`;
}

/** A payment created before the terms had order lines kept the whole receipt in them. */
function legacyOrderLines(p: Payment): OrderLine[] | undefined {
  const receipt = (p.terms as { receipt?: { orderLines?: Array<{ name: string; totalAmount: number; unitInfo?: { quantity?: string } }> } }).receipt;
  return receipt?.orderLines?.map((l) => ({ name: l.name, amount: l.totalAmount, ...(l.unitInfo?.quantity && l.unitInfo.quantity !== '1' ? { quantity: l.unitInfo.quantity } : {}) }));
}

/** The receipt's order lines, when the merchant sent a receipt. */
export function orderLines(p: Payment, t: Messages): SafeHtml | null {
  const lines = p.terms.orderLines ?? legacyOrderLines(p);
  if (!lines?.length) return null;
  const items = lines.map((line) => {
    const qty = line.quantity !== undefined ? `${line.quantity} × ` : '';
    return html`<li><span>${qty}${line.name}</span><span>${formatAmount(p.currency, line.amount)}</span></li>`;
  });
  return html`<ul class="lines" aria-label="${t.orderLines}">${items}</ul>`;
}

export function requestedInfo(p: Payment, t: Messages): string[] {
  const labels: Record<string, string> = t.scope;
  return (p.terms.profileScope ?? '').split(' ').filter(Boolean).map((s) => (Object.hasOwn(labels, s) ? labels[s]! : s));
}

const ICONS = {
  ok: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>',
  bad: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"><path d="M6 6l12 12M18 6L6 18"/></svg>',
  clock: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"><circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/></svg>',
};

/** The big round symbol of a result screen. */
export function resultSymbol(kind: 'ok' | 'bad' | 'wait' | 'muted'): SafeHtml {
  const icon = kind === 'ok' ? ICONS.ok : kind === 'bad' ? ICONS.bad : ICONS.clock;
  return html`<div class="symbol symbol-${kind}" aria-hidden="true">${trusted(icon)}</div>`;
}

export interface Outcome {
  symbol: 'ok' | 'bad' | 'wait' | 'muted';
  title: string;
  text: string;
}

/** How a finished (or pending) payment is told to the shopper. */
export function outcomeOf(p: Payment, merchant: string, t: Messages): Outcome {
  switch (p.state) {
    case 'AUTHORIZED':
      return { symbol: 'ok', title: t.approvedTitle, text: t.approvedText(amountText(p), merchant) };
    case 'ABORTED':
      return { symbol: 'bad', title: t.cancelledTitle, text: t.cancelledText(merchant) };
    case 'EXPIRED':
      return { symbol: 'muted', title: t.expiredTitle, text: t.expiredText };
    case 'TERMINATED':
      return { symbol: 'muted', title: t.terminatedTitle, text: t.terminatedText(merchant) };
    case 'CREATED':
      if (p.pendingApproval?.external) {
        return p.pendingApproval.external.challengeUrl
          ? { symbol: 'wait', title: t.challengeTitle, text: t.challengeText }
          : { symbol: 'wait', title: t.processing, text: t.providerText(merchant) };
      }
      return p.pendingApproval
        ? { symbol: 'wait', title: t.bankTitle, text: t.bankText }
        : { symbol: 'wait', title: t.waitingTitle, text: t.waitingText };
  }
}
