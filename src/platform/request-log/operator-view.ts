// The request log as the operator API shows it: GET /vipps-local/v1/requests?reference=&msn=&traceId=&idempotencyKey=&limit=
import type { LoggedRequest, RequestFilter } from './request-log-store.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const FILTERS = ['reference', 'msn', 'traceId', 'idempotencyKey'] as const;
const PARAMETERS: readonly string[] = [...FILTERS, 'limit'];

/** The filter a query asks for, or why it is refused (a 400). */
export function requestLogQuery(query: Record<string, unknown>): { filter: RequestFilter } | { error: string } {
  const unknown = Object.keys(query).filter((k) => !PARAMETERS.includes(k));
  if (unknown.length > 0) return { error: `Unknown query parameter ${unknown.map((k) => `"${k}"`).join(', ')}. Use ${PARAMETERS.join(', ')}.` };
  const filter: RequestFilter = { limit: DEFAULT_LIMIT };
  for (const name of PARAMETERS) {
    const value = query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') return { error: `${name} may be given once.` };
    if (value === '') return { error: `${name} is empty: give a value or leave the parameter out.` };
  }
  for (const name of FILTERS) {
    const value = query[name] as string | undefined;
    if (value !== undefined) filter[name] = value;
  }
  if (filter.msn !== undefined && !/^[0-9]{4,10}$/.test(filter.msn)) return { error: `msn must be a Merchant-Serial-Number (4 to 10 digits), not "${filter.msn}".` };
  const limit = query.limit as string | undefined;
  if (limit !== undefined) {
    if (!/^[0-9]{1,7}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) return { error: `limit must be a whole number from 1 to ${MAX_LIMIT}, not "${limit}".` };
    filter.limit = Number(limit);
  }
  return { filter };
}

/** JSON for the operator: ISO times, the system headers under their own names. */
export function requestLogResponse(entries: LoggedRequest[], dropped: number) {
  return {
    requests: entries.map((e) => ({
      id: e.id,
      time: new Date(e.at).toISOString(),
      method: e.method,
      path: e.path,
      route: e.route,
      api: e.api,
      status: e.status,
      latencyMs: e.latencyMs,
      clientId: e.clientId,
      msn: e.msn,
      reference: e.reference,
      idempotencyKey: e.idempotencyKey,
      systemHeaders: {
        'Vipps-System-Name': e.systemName,
        'Vipps-System-Version': e.systemVersion,
        'Vipps-System-Plugin-Name': e.pluginName,
        'Vipps-System-Plugin-Version': e.pluginVersion,
      },
      traceId: e.traceId,
      errorCode: e.errorCode,
      errorDetail: e.errorDetail,
      leniencies: e.leniencies ?? [],
      notes: e.notes ?? [],
      /** As sent, at most 8 KiB (a cut is noted), secrets redacted; null when there was none. */
      requestBody: e.requestBody,
      responseBody: e.responseBody,
    })),
    /** Entries this instance could not record since it started (the store did not keep up). */
    dropped,
  };
}
