// Item "order-management": receipts or categories added to the payment history through the Order
// Management API (the checklist's "Add information to the payment history"). Pass: at least one
// answered 2xx. Fail: none sent, or none accepted (names the first refused).
import type { ChecklistInput, ChecklistItem } from './checklist.ts';
import { firstFew, isSuccess, orderManagementWriteOf, requestEvidence } from './request-kinds.ts';

const orderIdOf = (path: string) => decodeURIComponent(path.replace(/\/+$/, '').split('/').pop() ?? '');

export function judgeOrderManagement(input: ChecklistInput): ChecklistItem {
  const title = 'Receipts or categories sent through Order Management';
  const writes = input.requests.filter((r) => orderManagementWriteOf(r) !== null);
  const accepted = writes.filter(isSuccess);
  const counts = {
    receipts: accepted.filter((r) => orderManagementWriteOf(r) === 'receipt').length,
    categories: accepted.filter((r) => orderManagementWriteOf(r) === 'category').length,
    refused: writes.length - accepted.length,
  };
  if (accepted.length > 0) {
    return {
      id: 'order-management',
      title,
      status: 'pass',
      detail: `${counts.receipts} receipt${counts.receipts === 1 ? '' : 's'} and ${counts.categories} categor${counts.categories === 1 ? 'y' : 'ies'} accepted.`,
      evidence: { counts, references: { orders: firstFew(accepted.map((r) => orderIdOf(r.path))) } },
    };
  }
  if (writes.length > 0) {
    const first = writes[0]!;
    return { id: 'order-management', title, status: 'fail', detail: `${writes.length} receipt or category request${writes.length > 1 ? 's were' : ' was'} sent, none accepted; first: ${first.method} ${first.path} answered ${first.status}.`, evidence: { counts, firstOffending: requestEvidence(first) } };
  }
  return { id: 'order-management', title, status: 'fail', detail: 'No receipt or category was sent (POST /order-management/v2/{paymentType}/receipts/{orderId} or PUT …/categories/{orderId}).', evidence: { counts } };
}
