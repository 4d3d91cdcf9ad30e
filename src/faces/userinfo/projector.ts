// The Userinfo face's projector: an AUTHORIZED payment that asked for profile scopes carries the
// user's consent to share them with its sales unit. The consent row is written in the transaction
// that records the authorization, so the two commit (or roll back) together. It sends nothing: no
// outbox rows.
import type { Projector } from '../../engine/deps.ts';
import type { ConsentStore } from './consent-store.ts';

export function userinfoProjector(consents: ConsentStore): Projector {
  return async (tx, event, payment) => {
    if (event.name !== 'AUTHORIZED') return 0;
    const scope = payment.terms.profileScope;
    if (!scope || !payment.sub || !payment.customerPhone) return 0;
    await consents.in(tx.sql).record({
      sub: payment.sub,
      msn: payment.msn,
      phone: payment.customerPhone,
      scopes: [...new Set(scope.split(' ').filter(Boolean))],
      consentedAt: event.timestamp,
    });
    return 0;
  };
}
