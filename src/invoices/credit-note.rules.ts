import type { CalendarDate } from '../common/time/calendar-date';
import type { Finding } from './finding';
import type { LineResult } from './invoice-validation.rules';

/**
 * A credit note reverses earlier deliveries: each of its lines names a session (grant, date, minutes)
 * already invoiced by the same supplier. Pure.
 */

export interface CreditLine {
  index: number;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  /** What the line credits, as a positive amount. */
  amountOre: number;
}

export interface CreditCandidate {
  deliveryId: string;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  invoiceNumber: string;
  /** What was approved of it, or what can be approved while its invoice waits. */
  creditableOre: number;
}

export interface CreditMatch extends LineResult {
  /** The delivery the line reverses, or null when none matches. */
  deliveryId: string | null;
}

const key = (grantReference: string, date: CalendarDate, minutes: number): string => `${grantReference}|${date}|${minutes}`;

/**
 * Matches each line to one earlier delivery, preferring those on the invoices the credit note refers to;
 * a delivery is reversed at most once. The approvable amount is negative: never more than the line and
 * never more than what the delivery was worth.
 */
export function matchCredits(lines: CreditLine[], candidates: CreditCandidate[], billingReferences: string[]): CreditMatch[] {
  const referred = new Set(billingReferences);
  const pool = new Map<string, CreditCandidate[]>();
  const ordered = [...candidates].sort((a, b) => Number(referred.has(b.invoiceNumber)) - Number(referred.has(a.invoiceNumber)));
  for (const candidate of ordered) {
    const k = key(candidate.grantReference, candidate.date, candidate.minutes);
    pool.set(k, [...(pool.get(k) ?? []), candidate]);
  }
  return lines.map((line) => {
    const match = pool.get(key(line.grantReference, line.date, line.minutes))?.shift();
    if (match === undefined) return { index: line.index, deliveryId: null, approvableOre: 0, findings: [unmatched(line)] };
    return { index: line.index, deliveryId: match.deliveryId, approvableOre: -Math.min(Math.abs(line.amountOre), match.creditableOre), findings: [] };
  });
}

function unmatched(line: CreditLine): Finding {
  return {
    code: 'credit_unmatched',
    severity: 'error',
    field: `lines[${line.index}]`,
    values: { grantReference: line.grantReference, date: line.date, minutes: line.minutes },
    approvableOre: 0,
  };
}
