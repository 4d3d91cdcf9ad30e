// The rules of an order line beyond its schema, as both ePayment's create and Order Management
// apply them: a tax rate (taxRate, or the deprecated taxPercentage) and totals that add up.
import type { FieldProblem } from '../../domain/reasons.ts';

export interface ReceiptLine {
  totalAmount: number;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  taxRate?: number | null;
  taxPercentage?: number | null;
}

/** The problems of each line, named from `at` (`receipt.orderLines`, `orderLines`). */
export function orderLineProblems(lines: readonly ReceiptLine[], at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  lines.forEach((line, i) => {
    const name = `${at}[${i}]`;
    if (line.taxRate == null && line.taxPercentage == null) {
      problems.push({ name: `${name}.taxRate`, reason: 'Either taxRate or taxPercentage must be set.' });
    }
    if (line.totalAmountExcludingTax + line.totalTaxAmount !== line.totalAmount) {
      problems.push({ name: `${name}.totalAmount`, reason: `totalAmount (${line.totalAmount}) must equal totalAmountExcludingTax (${line.totalAmountExcludingTax}) + totalTaxAmount (${line.totalTaxAmount}).` });
    }
  });
  return problems;
}
