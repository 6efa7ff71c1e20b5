import { CommonErrorCode } from '../common/errors/common.errors';
import { ErrorDetail } from '../common/errors/domain.exception';
import { RuleError } from '../common/errors/rule-error';

/**
 * The arithmetic of an invoice: line amounts, VAT and totals, in integer øre.
 * Every product is computed with BigInt and divided with an explicit remainder,
 * so no floating point ever touches money. The one rounding rule (half up, that
 * is half away from zero) lives in divideRoundingHalfUp.
 */

const MINUTES_PER_HOUR = 60n;
const BASIS_POINTS = 10_000n;

// Minutes, rates and amounts are what an invoice says: a value that is no whole number refuses the rule.
function assertSafeInteger(value: number, what: string, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RuleError(CommonErrorCode.WholeNumber, `${what} must be a whole number of at least ${minimum}, got ${value}`, { values: { value, minimum } });
  }
}

/** A BigInt amount as a number; refuses (naming `what`) an amount beyond the safe integer range, never rounds it. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RuleError(CommonErrorCode.BeyondSafeRange, `${what} ${value} is beyond the safe integer range`, { values: { value: String(value) } });
  }
  return Number(value);
}

/** The exact sum of whole øre (or minutes), through BigInt; throws when it leaves the safe integer range. */
export function sumExact(values: number[], what: string): number {
  return toSafeNumber(
    values.reduce((total, value) => total + BigInt(value), 0n),
    what,
  );
}

/** numerator / denominator (denominator > 0) rounded to the nearest whole number, halves away from zero. */
export function divideRoundingHalfUp(numerator: bigint, denominator: bigint): bigint {
  // Callers divide by 60, 100, 10 000 or a count they checked is above 0: a denominator of 0 or less is a bug.
  if (denominator <= 0n) throw new Error(`the denominator must be above 0, got ${denominator}`);
  const magnitude = numerator < 0n ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const remainder = magnitude % denominator;
  const rounded = remainder * 2n >= denominator ? quotient + 1n : quotient;
  return numerator < 0n ? -rounded : rounded;
}

/** minutes × rate per hour / 60, rounded half up to whole øre: 7 min × 25 000 øre/h = 2916.67 → 2917. */
export function lineAmountOre(minutes: number, rateOrePerHour: number): number {
  assertSafeInteger(minutes, 'minutes', 0);
  assertSafeInteger(rateOrePerHour, 'the rate per hour in øre', 0);
  return toSafeNumber(divideRoundingHalfUp(BigInt(minutes) * BigInt(rateOrePerHour), MINUTES_PER_HOUR), 'the line amount');
}

/** VAT of a net amount at a rate in basis points (2500 = 25 %), rounded half up (a credit's negative net rounds away from zero). */
export function vatOre(netOre: number, basisPoints: number): number {
  assertSafeInteger(netOre, 'the net amount in øre', Number.MIN_SAFE_INTEGER);
  assertSafeInteger(basisPoints, 'the VAT rate in basis points', 0);
  return toSafeNumber(divideRoundingHalfUp(BigInt(netOre) * BigInt(basisPoints), BASIS_POINTS), 'the VAT amount');
}

export interface ArithmeticLine {
  minutes: number;
  rateOre: number;
  amountOre: number;
}

export interface InvoiceArithmetic {
  lines: ArithmeticLine[];
  vatBasisPoints: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
}

const isWhole = (value: number): boolean => Number.isSafeInteger(value);

/**
 * Everything that does not add up, each sum checked against the amounts as given one level down:
 * a line against minutes × rate, the net against the sum of the given line amounts, the VAT against
 * the given net, and the total against the given net + VAT, so one wrong line is reported once.
 * Lines whose minutes or rate are not whole numbers of at least 0 are left to the line rules.
 */
export function checkInvoiceArithmetic(invoice: InvoiceArithmetic): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  invoice.lines.forEach((line, i) => {
    if (!isWhole(line.minutes) || line.minutes < 0 || !isWhole(line.rateOre) || line.rateOre < 0) return;
    const expected = lineAmountOre(line.minutes, line.rateOre);
    if (expected === line.amountOre) return;
    details.push({
      field: `lines[${i}].amountOre`,
      rule: 'line_amount',
      message: `line ${i}: ${line.minutes} minutes at ${line.rateOre} øre per hour is ${expected} øre, not ${line.amountOre}`,
      values: { expected, given: line.amountOre, minutes: line.minutes, rateOre: line.rateOre },
    });
  });
  if (!invoice.lines.every((line) => isWhole(line.amountOre)) || !isWhole(invoice.netOre)) return details;
  const lineSum = toSafeNumber(
    invoice.lines.reduce((sum, line) => sum + BigInt(line.amountOre), 0n),
    'the sum of the lines',
  );
  if (lineSum !== invoice.netOre) {
    details.push({
      field: 'netOre',
      rule: 'net_total',
      message: `the lines add up to ${lineSum} øre, not the net amount ${invoice.netOre}`,
      values: { expected: lineSum, given: invoice.netOre },
    });
  }
  if (isWhole(invoice.vatBasisPoints) && invoice.vatBasisPoints >= 0) {
    const expectedVat = vatOre(invoice.netOre, invoice.vatBasisPoints);
    if (expectedVat !== invoice.vatOre) {
      details.push({
        field: 'vatOre',
        rule: 'vat_total',
        message: `VAT at ${invoice.vatBasisPoints} basis points of ${invoice.netOre} øre is ${expectedVat} øre, not ${invoice.vatOre}`,
        values: { expected: expectedVat, given: invoice.vatOre, netOre: invoice.netOre, vatBasisPoints: invoice.vatBasisPoints },
      });
    }
  }
  if (isWhole(invoice.vatOre)) {
    const expectedTotal = toSafeNumber(BigInt(invoice.netOre) + BigInt(invoice.vatOre), 'the total');
    if (expectedTotal !== invoice.totalOre) {
      details.push({
        field: 'totalOre',
        rule: 'invoice_total',
        message: `net ${invoice.netOre} øre + VAT ${invoice.vatOre} øre is ${expectedTotal} øre, not the total ${invoice.totalOre}`,
        values: { expected: expectedTotal, given: invoice.totalOre },
      });
    }
  }
  return details;
}
