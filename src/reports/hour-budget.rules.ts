import { addMonths, compareDates, type CalendarDate } from '../common/time/calendar-date';
import { MENTOR_TYPES, type MentorType } from '../rules/rule-set';
import { grantedMinutes } from './supplier-performance.rules';
import { percentOneDecimal, ratioTwoDecimals, yearPeriod } from './report-arithmetic.rules';
import type { ReportSupplier } from './report-supplier';

/**
 * Hour budgets and case review (004: "særskilt regnskab over forbruget af mentortimer"): the year's budget in
 * hours per mentor type and supplier, the hours granted (minutesPerWeek × the grant's days in the year / 7)
 * and delivered (approved sessions less approved credits) against it, the average granted hours per week, and
 * the high-intensity grants for review. Pure.
 */

export const REVIEW_MINUTES_PER_WEEK = 240;
export const REVIEW_MONTHS = 6;

export interface HourBudgetEntry {
  mentorType: MentorType;
  /** null: every supplier of the mentor type. */
  supplierId: string | null;
  minutes: number;
}

export interface HourBudgetGrant {
  reference: string;
  supplierId: string;
  mentorType: MentorType;
  minutesPerWeek: number;
  start: CalendarDate;
  /** The day it ended when ended early, else its (extended) end. */
  end: CalendarDate;
}

export interface HourBudgetDelivery {
  supplierId: string;
  mentorType: MentorType;
  /** Negative on a credit line. */
  minutes: number;
}

export interface HourBudgetRowReport {
  mentorType: MentorType;
  supplierId: string | null;
  supplierName: string | null;
  budgetMinutes: number | null;
  grantedMinutes: number;
  deliveredMinutes: number;
  /** budget − granted; null without a budget. */
  leftAfterGrantedMinutes: number | null;
  /** granted / budget in percent, one decimal; null without a budget. */
  grantedPercentOfBudget: number | null;
}

export type ReviewReason = 'above_4_hours_a_week' | 'longer_than_6_months';

export interface ReviewGrant {
  reference: string;
  supplierName: string;
  mentorType: MentorType;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  reasons: ReviewReason[];
}

export interface HourBudgetReport {
  year: number;
  rows: HourBudgetRowReport[];
  totals: { budgetMinutes: number; grantedMinutes: number; deliveredMinutes: number };
  /** The mean of the grants' hours per week, two decimals, half up; null without grants. */
  averageGrantedHoursPerWeek: number | null;
  grants: number;
  review: ReviewGrant[];
}

/** Whether a grant is for review: more than 4 hours a week, or longer than 6 months in all (its end on or after start + 6 months). */
export function reviewReasons(grant: Pick<HourBudgetGrant, 'minutesPerWeek' | 'start' | 'end'>): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (grant.minutesPerWeek > REVIEW_MINUTES_PER_WEEK) reasons.push('above_4_hours_a_week');
  if (compareDates(grant.end, addMonths(grant.start, REVIEW_MONTHS)) >= 0) reasons.push('longer_than_6_months');
  return reasons;
}

export function hourBudgetReport(input: { year: number; budgets: HourBudgetEntry[]; grants: HourBudgetGrant[]; deliveries: HourBudgetDelivery[]; suppliers: ReportSupplier[] }): HourBudgetReport {
  const { from, to } = yearPeriod(input.year);
  const names = new Map(input.suppliers.map((s) => [s.id, s.name]));
  const key = (type: MentorType, supplierId: string | null) => `${type}|${supplierId ?? ''}`;
  const keys = new Map<string, { mentorType: MentorType; supplierId: string | null }>();
  const add = (mentorType: MentorType, supplierId: string | null) => keys.set(key(mentorType, supplierId), { mentorType, supplierId });
  input.budgets.forEach((b) => add(b.mentorType, b.supplierId));
  input.grants.forEach((g) => add(g.mentorType, g.supplierId));
  input.deliveries.forEach((d) => add(d.mentorType, d.supplierId));
  const granted = (g: HourBudgetGrant) => grantedMinutes(g, from, to);
  const rows = [...keys.values()].map(({ mentorType, supplierId }): HourBudgetRowReport => {
    const matches = (row: { mentorType: MentorType; supplierId: string }) => row.mentorType === mentorType && (supplierId === null || row.supplierId === supplierId);
    const budget = input.budgets.find((b) => b.mentorType === mentorType && b.supplierId === supplierId)?.minutes ?? null;
    const grantedSum = input.grants.filter(matches).reduce((sum, g) => sum + granted(g), 0);
    const deliveredSum = input.deliveries.filter(matches).reduce((sum, d) => sum + d.minutes, 0);
    return {
      mentorType,
      supplierId,
      supplierName: supplierId === null ? null : (names.get(supplierId) ?? supplierId),
      budgetMinutes: budget,
      grantedMinutes: grantedSum,
      deliveredMinutes: deliveredSum,
      leftAfterGrantedMinutes: budget === null ? null : budget - grantedSum,
      grantedPercentOfBudget: budget === null || budget === 0 ? null : percentOneDecimal(grantedSum, budget),
    };
  });
  rows.sort((a, b) => MENTOR_TYPES.indexOf(a.mentorType) - MENTOR_TYPES.indexOf(b.mentorType) || (a.supplierName === null ? -1 : b.supplierName === null ? 1 : a.supplierName.localeCompare(b.supplierName, 'da')));
  const review = input.grants
    .map((g) => ({ grant: g, reasons: reviewReasons(g) }))
    .filter(({ reasons }) => reasons.length > 0)
    .map(({ grant, reasons }) => ({ reference: grant.reference, supplierName: names.get(grant.supplierId) ?? grant.supplierId, mentorType: grant.mentorType, minutesPerWeek: grant.minutesPerWeek, start: grant.start, end: grant.end, reasons }))
    .sort((a, b) => b.minutesPerWeek - a.minutesPerWeek || a.reference.localeCompare(b.reference));
  const minutesPerWeek = input.grants.reduce((sum, g) => sum + g.minutesPerWeek, 0);
  return {
    year: input.year,
    rows,
    // Budgets of one supplier and of every supplier of a type would count twice: the total is of the all-supplier rows when a type has one.
    totals: {
      budgetMinutes: totalBudget(input.budgets),
      grantedMinutes: input.grants.reduce((sum, g) => sum + granted(g), 0),
      deliveredMinutes: input.deliveries.reduce((sum, d) => sum + d.minutes, 0),
    },
    averageGrantedHoursPerWeek: ratioTwoDecimals(minutesPerWeek, input.grants.length * 60),
    grants: input.grants.length,
    review,
  };
}

function totalBudget(budgets: HourBudgetEntry[]): number {
  return MENTOR_TYPES.reduce((sum, type) => {
    const ofType = budgets.filter((b) => b.mentorType === type);
    const all = ofType.find((b) => b.supplierId === null);
    return sum + (all !== undefined ? all.minutes : ofType.reduce((s, b) => s + b.minutes, 0));
  }, 0);
}

