import { ErrorDetail } from '../common/errors/domain.exception';
import { CalendarDate, compareDates, isCalendarDate, isDateWithin } from '../common/time/calendar-date';
import { divideRoundingHalfUp, sumExact, toSafeNumber } from '../invoices/invoice-amounts';
import { accountCodeFor, MentorType, RefundRegime, RuleSetVersion, ruleSetInForce, TargetGroup } from '../rules/rule-set';
import { compareText } from '../common/compare';

/**
 * A refund claim (refusionsanmodning): the state refund claimed for a period's approved expenses,
 * by year, refund category, rate and account code. Each expense is judged by the rules in force on
 * its own date (the rule-set version, then that version's latest refund regime), with the target group
 * at the grant's start. Pure: the caller loads the period's expenses, the rule-set versions, the years'
 * frames and what earlier claims already took of them.
 *
 * Rounding: a line's refund is its expense sum × rate / 100, rounded half up once per line, so a line
 * can be recomputed from the two numbers it shows.
 *
 * The frame cap: inside-frame refund is paid only up to what is left of the year's frame after earlier
 * claims. When a claim's inside-frame lines of a year ask for more, what is left is shared among them in
 * proportion to their refund (whole øre, the odd øre to the largest remainders, ties to the earlier line),
 * so every account code keeps its share; the rest is shown as capped off.
 */

export const REFUND_CATEGORIES = ['inside_frame', 'outside_frame', 'none'] as const;
export type RefundCategory = (typeof REFUND_CATEGORIES)[number];

export interface RefundExpense {
  deliveryId: string;
  date: CalendarDate;
  /** Approved amount excl. VAT; a credit of an earlier expense is below 0. */
  amountExclVatOre: number;
  targetGroupAtStart: TargetGroup;
  mentorType: MentorType;
  supplierId: string;
}

export interface RefundClaimInput {
  /** The claim's period, both days included. */
  from: CalendarDate;
  to: CalendarDate;
  expenses: RefundExpense[];
  ruleSets: RuleSetVersion[];
  /** The year's frame (refusionsramme) in øre; null or missing when none has been entered. */
  frames: ReadonlyMap<number, number | null>;
  /** Inside-frame refund already claimed of each year's frame by earlier claims; missing is 0. */
  claimedBefore: ReadonlyMap<number, number>;
}

/** How one expense is refunded under the rules in force on its date. */
export interface RefundTerms {
  category: RefundCategory;
  /** 0 for category 'none'. */
  ratePercent: number;
  /** The regime applied, or null when no regime is in force on the date. */
  regimeFrom: CalendarDate | null;
  accountCode: string | null;
}

export interface ClassifiedExpense extends RefundExpense, RefundTerms {
  year: number;
}

export interface RefundLine {
  year: number;
  category: RefundCategory;
  ratePercent: number;
  accountCode: string | null;
  /** How many expenses the line holds. */
  expenses: number;
  expenseOre: number;
  /** expenseOre × ratePercent / 100, rounded half up, before the frame's cap. */
  refundOre: number;
  /** What the frame leaves out (inside the frame only). */
  cappedOffOre: number;
  /** What is claimed: refundOre − cappedOffOre. */
  claimedOre: number;
}

/** One year's frame as this claim uses it. */
export interface FrameUse {
  year: number;
  frameOre: number | null;
  claimedBeforeOre: number;
  /** What was left before this claim: frame − earlier claims, never below 0; null without a frame. */
  leftBeforeOre: number | null;
  /** The year's inside-frame refund before the cap. */
  refundOre: number;
  cappedOffOre: number;
  claimedOre: number;
  leftAfterOre: number | null;
}

export interface RefundTotals {
  expenseOre: number;
  refundOre: number;
  cappedOffOre: number;
  claimedOre: number;
}

export interface RefundClaim {
  from: CalendarDate;
  to: CalendarDate;
  /** By year, then category (inside, outside, none), rate and account code (no code last). */
  lines: RefundLine[];
  /** Each year with inside-frame lines, in order. */
  frames: FrameUse[];
  /** Every expense with how it was judged, by date, for the export. */
  expenses: ClassifiedExpense[];
  totals: RefundTotals;
}

