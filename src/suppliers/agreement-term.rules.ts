import type { ErrorDetail } from '../common/errors/domain.exception';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { compareDates, daysBetween, firstDayOfMonth, lastDayOfMonth, monthOf, type CalendarDate } from '../common/time/calendar-date';
import type { AgreementStatus, CommitmentPeriod } from './agreement.entity';
import { SuppliersErrorCode } from './suppliers.errors';

/**
 * An agreement's term: which changes an agreement still takes, termination, when procurement is warned that it
 * runs out, and the committed volume's periods. Pure functions over plain values.
 */

/** An agreement is terminated by procurement (or admin) once; a terminated agreement stays so. */
export const AGREEMENT_TRANSITIONS: readonly Transition<AgreementStatus>[] = [{ from: 'in_force', to: 'terminated', roles: ['procurement', 'admin'] }];

export function agreementTransitionProblem(from: AgreementStatus, to: AgreementStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('agreement', AGREEMENT_TRANSITIONS, from, to, role);
}

/** Days before an agreement's last day on which procurement is warned (dashboard and notification). */
export const EXPIRY_MARKS: readonly number[] = [90, 60, 30];

export interface AgreementTermFacts {
  reference: string;
  status: AgreementStatus;
  validFrom: CalendarDate;
  validTo: CalendarDate;
  terminatedOn: CalendarDate | null;
}

/** The last day an agreement can be used: its end, or the day it is terminated on. */
export function lastDayOf(agreement: Pick<AgreementTermFacts, 'validTo' | 'terminatedOn'>): CalendarDate {
  return agreement.terminatedOn !== null && compareDates(agreement.terminatedOn, agreement.validTo) < 0 ? agreement.terminatedOn : agreement.validTo;
}

/**
 * Why an agreement takes no more changes to its terms (an edit, an extension, a price regulation): it is
 * terminated, or it ended before today. Empty when it is open.
 */
export function checkOpenForChange(agreement: AgreementTermFacts, today: CalendarDate): ErrorDetail[] {
  if (agreement.status === 'terminated') {
    return [{ field: 'status', rule: SuppliersErrorCode.AgreementTerminated, message: `the agreement ${agreement.reference} is terminated from ${agreement.terminatedOn}; it takes no more changes`, values: { reference: agreement.reference, terminatedOn: agreement.terminatedOn } }];
  }
  if (compareDates(agreement.validTo, today) < 0) {
    return [{ field: 'validTo', rule: SuppliersErrorCode.AgreementEnded, message: `the agreement ${agreement.reference} ended on ${agreement.validTo}; it takes no more changes`, values: { reference: agreement.reference, validTo: agreement.validTo } }];
  }
  return [];
}

/** A termination date must lie in the agreement's period: not before its start, not after its end. */
export function checkTermination(agreement: AgreementTermFacts, terminatedOn: CalendarDate): ErrorDetail[] {
  if (compareDates(terminatedOn, agreement.validFrom) < 0) {
    return [{ field: 'terminatedOn', rule: SuppliersErrorCode.TerminationBeforeStart, message: `the termination date ${terminatedOn} lies before the agreement starts on ${agreement.validFrom}`, values: { terminatedOn, validFrom: agreement.validFrom } }];
  }
  if (compareDates(terminatedOn, agreement.validTo) > 0) {
    return [{ field: 'terminatedOn', rule: SuppliersErrorCode.TerminationAfterEnd, message: `the termination date ${terminatedOn} lies after the agreement ends on ${agreement.validTo}`, values: { terminatedOn, validTo: agreement.validTo } }];
  }
  return [];
}

/** Why a grant may not start on `start` under the agreement: it is terminated before, or its supplier is deactivated. */
export function grantStartRefusals(agreement: AgreementTermFacts, supplier: { name: string; active: boolean }, start: CalendarDate): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (agreement.terminatedOn !== null && compareDates(start, agreement.terminatedOn) > 0) {
    problems.push({ field: 'start', rule: SuppliersErrorCode.AgreementTerminated, message: `the agreement ${agreement.reference} is terminated from ${agreement.terminatedOn}; no grant may start after it (this one starts ${start})`, values: { reference: agreement.reference, terminatedOn: agreement.terminatedOn, start } });
  }
  if (!supplier.active) {
    problems.push({ field: 'agreementId', rule: SuppliersErrorCode.SupplierDeactivated, message: `the supplier ${supplier.name} is deactivated; it gets no new agreements or grants`, values: { supplier: supplier.name } });
  }
  return problems;
}

/**
 * The expiry mark an agreement has reached on `today`: the smallest mark at or above the days left to its last
 * day, or null when it is further off, already over, or terminated (a termination is decided, not run into).
 * 90 days before the last day gives 90, 89 to 61 days before still 90, 60 days before 60, and so on.
 */
export function expiryMark(agreement: AgreementTermFacts, today: CalendarDate, marks: readonly number[] = EXPIRY_MARKS): { mark: number; daysLeft: number } | null {
  if (agreement.status === 'terminated') return null;
  const daysLeft = daysBetween(today, agreement.validTo);
  if (daysLeft < 0) return null;
  const reached = marks.filter((mark) => daysLeft <= mark);
  return reached.length === 0 ? null : { mark: Math.min(...reached), daysLeft };
}

/** The commitment period (calendar month, quarter or year) a day lies in. */
export function commitmentPeriodOf(date: CalendarDate, period: CommitmentPeriod): { from: CalendarDate; to: CalendarDate } {
  const year = date.slice(0, 4);
  if (period === 'year') return { from: `${year}-01-01`, to: `${year}-12-31` };
  if (period === 'month') return { from: firstDayOfMonth(monthOf(date)), to: lastDayOfMonth(monthOf(date)) };
  const firstMonth = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
  const month = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  return { from: firstDayOfMonth(month(firstMonth)), to: lastDayOfMonth(month(firstMonth + 2)) };
}

/** Use of a committed volume: minutes used and left, and the whole percent used (rounded down). */
export function commitmentUse(committedMinutes: number, usedMinutes: number): { usedMinutes: number; leftMinutes: number; percent: number } {
  return { usedMinutes, leftMinutes: Math.max(committedMinutes - usedMinutes, 0), percent: Math.floor((usedMinutes * 100) / committedMinutes) };
}
