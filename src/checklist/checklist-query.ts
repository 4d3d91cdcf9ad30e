// Which sales unit a checklist request asks for: GET /vipps-local/v1/checklist?msn=… (the operator:
// any configured sales unit) and GET /vipps-local/v1/merchant/checklist[?msn=…] (a merchant: one of
// its own; the query may be left out when its credentials name one sales unit).
export type ChecklistQuery = { msn: string } | { statusCode: 400 | 403 | 404; message: string };

export function checklistQuery(query: Record<string, unknown>, units: readonly string[], who: 'operator' | 'merchant'): ChecklistQuery {
  const unknown = Object.keys(query).filter((k) => k !== 'msn');
  if (unknown.length > 0) return { statusCode: 400, message: `Unknown query parameter ${unknown.map((k) => `"${k}"`).join(', ')}. Use msn.` };
  const msn = query.msn;
  if (msn === undefined) {
    if (who === 'merchant' && units.length === 1) return { msn: units[0]! };
    return { statusCode: 400, message: `Name the sales unit: ?msn=<Merchant-Serial-Number>${who === 'merchant' ? ' (or send Merchant-Serial-Number)' : ''}.` };
  }
  if (typeof msn !== 'string') return { statusCode: 400, message: 'msn may be given once.' };
  if (!/^[0-9]{4,10}$/.test(msn)) return { statusCode: 400, message: `msn must be a Merchant-Serial-Number (4 to 10 digits), not "${msn}".` };
  if (!units.includes(msn)) {
    return who === 'operator'
      ? { statusCode: 404, message: `No sales unit ${msn} is configured.` }
      : { statusCode: 403, message: `Sales unit ${msn} is not one this merchant's credentials (and Merchant-Serial-Number) may read.` };
  }
  return { msn };
}
