import { ErrorDetail } from '../common/errors/domain.exception';
import { addDays, CalendarDate, compareDates, isCalendarDate, isDateWithin } from '../common/time/calendar-date';
import { MentorType } from '../rules/rule-set';
import { CommonErrorCode } from '../common/errors/common.errors';
import { SuppliersErrorCode } from './suppliers.errors';

/**
 * An agreement's rate card (timepriser): one price per hour for each mentor
 * type and service level, valid over a period so a price regulation adds a
 * new rate instead of changing an old one.
 */
export interface Rate {
  mentorType: MentorType;
  serviceLevel: number;
  validFrom: CalendarDate;
  /** Last day the rate applies; null: until further notice. */
  validTo: CalendarDate | null;
  /** Price per hour in øre, excl. VAT. */
  rateOre: number;
}

/** e.g. 25000 → '250.00 kr.'; integer arithmetic only. */
function formatKroner(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} kr.`;
}

function describeRate(rate: Pick<Rate, 'mentorType' | 'serviceLevel'>): string {
  return `mentor type ${rate.mentorType}, level ${rate.serviceLevel}`;
}

function describeValidity(rate: Pick<Rate, 'validFrom' | 'validTo'>): string {
  return rate.validTo === null ? `from ${rate.validFrom} with no end` : `from ${rate.validFrom} to ${rate.validTo}`;
}

/** Everything that stops adding `candidate` to a rate card; empty when it may be added. */
export function checkNewRate(existing: Rate[], candidate: Rate, priceCapOre: number | null): ErrorDetail[] {
  return [...checkAmount(candidate, priceCapOre), ...checkPeriod(existing, candidate)];
}

function checkAmount(candidate: Rate, priceCapOre: number | null): ErrorDetail[] {
  const { rateOre } = candidate;
  if (!Number.isSafeInteger(rateOre) || rateOre <= 0) {
    return [{ field: 'rateOre', rule: SuppliersErrorCode.RatePositive, message: `the rate must be a whole number of øre above 0, got ${rateOre}`, values: { rateOre } }];
  }
  if (priceCapOre === null || rateOre <= priceCapOre) return [];
  return [
    {
      field: 'rateOre',
      rule: SuppliersErrorCode.RateAboveCap,
      message: `the rate ${formatKroner(rateOre)} per hour is above the price cap of ${formatKroner(priceCapOre)} per hour`,
      values: { rateOre, priceCapOre },
    },
  ];
}

function checkPeriod(existing: Rate[], candidate: Rate): ErrorDetail[] {
  const dateErrors = checkDates(candidate);
  if (dateErrors.length > 0) return dateErrors;
  if (candidate.validTo !== null && compareDates(candidate.validTo, candidate.validFrom) < 0) {
    return [
      {
        field: 'validTo',
        rule: CommonErrorCode.PeriodOrder,
        message: `the rate ends on ${candidate.validTo}, before it starts on ${candidate.validFrom}`,
        values: { validFrom: candidate.validFrom, validTo: candidate.validTo },
      },
    ];
  }
  return existing.filter((rate) => sameSlot(rate, candidate) && overlaps(rate, candidate)).map((rate) => overlapDetail(rate, candidate));
}

function checkDates(candidate: Rate): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (!isCalendarDate(candidate.validFrom)) {
    errors.push({ field: 'validFrom', rule: CommonErrorCode.CalendarDate, message: `validFrom must be a date YYYY-MM-DD, got '${candidate.validFrom}'` });
  }
  if (candidate.validTo !== null && !isCalendarDate(candidate.validTo)) {
    errors.push({ field: 'validTo', rule: CommonErrorCode.CalendarDate, message: `validTo must be a date YYYY-MM-DD or empty, got '${candidate.validTo}'` });
  }
  return errors;
}

function sameSlot(a: Rate, b: Rate): boolean {
  return a.mentorType === b.mentorType && a.serviceLevel === b.serviceLevel;
}

// Both ends are inclusive; a null end runs on forever.
function overlaps(a: Rate, b: Rate): boolean {
  const aStartsInTimeForB = b.validTo === null || compareDates(a.validFrom, b.validTo) <= 0;
  const bStartsInTimeForA = a.validTo === null || compareDates(b.validFrom, a.validTo) <= 0;
  return aStartsInTimeForB && bStartsInTimeForA;
}

function overlapDetail(rate: Rate, candidate: Rate): ErrorDetail {
  // A price regulation usually follows an open-ended rate: say how to close it.
  const hint =
    compareDates(rate.validFrom, candidate.validFrom) < 0 ? `; end that rate on ${addDays(candidate.validFrom, -1)} first` : '';
  return {
    field: 'validFrom',
    rule: SuppliersErrorCode.RateOverlap,
    message:
      `${describeRate(candidate)} already has the rate ${formatKroner(rate.rateOre)} ${describeValidity(rate)}, ` +
      `which overlaps ${describeValidity(candidate)}${hint}`,
    values: { existingValidFrom: rate.validFrom, existingValidTo: rate.validTo, existingRateOre: rate.rateOre },
  };
}

/** The rate for a mentor type and level on a date, or null when the card has none; the latest start wins if periods overlap. */
export function rateInForce(rates: Rate[], mentorType: MentorType, serviceLevel: number, date: CalendarDate): Rate | null {
  return rates
    .filter((rate) => rate.mentorType === mentorType && rate.serviceLevel === serviceLevel && isDateWithin(date, rate.validFrom, rate.validTo))
    .reduce<Rate | null>((latest, rate) => (latest === null || compareDates(rate.validFrom, latest.validFrom) > 0 ? rate : latest), null);
}

/**
 * A partnership's default rate (e.g. 250 kr./hour) as rates over the agreement's validity for every mentor
 * type and level the card itself leaves out; a card rate always wins over the default.
 */
export function withDefaultRate(card: Rate[], mentorTypes: MentorType[], defaultRateOre: number, validFrom: CalendarDate, validTo: CalendarDate, levels: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9]): Rate[] {
  const covered = new Set(card.map((rate) => `${rate.mentorType}|${rate.serviceLevel}`));
  const defaults = mentorTypes.flatMap((mentorType) =>
    levels.filter((level) => !covered.has(`${mentorType}|${level}`)).map((serviceLevel) => ({ mentorType, serviceLevel, validFrom, validTo, rateOre: defaultRateOre })),
  );
  return [...card, ...defaults];
}
