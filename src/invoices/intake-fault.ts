import type { ErrorDetail } from '../common/errors/domain.exception';
import { translate } from '../common/i18n/messages';
import type { Language } from '../common/web/page-context';
import type { Catalogues } from './finding-text';

/**
 * A format fault (formfejl): what makes a sent invoice unreadable as mentor deliveries, found once while it is
 * read (by its format's parser, then by the one check of a received invoice). Each fault has one code; its text
 * is `intake.<code>` in templates/i18n/intake.<lang>.json, filled from its values. `rule` is the name the API
 * has always given such a fault (several faults share one, e.g. `required`), and `shows` the values the API's
 * error detail carries beside the text.
 */
const FAULTS = {
  // CSV (csv-invoice.parser.ts)
  csv_cell_too_long: { rule: 'max_cell_length', shows: ['line'] },
  csv_formula: { rule: 'formula', shows: ['line'] },
  csv_grant_reference_missing: { rule: 'required', shows: ['line'] },
  csv_grant_reference_format: { rule: 'grant_reference_format', shows: ['line'] },
  csv_date_format: { rule: 'date_format', shows: ['line'] },
  csv_minutes_format: { rule: 'minutes_format', shows: ['line'] },
  csv_rate_format: { rule: 'amount_format', shows: ['line'] },
  csv_rate_range: { rule: 'amount_range', shows: ['line'] },
  csv_amount_format: { rule: 'amount_format', shows: ['line'] },
  csv_amount_range: { rule: 'amount_range', shows: ['line'] },
  csv_contact_form: { rule: 'contact_form', shows: ['line'] },
  csv_transport: { rule: 'transport', shows: ['line'] },
  csv_issue_date_format: { rule: 'date_format', shows: [] },
  csv_invoice_number_missing: { rule: 'required', shows: [] },
  csv_too_many_lines: { rule: 'max_lines', shows: [] },
  csv_empty: { rule: 'required', shows: [] },
  csv_header_column_missing: { rule: 'required', shows: ['line'] },
  csv_no_lines: { rule: 'required', shows: [] },
  csv_query_invoice_number_missing: { rule: 'required', shows: [] },
  csv_query_issue_date_missing: { rule: 'required', shows: [] },
  // UBL (ubl-invoice.parser.ts)
  ubl_too_large: { rule: 'max_size', shows: [] },
  ubl_dtd: { rule: 'dtd_forbidden', shows: [] },
  ubl_too_deep: { rule: 'max_depth', shows: [] },
  ubl_utf16: { rule: 'xml_encoding', shows: [] },
  ubl_bom_not_utf8: { rule: 'xml_encoding', shows: [] },
  ubl_not_utf8: { rule: 'xml_encoding', shows: [] },
  ubl_encoding_unknown: { rule: 'xml_encoding', shows: [] },
  ubl_encoding_unnamed: { rule: 'xml_encoding', shows: [] },
  ubl_not_in_encoding: { rule: 'xml_encoding', shows: [] },
  ubl_not_ubl: { rule: 'document_type', shows: [] },
  ubl_root_no_namespace: { rule: 'document_type', shows: [] },
  ubl_root_namespace: { rule: 'document_type', shows: [] },
  ubl_unreadable: { rule: 'xml_malformed', shows: [] },
  ubl_malformed: { rule: 'xml_malformed', shows: ['line'] },
  ubl_invoice_number_missing: { rule: 'required', shows: [] },
  ubl_issue_date_format: { rule: 'date_format', shows: [] },
  ubl_currency_missing: { rule: 'required', shows: [] },
  ubl_period_date_format: { rule: 'date_format', shows: [] },
  ubl_no_lines: { rule: 'required', shows: [] },
  ubl_quantity_format: { rule: 'quantity_format', shows: ['line'] },
  ubl_quantity_minutes: { rule: 'quantity_minutes', shows: ['line'] },
  ubl_amount_format: { rule: 'amount_format', shows: ['line'] },
  ubl_amount_range: { rule: 'amount_range', shows: ['line'] },
  ubl_price_format: { rule: 'amount_format', shows: ['line'] },
  ubl_price_range: { rule: 'amount_range', shows: ['line'] },
  ubl_line_date_format: { rule: 'date_format', shows: ['line'] },
  ubl_total_format: { rule: 'amount_format', shows: [] },
  ubl_vat_format: { rule: 'amount_format', shows: [] },
  ubl_buyer_endpoint: { rule: 'buyer_endpoint', shows: ['endpoint'] },
  // Any format, as a received invoice (received-invoice.ts)
  currency_dkk: { rule: 'currency_dkk', shows: ['currency'] },
  invoice_number_format: { rule: 'invoice_number_format', shows: [] },
  issue_date_format: { rule: 'calendar_date', shows: [] },
  issue_date_in_future: { rule: 'not_in_future', shows: ['issueDate'] },
  date_window: { rule: 'date_window', shows: ['date', 'from', 'to'] },
  no_lines: { rule: 'required', shows: [] },
  too_many_lines: { rule: 'max_lines', shows: [] },
  grant_reference_missing: { rule: 'required', shows: [] },
  grant_reference_too_long: { rule: 'length', shows: [] },
  session_date_missing: { rule: 'calendar_date', shows: [] },
  minutes_missing: { rule: 'minutes_in_day', shows: ['minutes'] },
  minutes_in_day: { rule: 'minutes_in_day', shows: ['minutes'] },
  rate_range: { rule: 'amount', shows: [] },
  amount_range: { rule: 'amount', shows: [] },
  description_too_long: { rule: 'length', shows: [] },
  totals_range: { rule: 'amount', shows: [] },
} as const satisfies Record<string, { rule: string; shows: readonly string[] }>;

export type IntakeFaultCode = keyof typeof FAULTS;

export const INTAKE_FAULT_CODES = Object.keys(FAULTS) as IntakeFaultCode[];

export type FaultValues = Record<string, string | number | null>;

export interface IntakeFault {
  code: IntakeFaultCode;
  /** The API's name for it (shared by faults alike). */
  rule: string;
  /** The input it is about, as a path: `rows[3].date` (a CSV row as numbered in the file), `lines[2].minutes`, `document`. */
  field: string;
  /** The row or line it is on, where it is on one. */
  line?: number;
  values: FaultValues;
}

export function fault(code: IntakeFaultCode, field: string, values: FaultValues = {}, line?: number): IntakeFault {
  return { code, rule: FAULTS[code].rule, field, ...(line === undefined ? {} : { line }), values };
}

/** The fault in words, in one language, from the intake catalogue. */
export function describeFault(catalogues: Catalogues, lang: Language, f: IntakeFault): string {
  return translate(catalogues, lang, `intake.${f.code}`, { ...f.values, field: f.field, ...(f.line === undefined ? {} : { line: f.line }) });
}

/** The fault as a detail of the API's error shape, its text in `lang`. */
export function faultDetail(catalogues: Catalogues, lang: Language, f: IntakeFault): ErrorDetail {
  const named: Record<string, string | number | null> = { ...f.values, ...(f.line === undefined ? {} : { line: f.line }) };
  const shown = FAULTS[f.code].shows.filter((name) => named[name] !== undefined);
  return {
    field: f.field,
    rule: f.rule,
    message: describeFault(catalogues, lang, f),
    ...(shown.length === 0 ? {} : { values: Object.fromEntries(shown.map((name) => [name, named[name]])) }),
  };
}
