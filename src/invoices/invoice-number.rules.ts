import type { ErrorDetail } from '../common/errors/domain.exception';

/**
 * The one rule for the number a supplier gives its invoice, whatever the intake (JSON, CSV, UBL): 1 to 60
 * characters, letters, digits, - _ / . and single spaces between them (real e-invoices carry numbers such as
 * `018304 / 28865`), starting with a letter or digit. The number is shown in lists,
 * exported to spreadsheets and printed on statements, so a formula (=HYPERLINK…), a bidi override (U+202E)
 * or markup never gets in. Pure.
 */
export const INVOICE_NUMBER_MAX_LENGTH = 60;

// A space only between two other allowed characters: never leading, trailing or doubled.
const INVOICE_NUMBER = /^[\p{L}\p{N}](?:[\p{L}\p{N}\-_/.]| (?=[\p{L}\p{N}\-_/.]))*$/u;

export const INVOICE_NUMBER_RULE = 'invoice_number_format';
export const INVOICE_NUMBER_MESSAGE = `the invoice number has 1 to ${INVOICE_NUMBER_MAX_LENGTH} characters: letters, digits, - _ / . and single spaces between them, and starts with a letter or digit`;

export function isInvoiceNumber(value: unknown): value is string {
  // Characters as the database counts them (code points), not UTF-16 units.
  return typeof value === 'string' && INVOICE_NUMBER.test(value) && [...value].length <= INVOICE_NUMBER_MAX_LENGTH;
}

/** The detail that refuses an invoice number, or null when it keeps the rule. */
export function invoiceNumberProblem(value: unknown): ErrorDetail | null {
  return isInvoiceNumber(value) ? null : { field: 'invoiceNumber', rule: INVOICE_NUMBER_RULE, message: INVOICE_NUMBER_MESSAGE };
}
