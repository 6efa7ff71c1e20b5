import { addDays, compareDates, mondayOf, type CalendarDate } from '../common/time/calendar-date';

/**
 * KPIs of an agreement measured from the data: the share of grant-weeks with contact (a session delivered in the
 * ISO week) and the share of progress reports on time. Pure; shares in whole percent rounded down, null when
 * there is nothing to measure.
 */

export interface GrantWeeks {
  /** The day the grant is active from (or its start) and its last day (or the day it ended). */
  from: CalendarDate;
  to: CalendarDate;
  /** Minutes delivered per week, by the week's Monday. */
  minutesByMonday: ReadonlyMap<CalendarDate, number>;
}

export interface ReportFacts {
  /** Progress reports submitted, and of those submitted after their due date. */
  submitted: number;
  late: number;
  /** Follow-ups past their due date without a report. */
  overdue: number;
}

export interface AgreementKpis {
  contactWeeks: number;
  weeksWithContact: number;
  contactPercent: number | null;
  reportsDue: number;
  reportsOnTime: number;
  reportsOnTimePercent: number | null;
}

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.floor((part * 100) / whole));

/**
 * The weeks that count for contact: every ISO week from the one the grant starts in to the last whole week
 * before `today`'s week (the current week may still get its session), and not after the grant's last day.
 */
export function contactWeeks(grant: GrantWeeks, today: CalendarDate): { weeks: number; withContact: number } {
  const lastMonday = addDays(mondayOf(today), -7);
  let weeks = 0;
  let withContact = 0;
  for (let monday = mondayOf(grant.from); compareDates(monday, lastMonday) <= 0 && compareDates(monday, grant.to) <= 0; monday = addDays(monday, 7)) {
    weeks++;
    if ((grant.minutesByMonday.get(monday) ?? 0) > 0) withContact++;
  }
  return { weeks, withContact };
}

export function agreementKpis(grants: readonly GrantWeeks[], reports: ReportFacts, today: CalendarDate): AgreementKpis {
  let weeks = 0;
  let withContact = 0;
  for (const grant of grants) {
    const counted = contactWeeks(grant, today);
    weeks += counted.weeks;
    withContact += counted.withContact;
  }
  const reportsDue = reports.submitted + reports.overdue;
  const reportsOnTime = reports.submitted - reports.late;
  return { contactWeeks: weeks, weeksWithContact: withContact, contactPercent: percent(withContact, weeks), reportsDue, reportsOnTime, reportsOnTimePercent: percent(reportsOnTime, reportsDue) };
}
