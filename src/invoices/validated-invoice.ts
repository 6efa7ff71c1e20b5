import type { Finding } from './finding';
import { vatOre } from './invoice-amounts';
import type { ReceivedInvoice, ReceivedLine } from './received-invoice';

/** A received invoice's line with what the business rules decided about it. */
export interface ValidatedLine {
  line: ReceivedLine;
  /** The supplier's own grant the line names; null when it names none of them. */
  grantId: string | null;
  /** What of the line can be approved, in øre (negative on a credit note). */
  approvableOre: number;
  findings: Finding[];
  /** On a credit note: the delivery the line reverses, if one matched. */
  creditsDeliveryId: string | null;
}

/** A received invoice with what the business rules decided, as the one persist step stores it. */
export interface ValidatedInvoice {
  received: ReceivedInvoice;
  vatBasisPoints: number;
  /** Excl. VAT; negative on a credit note. */
  netOre: number;
  vatOre: number;
  totalOre: number;
  approvableOre: number;
  errorCount: number;
  warningCount: number;
  /** Findings about the invoice as a whole. */
  findings: Finding[];
  lines: ValidatedLine[];
  /** What the invoice holds pending on each agreement's ceiling once it is submitted. */
  pendingByAgreement: Map<string, number>;
}

/** What validation decided of a received invoice, line by line (in the invoice's order) and as a whole. */
export interface Decision {
  lines: ReadonlyArray<{ approvableOre: number; findings: Finding[]; deliveryId?: string | null }>;
  findings: Finding[];
  vatBasisPoints: number;
  /** The supplier's own grants by reference. */
  grantIds: Map<string, string>;
  pendingByAgreement: Map<string, number>;
}

/**
 * The invoice's amounts and counts from what was received and what validation decided: net, VAT and total as the
 * invoice states them, or from its lines at its VAT rate; a credit note's amounts negative. Pure.
 */
export function settleInvoice(received: ReceivedInvoice, decision: Decision): ValidatedInvoice {
  const sign = received.documentType === 'credit_note' ? -1 : 1;
  const netOre = sign * (received.totals?.netOre ?? received.lines.reduce((sum, line) => sum + line.amountOre, 0));
  const vat = received.totals ? sign * received.totals.vatOre : vatOre(netOre, decision.vatBasisPoints);
  const totalOre = received.totals ? sign * received.totals.totalOre : netOre + vat;
  let errorCount = 0;
  let warningCount = 0;
  const count = (findings: readonly Finding[]): void => {
    for (const finding of findings) {
      if (finding.severity === 'error') errorCount++;
      else if (finding.severity === 'warning') warningCount++;
    }
  };
  count(decision.findings);
  let approvableOre = 0;
  const lines = received.lines.map((line, i): ValidatedLine => {
    const decided = decision.lines[i];
    count(decided.findings);
    approvableOre += decided.approvableOre;
    return { line, grantId: decision.grantIds.get(line.grantReference) ?? null, approvableOre: decided.approvableOre, findings: decided.findings, creditsDeliveryId: decided.deliveryId ?? null };
  });
  return {
    received,
    vatBasisPoints: decision.vatBasisPoints,
    netOre,
    vatOre: vat,
    totalOre,
    approvableOre,
    errorCount,
    warningCount,
    findings: decision.findings,
    lines,
    pendingByAgreement: decision.pendingByAgreement,
  };
}
