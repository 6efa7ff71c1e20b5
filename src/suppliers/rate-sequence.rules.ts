import type { ErrorDetail } from '../common/errors/domain.exception';
import { CommonErrorCode } from '../common/errors/common.errors';
import { addDays, compareDates, isCalendarDate, type CalendarDate } from '../common/time/calendar-date';
import { rateInForce, type Rate } from './rate-card.rules';
import { SuppliersErrorCode } from './suppliers.errors';

/** A rate card line with its id, as the rules about ending, correcting and regulating rates see it. */
export type StoredRate = Rate & { id: string };

/**
 * The rates of one mentor type and level must follow each other: each starts the day after the one before ends,
 * and only the last may run on without an end. Details name the pair that overlaps or leaves a gap.
 */
export function checkRateSequence(rates: readonly Rate[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const slots = new Map<string, Rate[]>();
  for (const rate of rates) {
    const key = `${rate.mentorType}|${rate.serviceLevel}`;
    slots.set(key, [...(slots.get(key) ?? []), rate]);
  }
  for (const slot of slots.values()) {
    const sorted = [...slot].sort((a, b) => compareDates(a.validFrom, b.validFrom));
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1];
      const after = sorted[i];
      const values = { mentorType: after.mentorType, serviceLevel: after.serviceLevel, endsOn: before.validTo, startsOn: after.validFrom };
      if (before.validTo === null || compareDates(after.validFrom, before.validTo) <= 0) {
        problems.push({
          field: 'validFrom',
          rule: SuppliersErrorCode.RateOverlap,
          message: `mentor type ${after.mentorType}, level ${after.serviceLevel}: the rate from ${before.validFrom} ${before.validTo === null ? 'has no end' : `ends on ${before.validTo}`}, after the next one starts on ${after.validFrom}`,
          values: { existingValidFrom: before.validFrom, existingValidTo: before.validTo, existingRateOre: before.rateOre },
        });
      } else if (addDays(before.validTo, 1) !== after.validFrom) {
        problems.push({
          field: 'validTo',
          rule: SuppliersErrorCode.RateSequenceGap,
          message: `mentor type ${after.mentorType}, level ${after.serviceLevel}: no rate from ${addDays(before.validTo, 1)} until the next one starts on ${after.validFrom}`,
          values,
        });
      }
    }
  }
  return problems;
}

/** The card after ending `rateId` on `validTo`; refused when the end comes before the start or breaks the sequence. */
export function endRate(card: readonly StoredRate[], rateId: string, validTo: CalendarDate): { card: StoredRate[]; problems: ErrorDetail[] } {
  const rate = card.find((r) => r.id === rateId);
  if (!rate) throw new Error(`rate ${rateId} is not on the card`);
  if (!isCalendarDate(validTo)) return { card: [...card], problems: [{ field: 'validTo', rule: CommonErrorCode.CalendarDate, message: `validTo must be a date YYYY-MM-DD, got '${validTo}'` }] };
  if (compareDates(validTo, rate.validFrom) < 0) {
    return {
      card: [...card],
      problems: [{ field: 'validTo', rule: CommonErrorCode.PeriodOrder, message: `the rate ends on ${validTo}, before it starts on ${rate.validFrom}`, values: { validFrom: rate.validFrom, validTo } }],
    };
  }
  const after = card.map((r) => (r.id === rateId ? { ...r, validTo } : r));
  return { card: after, problems: checkRateSequence(after) };
}

/**
 * A rate may be corrected only while nothing can have used it: before the day it starts. A rate in force or
 * behind us is ended and followed by a new one instead.
 */
export function checkCorrectable(rate: Rate, today: CalendarDate): ErrorDetail[] {
  if (compareDates(today, rate.validFrom) < 0) return [];
  return [
    {
      field: 'validFrom',
      rule: SuppliersErrorCode.RateStarted,
      message: `the rate started on ${rate.validFrom} and invoices may be checked against it; end it and add a new rate instead`,
      values: { validFrom: rate.validFrom, today },
    },
  ];
}

/** A price regulation's factor as a fraction of integers: +3.1 % is 1031/1000; an index from 112.4 to 115.9 is 1159/1124. */
export interface RegulationFactor {
  numerator: bigint;
  denominator: bigint;
}

/** At most four decimals and three whole digits, a point as decimal separator: "3.1", "-0.5", "12". */
const PERCENT = /^(-?)(\d{1,3})(?:\.(\d{1,4}))?$/;
const INDEX = /^(\d{1,6})(?:\.(\d{1,4}))?$/;
const SCALE = 10_000n;

function scaled(whole: string, decimals: string | undefined): bigint {
  return BigInt(whole) * SCALE + BigInt((decimals ?? '').padEnd(4, '0'));
}

/** The factor of a percentage given as a decimal string; never read through a float. */
export function percentFactor(percent: string): RegulationFactor | ErrorDetail {
  const match = PERCENT.exec(percent);
  const detail: ErrorDetail = {
    field: 'percent',
    rule: SuppliersErrorCode.RegulationPercent,
    message: `percent must be a decimal number above -100 with at most four decimals and a point, e.g. "3.1", got '${percent}'`,
    values: { percent },
  };
  if (!match) return detail;
  const hundredths = scaled(match[2], match[3]) * (match[1] === '-' ? -1n : 1n);
  const denominator = 100n * SCALE;
  if (denominator + hundredths <= 0n) return detail;
  return { numerator: denominator + hundredths, denominator };
}

