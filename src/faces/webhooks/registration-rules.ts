// Rules for registering a webhook (Webhooks API v1).
import { FieldValidationError, type FieldProblem } from '../../domain/reasons.ts';
import { KNOWN_EVENT_TYPES, registrationLimit } from './event-types.ts';
import { isObviouslyInternal, type OutboundTargets } from '../../delivery/outbound-targets.ts';

export interface RegistrationRequest {
  url: string;
  events: string[];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks a registration. `existingPerEvent` counts the caller's current registrations per event
 * type. Unlike the real platform, http:// to a loopback host is accepted unless `requireHttps`.
 * Under the outbound policy 'public-only', an obviously internal target (a literal private,
 * loopback or link-local address in any spelling, `localhost`) is refused here; names are checked
 * again, resolved, at every delivery.
 */
export function validateRegistration(req: RegistrationRequest, existingPerEvent: Map<string, number>, requireHttps: boolean, outboundTargets: OutboundTargets = 'any'): void {
  const problems: FieldProblem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(req.url);
  } catch {
    problems.push({ name: 'url', reason: 'The url field must be an absolute URL.' });
  }
  if (url) {
    const loopback = LOOPBACK.has(url.hostname) || url.hostname.endsWith('.localhost');
    if (url.protocol === 'http:' && (requireHttps || !loopback)) {
      problems.push({ name: 'url', reason: requireHttps ? 'The url must use https.' : 'The url must use https (http is accepted only for localhost).' });
    } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      problems.push({ name: 'url', reason: 'The url must use https.' });
    }
    if (outboundTargets === 'public-only' && isObviouslyInternal(url)) {
      problems.push({ name: 'url', reason: 'The url must be reachable on the public internet: this vipps-local does not send to private, loopback or link-local addresses.' });
    }
    if (url.username || url.password) problems.push({ name: 'url', reason: 'The url must not contain credentials.' });
    if (url.hash) problems.push({ name: 'url', reason: 'The url must not contain a fragment.' });
  }
  if (req.events.length === 0) problems.push({ name: 'events', reason: 'The events field must name at least one event.' });
  const unknown = req.events.filter((e) => !KNOWN_EVENT_TYPES.has(e));
  if (unknown.length > 0) problems.push({ name: 'events', reason: `Unknown event name(s): ${unknown.join(', ')}.` });
  if (new Set(req.events).size !== req.events.length) problems.push({ name: 'events', reason: 'The events field must not repeat an event.' });
  for (const e of req.events) {
    const limit = registrationLimit(e);
    if ((existingPerEvent.get(e) ?? 0) >= limit) problems.push({ name: 'events', reason: `At most ${limit} webhooks can be registered for ${e}.` });
  }
  if (problems.length > 0) throw new FieldValidationError(problems);
}
