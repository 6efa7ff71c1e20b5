import { compareDates, isCalendarDate, type CalendarDate } from './calendar-date';

/**
 * The dates the portal takes from its users for sessions, grants and agreements: 2000-01-01 to 2099-12-31.
 * A date outside is a typing error, and the week, month and period arithmetic around a date inside stays far
 * within the years 1000–9999 that calendar-date.ts computes with.
 */
export const DATE_WINDOW = { from: '2000-01-01', to: '2099-12-31' } as const;

export function isInDateWindow(date: unknown): date is CalendarDate {
  return isCalendarDate(date) && compareDates(date, DATE_WINDOW.from) >= 0 && compareDates(date, DATE_WINDOW.to) <= 0;
}
