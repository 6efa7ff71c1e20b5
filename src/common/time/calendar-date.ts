/**
 * Calendar dates ('YYYY-MM-DD') and months ('YYYY-MM') as the job centre reads
 * them in Europe/Copenhagen. This is the one place that computes day, week and
 * month boundaries: every calculation runs on whole days counted with Date.UTC,
 * so neither the server's time zone nor daylight saving can move a date.
 */

import { CommonErrorCode } from '../errors/common.errors';
import { RuleError } from '../errors/rule-error';

/** A calendar date 'YYYY-MM-DD' (Europe/Copenhagen). */
export type CalendarDate = string;
/** A calendar month 'YYYY-MM'. */
export type CalendarMonth = string;

export interface IsoWeek {
  /** The ISO week-numbering year, which differs from the calendar year around New Year. */
  year: number;
  week: number;
  /** e.g. '2026-W01'. */
  key: string;
}

const DAY_MS = 86_400_000;
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
// Date.UTC reads years 0–99 as 1900–1999, so the supported years are the four-digit ones without a leading zero.
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

// The number written by `count` ASCII digits from `at`, or -1 when one of them is not a digit.
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

// Strict 'YYYY-MM-DD' naming a day that exists, read by character code rather than by regular expression and
// without allocating: invoice validation checks every date of every line several times.
function isStrictDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  return year >= MIN_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Strict 'YYYY-MM-DD' naming a day that exists (no 2025-02-29, no 2026-13-01). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  return typeof value === 'string' && isStrictDate(value);
}

/** Strict 'YYYY-MM' with a month 01–12. */
export function isValidMonth(value: unknown): value is CalendarMonth {
  if (typeof value !== 'string') return false;
  const match = MONTH_PATTERN.exec(value);
  if (match === null) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= MIN_YEAR && month >= 1 && month <= 12;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
}

// A date or month the caller passes may come straight from a request (a path, a query, a form), so a malformed one is the caller's input refusing a rule.
function assertCalendarDate(date: CalendarDate): void {
  if (!isCalendarDate(date)) throw new RuleError(CommonErrorCode.CalendarDate, `'${date}' is not a calendar date (YYYY-MM-DD)`, { values: { date: String(date) } });
}

function partsOf(date: CalendarDate): DateParts {
  assertCalendarDate(date);
  return { year: digitsAt(date, 0, 4), month: digitsAt(date, 5, 2), day: digitsAt(date, 8, 2) };
}