// Sums in whole øre, exact.
const sum = sumExact;
const toSafe = toSafeNumber;

const yearOf = (date: CalendarDate): number => Number(date.slice(0, 4));

// ---- the rules in force on a date ----

/** The regime with the latest start on or before `date`, or null when none has started. */
export function refundRegimeOn(regimes: RefundRegime[], date: CalendarDate): RefundRegime | null {
  return regimes
    .filter((regime) => compareDates(regime.validFrom, date) <= 0)
    .reduce<RefundRegime | null>((latest, regime) => (latest === null || compareDates(regime.validFrom, latest.validFrom) > 0 ? regime : latest), null);
}

/** How an expense on `date` for this target group and mentor type is refunded and booked. */
export function refundTermsOn(versions: RuleSetVersion[], date: CalendarDate, targetGroup: TargetGroup, mentorType: MentorType): RefundTerms {
  const values = ruleSetInForce(versions, date).values;
  const regime = refundRegimeOn(values.refundRegimes, date);
  const accountCode = accountCodeFor(values, targetGroup, mentorType);
  if (regime === null) return { category: 'none', ratePercent: 0, regimeFrom: null, accountCode };
  const category: RefundCategory = regime.insideFrame.includes(targetGroup) ? 'inside_frame' : regime.outsideFrame.includes(targetGroup) ? 'outside_frame' : 'none';
  return { category, ratePercent: category === 'none' ? 0 : regime.ratePercent, regimeFrom: regime.validFrom, accountCode };
}

/** The refund of an expense sum at a whole percent, rounded half up (half away from zero for a credit). */
export function refundOre(expenseOre: number, ratePercent: number): number {
  if (!Number.isSafeInteger(expenseOre)) throw new RangeError(`the expense must be a whole number of øre, got ${expenseOre}`);
  if (!Number.isSafeInteger(ratePercent) || ratePercent < 0 || ratePercent > 100) throw new RangeError(`the refund rate must be a whole percent from 0 to 100, got ${ratePercent}`);
  return toSafe(divideRoundingHalfUp(BigInt(expenseOre) * BigInt(ratePercent), 100n), 'the refund');
}

// ---- input checks ----

function periodProblems(input: RefundClaimInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [field, value] of [['from', input.from], ['to', input.to]] as const) {
    if (!isCalendarDate(value)) problems.push({ field, rule: 'calendar_date', message: `${field} must be a date YYYY-MM-DD, got '${value}'` });
  }
  if (problems.length === 0 && compareDates(input.to, input.from) < 0) {
    problems.push({ field: 'to', rule: 'period_order', message: `the period ends on ${input.to}, before it starts on ${input.from}`, values: { from: input.from, to: input.to } });
  }
  return problems;
}

function expenseProblems(input: RefundClaimInput, periodOk: boolean): ErrorDetail[] {
  const seen = new Set<string>();
  return input.expenses.flatMap((expense, i) => {
    const at = `expenses[${i}]`;
    const problems: ErrorDetail[] = [];
    if (!Number.isSafeInteger(expense.amountExclVatOre)) {
      problems.push({ field: `${at}.amountExclVatOre`, rule: 'whole_ore', message: `${at}.amountExclVatOre must be a whole number of øre, got ${expense.amountExclVatOre}` });
    }
    if (!isCalendarDate(expense.date)) {
      problems.push({ field: `${at}.date`, rule: 'calendar_date', message: `${at}.date must be a date YYYY-MM-DD, got '${expense.date}'` });
    } else if (periodOk && !isDateWithin(expense.date, input.from, input.to)) {
      problems.push({ field: `${at}.date`, rule: 'expense_in_period', message: `${at} is dated ${expense.date}, outside the claim's period ${input.from} to ${input.to}`, values: { date: expense.date, from: input.from, to: input.to } });
    }
    if (seen.has(expense.deliveryId)) {
      problems.push({ field: `${at}.deliveryId`, rule: 'unique', message: `delivery ${expense.deliveryId} appears more than once; an expense is claimed once`, values: { deliveryId: expense.deliveryId } });
    }
    seen.add(expense.deliveryId);
    return problems;
  });
}

