import type { ErrorDetail } from '../common/errors/domain.exception';
import { addDays, compareDates, maxDate, type CalendarDate } from '../common/time/calendar-date';
import type { MentorType } from '../rules/rule-set';
import type { Rate } from './rate-card.rules';
import { SuppliersErrorCode } from './suppliers.errors';

/** The municipality's maximum price per hour (prisloft) for a mentor type and level, from a date until the next cap. */
export interface Cap {
  mentorType: MentorType;
  serviceLevel: number;
  validFrom: CalendarDate;
  rateOre: number;
}

/** The cap of a mentor type and level in force on a date (the latest start on or before it), or null. */
export function capInForce(caps: readonly Cap[], mentorType: MentorType, serviceLevel: number, date: CalendarDate): Cap | null {
  return caps
    .filter((cap) => cap.mentorType === mentorType && cap.serviceLevel === serviceLevel && compareDates(cap.validFrom, date) <= 0)
    .reduce<Cap | null>((latest, cap) => (latest === null || compareDates(cap.validFrom, latest.validFrom) > 0 ? cap : latest), null);
}

/** The last day a cap is in force: the day before the next cap of its mentor type and level starts; null: no end. */
function capEnd(caps: readonly Cap[], cap: Cap): CalendarDate | null {
  const next = caps
    .filter((c) => c.mentorType === cap.mentorType && c.serviceLevel === cap.serviceLevel && compareDates(c.validFrom, cap.validFrom) > 0)
    .reduce<Cap | null>((first, c) => (first === null || compareDates(c.validFrom, first.validFrom) < 0 ? c : first), null);
  return next === null ? null : addDays(next.validFrom, -1);
}

/** The first day a rate lies above a cap, or null when the cap, over the days it is in force, never is below it. */
function firstDayAbove(caps: readonly Cap[], cap: Cap, rate: Rate): CalendarDate | null {
  if (cap.mentorType !== rate.mentorType || cap.serviceLevel !== rate.serviceLevel || rate.rateOre <= cap.rateOre) return null;
  const end = capEnd(caps, cap);
  const from = maxDate(cap.validFrom, rate.validFrom);
  if (end !== null && compareDates(from, end) > 0) return null;
  if (rate.validTo !== null && compareDates(from, rate.validTo) > 0) return null;
  return from;
}

/** The lowest cap that lies below a rate on some day of the rate's period (the rate is flagged), or null. */
export function capBelowRate(caps: readonly Cap[], rate: Rate): Cap | null {
  return caps
    .filter((cap) => firstDayAbove(caps, cap, rate) !== null)
    .reduce<Cap | null>((lowest, cap) => (lowest === null || cap.rateOre < lowest.rateOre ? cap : lowest), null);
}

/**
 * A new cap may lie below a rate only where nothing can have been invoiced at that rate yet: from a day after
 * today. A cap reaching back over a day on which an agreement's rate above it was already in force is refused
 * (the invoices of those days were checked against the rate); a cap below a rate from a later day is accepted,
 * the rate is flagged, and invoice lines above the cap are approvable at the cap.
 */
export function checkNewCap(existingCaps: readonly Cap[], candidate: Cap, rates: ReadonlyArray<Rate & { agreementReference: string }>, today: CalendarDate): ErrorDetail[] {
  const caps = [...existingCaps, candidate];
  const problems: ErrorDetail[] = [];
  for (const rate of rates) {
    const from = firstDayAbove(caps, candidate, rate);
    if (from === null || compareDates(from, today) > 0) continue;
    problems.push({
      field: 'rateOre',
      rule: SuppliersErrorCode.CapBelowRateInUse,
      message: `agreement ${rate.agreementReference} has the rate ${rate.rateOre} øre for mentor type ${rate.mentorType}, level ${rate.serviceLevel} from ${rate.validFrom}, above the cap of ${candidate.rateOre} øre already on ${from}; start the cap after ${today}`,
      values: { agreementReference: rate.agreementReference, rateOre: rate.rateOre, priceCapOre: candidate.rateOre, from, today },
    });
  }
  return problems;
}