function monthPartsOf(month: CalendarMonth): { year: number; month: number } {
  if (!isValidMonth(month)) throw new RuleError(CommonErrorCode.CalendarMonth, `'${month}' is not a calendar month (YYYY-MM)`, { values: { month: String(month) } });
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function format(parts: DateParts): CalendarDate {
  // Arithmetic on a date a caller gave (a month's neighbour, a period's end) can leave the years the calendar computes with.
  if (parts.year < MIN_YEAR || parts.year > MAX_YEAR) {
    throw new RuleError(CommonErrorCode.DateOutOfRange, `year ${parts.year} is outside ${MIN_YEAR}–${MAX_YEAR}`, { values: { year: parts.year, min: MIN_YEAR, max: MAX_YEAR } });
  }
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

/** Days since 1970-01-01. */
function toDayNumber(date: CalendarDate): number {
  const { year, month, day } = partsOf(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function fromDayNumber(dayNumber: number): CalendarDate {
  const utc = new Date(dayNumber * DAY_MS);
  return format({ year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() });
}

// A count of days or months is computed by the portal (a rule set's weeks, a period's months), never typed by a user: a fraction is a bug.
function assertWholeNumber(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new Error(`${what} must be a whole number, got ${n}`);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  assertWholeNumber(days, 'days');
  return fromDayNumber(toDayNumber(date) + days);
}

/** Adds calendar months; a day missing in the target month becomes that month's last day (01-31 + 1 month = 02-28/29). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  assertWholeNumber(months, 'months');
  const { year, month, day } = partsOf(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return format({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/** b − a in days: daysBetween('2026-01-01', '2026-01-02') = 1. */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** −1, 0 or 1, for Array.prototype.sort. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  assertCalendarDate(a);
  assertCalendarDate(b);
  // Two valid dates of four-digit years order as their text.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(first: CalendarDate, ...rest: CalendarDate[]): CalendarDate {
  return rest.reduce((earliest, date) => (compareDates(date, earliest) < 0 ? date : earliest), checked(first));
}

export function maxDate(first: CalendarDate, ...rest: CalendarDate[]): CalendarDate {
  return rest.reduce((latest, date) => (compareDates(date, latest) > 0 ? date : latest), checked(first));
}

// Validates a lone argument, which the reducers above would otherwise return unchecked.
function checked(date: CalendarDate): CalendarDate {
  return format(partsOf(date));
}

/** True when from ≤ date ≤ to; a null `to` is open-ended. */
export function isDateWithin(date: CalendarDate, from: CalendarDate, to: CalendarDate | null): boolean {
  return compareDates(from, date) <= 0 && (to === null || compareDates(date, to) <= 0);
}

/** ISO-8601 weekday: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: CalendarDate): number {
  // 1970-01-01 was a Thursday (ISO day 4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function mondayOf(date: CalendarDate): CalendarDate {
  return addDays(date, 1 - isoDayOfWeek(date));
}

export function sundayOf(date: CalendarDate): CalendarDate {
  return addDays(date, 7 - isoDayOfWeek(date));
}

/** ISO-8601 week: Monday–Sunday, week 1 is the week holding the year's first Thursday. */
export function isoWeekOf(date: CalendarDate): IsoWeek {
  // A week belongs to the year its Thursday falls in.
  const thursday = addDays(date, 4 - isoDayOfWeek(date));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(`${pad(year, 4)}-01-01`, thursday) / 7) + 1;
  return { year, week, key: `${pad(year, 4)}-W${pad(week, 2)}` };
}

/** The ISO week keys touched by from..to (inclusive), in order; empty when to is before from. */
export function weeksInRange(from: CalendarDate, to: CalendarDate): string[] {
  if (compareDates(from, to) > 0) return [];
  const keys: string[] = [];
  for (let monday = mondayOf(from); compareDates(monday, to) <= 0; monday = addDays(monday, 7)) {
    keys.push(isoWeekOf(monday).key);
  }
  return keys;
}

export function monthOf(date: CalendarDate): CalendarMonth {
  return checked(date).slice(0, 7);
}

export function firstDayOfMonth(month: CalendarMonth): CalendarDate {
  const parts = monthPartsOf(month);
  return format({ ...parts, day: 1 });
}

export function lastDayOfMonth(month: CalendarMonth): CalendarDate {
  const parts = monthPartsOf(month);
  return format({ ...parts, day: daysInMonth(parts.year, parts.month) });
}

// One formatter for the process: building Intl formatters is slow.
const copenhagenDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Copenhagen at the instant `now`; the caller passes the clock so rules stay pure. */
export function todayInCopenhagen(now: Date): CalendarDate {
  const parts = copenhagenDate.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return format({ year: part('year'), month: part('month'), day: part('day') });
}

const copenhagenClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Minutes Copenhagen is ahead of UTC at the instant (60 in winter, 120 in summer). */
function copenhagenOffsetMinutes(at: Date): number {
  const parts = copenhagenClock.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The first instant after `now` at which Copenhagen's clock shows hour:minute: today's, or tomorrow's when it
 * has passed. Across a daylight-saving change the offset of that day is used.
 */
export function nextCopenhagenTime(now: Date, hour: number, minute: number): Date {
  const today = partsOf(todayInCopenhagen(now));
  for (let ahead = 0; ahead < 3; ahead += 1) {
    const wall = Date.UTC(today.year, today.month - 1, today.day + ahead, hour, minute);
    const guess = wall - copenhagenOffsetMinutes(new Date(wall)) * 60_000;
    const at = wall - copenhagenOffsetMinutes(new Date(guess)) * 60_000;
    if (at > now.getTime()) return new Date(at);
  }
  throw new RangeError(`no ${hour}:${minute} found after ${now.toISOString()}`);
}