function amountProblems(input: RefundClaimInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [year, frame] of input.frames) {
    if (frame !== null && (!Number.isSafeInteger(frame) || frame < 0)) {
      problems.push({ field: `frames.${year}`, rule: 'non_negative_integer', message: `the frame of ${year} must be a whole number of øre of 0 or more, got ${frame}` });
    }
  }
  for (const [year, claimed] of input.claimedBefore) {
    if (!Number.isSafeInteger(claimed) || claimed < 0) {
      problems.push({ field: `claimedBefore.${year}`, rule: 'non_negative_integer', message: `the refund claimed earlier of ${year}'s frame must be a whole number of øre of 0 or more, got ${claimed}` });
    }
  }
  return problems;
}

// Problems only visible once every expense is judged: a missing frame, and credits that outweigh a line.
function lineProblems(lines: RefundLine[], input: RefundClaimInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const line of lines) {
    if (line.expenseOre < 0) {
      problems.push({
        field: 'expenses',
        rule: 'line_not_negative',
        message: `credits outweigh the expenses of ${line.year}, ${line.category}, ${line.ratePercent} %, account ${line.accountCode ?? 'none'}: ${line.expenseOre} øre`,
        values: { year: line.year, category: line.category, expenseOre: line.expenseOre },
      });
    }
  }
  const yearsInside = [...new Set(lines.filter((line) => line.category === 'inside_frame' && line.refundOre > 0).map((line) => line.year))];
  for (const year of yearsInside) {
    const frame = input.frames.get(year);
    if (frame === null || frame === undefined) {
      problems.push({ field: `frames.${year}`, rule: 'frame_missing', message: `the refund frame of ${year} must be entered before refund inside the frame can be claimed`, values: { year } });
    }
  }
  return problems;
}

// ---- the claim ----

function classify(input: RefundClaimInput): ClassifiedExpense[] {
  return [...input.expenses]
    .sort((a, b) => compareDates(a.date, b.date) || compareText(a.deliveryId, b.deliveryId))
    .map((expense) => ({ ...expense, year: yearOf(expense.date), ...refundTermsOn(input.ruleSets, expense.date, expense.targetGroupAtStart, expense.mentorType) }));
}

const lineKey = (e: ClassifiedExpense): string => JSON.stringify([e.year, e.category, e.ratePercent, e.accountCode]);

function compareLines(a: RefundLine, b: RefundLine): number {
  return (
    a.year - b.year ||
    REFUND_CATEGORIES.indexOf(a.category) - REFUND_CATEGORIES.indexOf(b.category) ||
    a.ratePercent - b.ratePercent ||
    (a.accountCode === b.accountCode ? 0 : a.accountCode === null ? 1 : b.accountCode === null ? -1 : compareText(a.accountCode, b.accountCode))
  );
}

function toLines(expenses: ClassifiedExpense[]): RefundLine[] {
  const groups = new Map<string, ClassifiedExpense[]>();
  for (const expense of expenses) groups.set(lineKey(expense), [...(groups.get(lineKey(expense)) ?? []), expense]);
  return [...groups.values()]
    .map((members) => {
      const { year, category, ratePercent, accountCode } = members[0];
      const expenseOre = sum(members.map((e) => e.amountExclVatOre), `the expenses of ${year} ${category}`);
      const refund = refundOre(expenseOre, ratePercent);
      return { year, category, ratePercent, accountCode, expenses: members.length, expenseOre, refundOre: refund, cappedOffOre: 0, claimedOre: refund };
    })
    .sort(compareLines);
}

/**
 * Shares `available` øre among `wanted` amounts (each ≥ 0) in proportion when they ask for more:
 * each gets the whole part of its share, and the øre left over go one each to the largest remainders,
 * ties to the earlier amount. The shares add up to `available` exactly and none is above its amount;
 * when `available` covers them all, each gets what it asks.
 */
