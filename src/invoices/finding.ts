/**
 * A finding (afvigelse): what a business rule found on an invoice or one of its lines. It is a code, a severity and
 * the numbers behind it; its Danish and English text comes from the findings catalogue when it is shown
 * (finding-text.ts), so no text is stored with it.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Every code a business rule of invoice validation or credit matching gives a finding. */
export const FINDING_CODES = [
  'grant_unknown',
  'grant_not_active',
  'date_in_future',
  'date_outside_grant',
  'date_before_activation',
  'agreement_unknown',
  'date_outside_agreement',
  'rate_missing',
  'rate_above_agreement',
  'rate_above_price_cap',
  'rate_above_employee_rate',
  'line_amount',
  'duplicate_delivery',
  'week_over_grant',
  'hours_beyond_log',
  'ceiling_passed',
  'ceiling_warning',
  'net_total',
  'vat_total',
  'invoice_total',
  'minimum_contact_missing',
  'credit_unmatched',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type FindingValues = Record<string, string | number | boolean | null>;

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** The input field it concerns, as a path: `lines[3].minutes` names line 3. */
  field?: string;
  values: FindingValues;
  /** On a line's error: what of the line can be approved after every rule. */
  approvableOre?: number;
}