/** The factor of an index regulation: the index at the effective date over the index the rates were set at. */
export function indexFactor(index: { base: string; current: string }): RegulationFactor | ErrorDetail {
  const base = INDEX.exec(index.base);
  const current = INDEX.exec(index.current);
  const baseValue = base ? scaled(base[1], base[2]) : 0n;
  const currentValue = current ? scaled(current[1], current[2]) : 0n;
  if (baseValue <= 0n || currentValue <= 0n) {
    return {
      field: 'index',
      rule: SuppliersErrorCode.RegulationIndex,
      message: `index.base and index.current must be positive decimal numbers with at most four decimals and a point, e.g. "112.4", got '${index.base}' and '${index.current}'`,
      values: { base: index.base, current: index.current },
    };
  }
  return { numerator: currentValue, denominator: baseValue };
}

/** The highest price per hour a card holds (1 billion kr.), as a rate added through the API. */
export const MAX_RATE_ORE = 1_000_000_000_00;

/** rateOre × factor, rounded half up to the øre, in integer arithmetic; above MAX_RATE_ORE it answers MAX_RATE_ORE + 1. */
export function regulatedRateOre(rateOre: number, factor: RegulationFactor): number {
  const product = BigInt(rateOre) * factor.numerator;
  const result = (2n * product + factor.denominator) / (2n * factor.denominator);
  return result > BigInt(MAX_RATE_ORE) ? MAX_RATE_ORE + 1 : Number(result);
}

export interface RegulationAgreement {
  validFrom: CalendarDate;
  validTo: CalendarDate;
  active: boolean;
}

export interface RegulationStep {
  /** The rate in force the day the regulation takes effect; it ends the day before. */
  ending: StoredRate;
  endsOn: CalendarDate;
  /** The new rate from the effective date, to the old rate's end. */
  starting: Rate;
}

/**
 * A price regulation from `effectiveFrom`: every rate in force that day ends the day before and a new rate,
 * regulated and rounded half up to the øre, starts that day and runs to the old rate's end. Refused when the
 * agreement has ended or is inactive, when no rate is in force, and when a rate already starts on or after the
 * effective date (the regulated rate would overlap it).
 */
export function planRegulation(agreement: RegulationAgreement, card: readonly StoredRate[], effectiveFrom: CalendarDate, factor: RegulationFactor): { steps: RegulationStep[]; problems: ErrorDetail[] } {
  if (!isCalendarDate(effectiveFrom)) {
    return { steps: [], problems: [{ field: 'effectiveFrom', rule: CommonErrorCode.CalendarDate, message: `effectiveFrom must be a date YYYY-MM-DD, got '${effectiveFrom}'` }] };
  }
  if (!agreement.active || compareDates(agreement.validTo, effectiveFrom) < 0) {
    return {
      steps: [],
      problems: [
        {
          field: 'effectiveFrom',
          rule: SuppliersErrorCode.RegulationAgreementEnded,
          message: agreement.active ? `the agreement ended on ${agreement.validTo}, before ${effectiveFrom}` : 'the agreement is no longer active',
          values: { validTo: agreement.validTo, effectiveFrom, active: agreement.active },
        },
      ],
    };
  }
  if (compareDates(effectiveFrom, agreement.validFrom) <= 0) {
    return {
      steps: [],
      problems: [
        {
          field: 'effectiveFrom',
          rule: SuppliersErrorCode.RegulationBeforeStart,
          message: `a regulation must take effect after the agreement starts on ${agreement.validFrom}, got ${effectiveFrom}`,
          values: { validFrom: agreement.validFrom, effectiveFrom },
        },
      ],
    };
  }
  const problems: ErrorDetail[] = [];
  const steps: RegulationStep[] = [];
  const slots = new Map<string, StoredRate>();
  for (const rate of card) slots.set(`${rate.mentorType}|${rate.serviceLevel}`, rate);
  for (const { mentorType, serviceLevel } of slots.values()) {
    const later = card.find((r) => r.mentorType === mentorType && r.serviceLevel === serviceLevel && compareDates(r.validFrom, effectiveFrom) >= 0);
    if (later) {
      problems.push({
        field: 'effectiveFrom',
        rule: SuppliersErrorCode.RateOverlap,
        message: `mentor type ${mentorType}, level ${serviceLevel} already has the rate from ${later.validFrom}, on or after ${effectiveFrom}`,
        values: { existingValidFrom: later.validFrom, existingValidTo: later.validTo, existingRateOre: later.rateOre },
      });
      continue;
    }
    const inForce = rateInForce([...card], mentorType, serviceLevel, effectiveFrom) as StoredRate | null;
    if (!inForce) continue;
    if (regulatedRateOre(inForce.rateOre, factor) > MAX_RATE_ORE) {
      problems.push({ field: 'percent', rule: SuppliersErrorCode.RegulationRateBound, message: `the regulated rate would be above ${MAX_RATE_ORE} øre per hour`, values: { rateOre: inForce.rateOre, maxRateOre: MAX_RATE_ORE } });
      continue;
    }
    steps.push({
      ending: inForce,
      endsOn: addDays(effectiveFrom, -1),
      starting: { mentorType, serviceLevel, validFrom: effectiveFrom, validTo: inForce.validTo, rateOre: regulatedRateOre(inForce.rateOre, factor) },
    });
  }
  if (problems.length === 0 && steps.length === 0) {
    problems.push({ field: 'effectiveFrom', rule: SuppliersErrorCode.RegulationNoRates, message: `no rate on the card is in force on ${effectiveFrom}`, values: { effectiveFrom } });
  }
  steps.sort((a, b) => a.starting.mentorType.localeCompare(b.starting.mentorType) || a.starting.serviceLevel - b.starting.serviceLevel);
  return { steps: problems.length > 0 ? [] : steps, problems };
}