export function shareInProportion(wanted: number[], available: number): number[] {
  if (!Number.isSafeInteger(available) || available < 0) throw new RangeError(`the amount to share must be a whole number of øre of 0 or more, got ${available}`);
  if (wanted.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError(`the amounts to share among must be whole numbers of øre of 0 or more, got ${wanted.join(', ')}`);
  const total = wanted.reduce((s, w) => s + BigInt(w), 0n);
  if (total <= BigInt(available)) return [...wanted];
  const parts = wanted.map((w, index) => {
    const product = BigInt(w) * BigInt(available);
    return { index, share: product / total, remainder: product % total };
  });
  let leftOver = BigInt(available) - parts.reduce((s, p) => s + p.share, 0n);
  const byRemainder = [...parts].sort((a, b) => (b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : a.index - b.index));
  for (const part of byRemainder) {
    if (leftOver === 0n) break;
    part.share += 1n;
    leftOver -= 1n;
  }
  return parts.map((p) => toSafe(p.share, 'a share'));
}

function applyFrame(year: number, lines: RefundLine[], input: RefundClaimInput): FrameUse {
  const inside = lines.filter((line) => line.year === year && line.category === 'inside_frame');
  const frameOre = input.frames.get(year) ?? null;
  const claimedBeforeOre = input.claimedBefore.get(year) ?? 0;
  const refund = sum(inside.map((line) => line.refundOre), `the inside-frame refund of ${year}`);
  if (frameOre === null) {
    // Only reached without inside-frame refund to cap (lineProblems refuses the rest).
    return { year, frameOre, claimedBeforeOre, leftBeforeOre: null, refundOre: refund, cappedOffOre: 0, claimedOre: refund, leftAfterOre: null };
  }
  const leftBeforeOre = Math.max(0, frameOre - claimedBeforeOre);
  if (refund > leftBeforeOre) {
    const shares = shareInProportion(
      inside.map((line) => line.refundOre),
      leftBeforeOre,
    );
    inside.forEach((line, i) => {
      line.claimedOre = shares[i];
      line.cappedOffOre = line.refundOre - shares[i];
    });
  }
  const claimedOre = sum(inside.map((line) => line.claimedOre), `the inside-frame claim of ${year}`);
  return { year, frameOre, claimedBeforeOre, leftBeforeOre, refundOre: refund, cappedOffOre: refund - claimedOre, claimedOre, leftAfterOre: leftBeforeOre - claimedOre };
}

function judge(input: RefundClaimInput): { expenses: ClassifiedExpense[]; lines: RefundLine[]; problems: ErrorDetail[] } {
  const periodErrors = periodProblems(input);
  const problems = [...periodErrors, ...expenseProblems(input, periodErrors.length === 0), ...amountProblems(input)];
  if (problems.length > 0) return { expenses: [], lines: [], problems };
  const expenses = classify(input);
  const lines = toLines(expenses);
  return { expenses, lines, problems: lineProblems(lines, input) };
}

/** Everything that stops computing this claim; empty when it can be computed. Throws, like ruleSetInForce, when no rule set is in force on an expense's date. */
export function refundClaimProblems(input: RefundClaimInput): ErrorDetail[] {
  return judge(input).problems;
}

/** Computes the claim; throws a RangeError naming every problem refundClaimProblems finds. */
export function computeRefundClaim(input: RefundClaimInput): RefundClaim {
  const { expenses, lines, problems } = judge(input);
  if (problems.length > 0) {
    throw new RangeError(`The refund claim for ${input.from} to ${input.to} cannot be computed: ${problems.map((p) => p.message).join('; ')}`);
  }
  const years = [...new Set(lines.filter((line) => line.category === 'inside_frame').map((line) => line.year))];
  const frames = years.map((year) => applyFrame(year, lines, input));
  return {
    from: input.from,
    to: input.to,
    lines,
    frames,
    expenses,
    totals: {
      expenseOre: sum(lines.map((line) => line.expenseOre), 'the claim’s expenses'),
      refundOre: sum(lines.map((line) => line.refundOre), 'the claim’s refund'),
      cappedOffOre: sum(lines.map((line) => line.cappedOffOre), 'the claim’s capped-off refund'),
      claimedOre: sum(lines.map((line) => line.claimedOre), 'the claim'),
    },
  };
}
