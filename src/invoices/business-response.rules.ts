import type { Finding, FindingCode } from './finding';
import type { InvoiceStatus } from './invoice-lifecycle.rules';

/**
 * The business response a Danish buyer sends for a received e-invoice (Peppol BIS Invoice Response 3 and the
 * OIOUBL 3 invoice response, both a UBL 2.1 ApplicationResponse). Pure.
 *
 * Response codes (UNCL 4343, the Peppol subset "UNCL4343OpSubset"): AP accepted, CA conditionally accepted (the
 * buyer pays what the status reasons say, here: the approvable part), RE rejected, UQ under query (held or
 * disputed: the buyer needs an answer or time before deciding), IP in process (a hold released before the
 * invoice is decided). Status reasons (OpenPeppol "OPStatusReason"): REF references, PRI prices, QTY quantity,
 * DEL delivery, LEG legal, OTH other, NON no issue.
 */
export const RESPONSE_CODES = ['AB', 'IP', 'UQ', 'CA', 'RE', 'AP', 'PD'] as const;
export type ResponseCode = (typeof RESPONSE_CODES)[number];

export const STATUS_REASON_CODES = ['NON', 'REF', 'LEG', 'REC', 'QUA', 'DEL', 'PRI', 'QTY', 'ITM', 'PAY', 'UNR', 'FIN', 'PPD', 'OTH'] as const;
export type StatusReasonCode = (typeof STATUS_REASON_CODES)[number];

/** What triggered a response: the invoice's decision, a hold, its release, or a supplier's dispute. */
export type ResponseTrigger = 'approved' | 'partly_approved' | 'rejected' | 'held' | 'released' | 'disputed';

/** One reason: its code and a sentence (the finding's text, the rejection or hold reason). */
export interface ResponseReason {
  code: StatusReasonCode;
  text: string;
  /** The invoice line it concerns, when it concerns one. */
  lineNo?: number;
}

const REASON_OF: Record<FindingCode, StatusReasonCode> = {
  grant_unknown: 'REF',
  grant_not_active: 'REF',
  date_in_future: 'DEL',
  date_outside_grant: 'DEL',
  date_before_activation: 'DEL',
  agreement_unknown: 'REF',
  date_outside_agreement: 'DEL',
  rate_missing: 'PRI',
  rate_above_agreement: 'PRI',
  rate_above_price_cap: 'PRI',
  rate_above_employee_rate: 'PRI',
  line_amount: 'PRI',
  duplicate_delivery: 'QTY',
  week_over_grant: 'QTY',
  hours_beyond_log: 'QTY',
  ceiling_passed: 'OTH',
  ceiling_warning: 'OTH',
  net_total: 'OTH',
  vat_total: 'LEG',
  invoice_total: 'OTH',
  minimum_contact_missing: 'DEL',
  credit_unmatched: 'REF',
};

/** The status reason of a finding. */
export function reasonCodeOf(code: FindingCode): StatusReasonCode {
  return REASON_OF[code];
}

/** The response code the invoice's state and the trigger give. */
export function responseCodeFor(trigger: ResponseTrigger, status: InvoiceStatus): ResponseCode {
  switch (trigger) {
    case 'approved':
      return 'AP';
    case 'partly_approved':
      return 'CA';
    case 'rejected':
      return 'RE';
    case 'held':
    case 'disputed':
      return 'UQ';
    case 'released':
      return status === 'approved' ? 'AP' : status === 'partly_approved' ? 'CA' : 'IP';
  }
}

/** A line's findings (errors and warnings, not information) as reasons; text from the catalogue. */
export interface LineFindings {
  lineNo: number;
  findings: readonly Finding[];
}

/**
 * The reasons a response carries: an accepted invoice needs none (NON); otherwise the findings of its lines and
 * of the invoice (errors and warnings; information stays in the portal), and the free reason (a rejection's or
 * hold's) as OTH first. At most `max` reasons, so a large invoice's response stays readable.
 */
export function responseReasons(
  code: ResponseCode,
  invoiceFindings: readonly Finding[],
  lines: readonly LineFindings[],
  textOf: (finding: Finding) => string,
  freeReason: string | null,
  max = 50,
): ResponseReason[] {
  if (code === 'AP') return [];
  const reasons: ResponseReason[] = [];
  if (freeReason !== null && freeReason.trim() !== '') reasons.push({ code: 'OTH', text: freeReason.trim() });
  for (const finding of invoiceFindings) if (finding.severity !== 'info') reasons.push({ code: reasonCodeOf(finding.code), text: textOf(finding) });
  for (const line of lines) {
    for (const finding of line.findings) if (finding.severity !== 'info') reasons.push({ code: reasonCodeOf(finding.code), text: textOf(finding), lineNo: line.lineNo });
  }
  return reasons.slice(0, max);
}
