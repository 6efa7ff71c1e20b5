/**
 * What a format's parser (JSON, CSV, UBL XML) read from an invoice, before the one check of a received invoice
 * (received-invoice.ts) makes it a ReceivedInvoice, and the small pure helpers the parsers share. A parser finds
 * the faults of its format (each an IntakeFault with its code); what it cannot know from the format alone (a
 * line an e-invoice gives no date or no minutes, a date the portal does not hold) is left to that check. Money
 * is integer øre, time integer minutes, dates 'YYYY-MM-DD'. No floating point touches money: decimal strings are
 * parsed digit by digit into BigInt.
 *
 * Rounding decision: a decimal with more than 2 decimals (e.g. the 4-decimal
 * net prices EN 16931 allows, 0.1212) is rounded to whole øre HALF UP (half
 * away from zero) in integer arithmetic, using divideRoundingHalfUp from
 * invoice-amounts.ts. It is not an error.
 */
import { divideRoundingHalfUp } from './invoice-amounts';
import type { IntakeFault } from './intake-fault';

export const CONTACT_FORMS = ['in_person', 'phone', 'video'] as const;
export type ContactForm = (typeof CONTACT_FORMS)[number];

/** How the mentor travelled to the session; transport is paid inside the hourly rate, so it is information, not an amount. */
export const TRANSPORT_KINDS = ['public_transport', 'car', 'bicycle_or_walk'] as const;
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

export interface ParsedLine {
  lineNo: number;
  grantReference: string | null;
  date: string | null;
  /** The last day of the period the line covers, when it covers more than its date (a monthly line). */
  periodTo?: string | null;
  minutes: number | null;
  quantityText: string;
  unitCode: string | null;
  rateOre: number;
  amountOre: number;
  contactForm: ContactForm | null;
  transport?: TransportKind | null;
  description: string | null;
}

export interface ParsedTotals {
  netOre: number;
  vatOre: number;
  totalOre: number;
}

export interface ParsedInvoice {
  source: 'json' | 'csv' | 'ubl';
  documentType: 'invoice' | 'credit_note';
  invoiceNumber: string;
  issueDate: string;
  currency: string;
  seller: { cvr: string | null; gln: string | null; name: string | null };
  orderReference: string | null;
  /** An e-invoice's buyer: its endpoint (EndpointID and scheme) and its reference (BuyerReference, or OIOUBL's person reference). */
  buyer?: { endpoint: { scheme: string; id: string } | null; reference: string | null };
  periodFrom: string | null;
  periodTo: string | null;
  lines: ParsedLine[];
  totals: ParsedTotals | null;
  /** A credit note's references to the invoice numbers it credits. */
  billingReferences: string[];
}

export type ParseResult = { ok: true; invoice: ParsedInvoice } | { ok: false; faults: IntakeFault[] };

/** A decimal number held exactly: value = units / 10^scale. */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

/**
 * Parses '1234.5', '-12.50', '+3', '250,00' (when decimalSeparator allows ',') exactly.
 * No exponent, no thousands separators, at most 30 digits. Returns null when malformed.
 */
export function parseExactDecimal(text: string, decimalSeparator: '.' | ',' | 'either' = '.'): ExactDecimal | null {
  const s = text.trim();
  if (s.length === 0 || s.length > 32) return null;
  let i = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    i = 1;
  }
  let digits = '';
  let scale = -1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits += s[i];
      if (scale >= 0) scale++;
      continue;
    }
    const isSep =
      (c === 46 && (decimalSeparator === '.' || decimalSeparator === 'either')) ||
      (c === 44 && (decimalSeparator === ',' || decimalSeparator === 'either'));
    if (isSep && scale < 0) {
      scale = 0;
      continue;
    }
    return null;
  }
  if (digits.length === 0) return null;
  const units = BigInt(digits);
  return { units: negative ? -units : units, scale: scale < 0 ? 0 : scale };
}

function toSafe(value: bigint): number | null {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return null;
  return Number(value);
}

/** value × multiplier / divisor, rounded half up to a whole number; null when not a safe integer. */
export function scaleExact(value: ExactDecimal, multiplier: bigint, divisor: bigint = 1n): number | null {
  const denominator = 10n ** BigInt(value.scale) * divisor;
  return toSafe(divideRoundingHalfUp(value.units * multiplier, denominator));
}

/** '1234.5' → 123450 øre; more than 2 decimals round half up; null when malformed. */
export function parseOre(text: string, decimalSeparator: '.' | ',' | 'either' = '.'): number | null {
  const d = parseExactDecimal(text, decimalSeparator);
  return d === null ? null : scaleExact(d, 100n);
}

/**
 * The largest rate or amount an invoice may state, in øre (1 billion kr.): far above any real invoice, and
 * 1440 minutes at such a rate, or 10,000 lines of such amounts, still add up to safe integers.
 */
export const MAX_AMOUNT_ORE = 1_000_000_000_00;

/** The pseudonymous grant reference suppliers quote, e.g. MS-2026-000123. */
export const GRANT_REFERENCE = /^MS-\d{4}-\d{6}$/;
