import { ErrorDetail } from '../common/errors/domain.exception';
import { CalendarDate, compareDates, isCalendarDate, isDateWithin } from '../common/time/calendar-date';
import { divideRoundingHalfUp, sumExact, toSafeNumber } from '../invoices/invoice-amounts';
import { accountCodeFor, groupingChangeDates, MentorType, RefundRegime, RuleSetVersion, ruleSetInForce, TargetGroup } from '../rules/rule-set';
import { compareText } from '../common/compare';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { CommonErrorCode } from '../common/errors/common.errors';
import { RuleError } from '../common/errors/rule-error';
import { RefundsErrorCode } from './refunds.errors';

/**
 * A refund claim (refusionsanmodning): the state refund claimed for a period's approved expenses,
 * by year, refund category, rate and account code. Each expense is judged by the rules in force on
 * its own date (the rule-set version, then that version's latest refund regime), with the target group
 * at the grant's start. Pure: the caller sums the period's expenses by rule stretch, target group and
 * mentor type (in SQL; `aggregateExpenses` is the same grouping over single expenses), and loads the
 * rule-set versions, the years' frames and what earlier claims already took of them.
 *
 * A rule stretch is a run of days of the period on which every expense of a target group and mentor type
 * is judged alike: it starts on the period's first day, on each rule-set version's or refund regime's first
 * day and on each 1 January (a line is of one year). So the claim is linear in the expenses, and what the
 * rule sees is a few hundred sums, however many expenses the period holds.
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

/** One approved expense; the claim sees them summed (ExpenseAggregate). */
export interface RefundExpense {
  deliveryId: string;
  date: CalendarDate;
  /** Approved amount excl. VAT; a credit of an earlier expense is below 0. */
  amountExclVatOre: number;
  targetGroupAtStart: TargetGroup;
  mentorType: MentorType;
}

/** The approved expenses of one rule stretch, target group and mentor type, summed. */
export interface ExpenseAggregate {
  /** The first day of the rule stretch: every expense of the aggregate is judged by the rules on this day. */
  stretchFrom: CalendarDate;
  targetGroupAtStart: TargetGroup;
  mentorType: MentorType;
  /** How many expenses (credits included). */
  expenses: number;
  expenseOre: number;
}

export interface RefundClaimInput {
  /** The claim's period, both days included. */
  from: CalendarDate;
  to: CalendarDate;
  /** The period's expenses summed by the stretches of ruleStretches(ruleSets, from, to). */
  aggregates: ExpenseAggregate[];
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
  const accountCode = accountCodeFor(values, targetGroup, mentorType, date);
  if (regime === null) return { category: 'none', ratePercent: 0, regimeFrom: null, accountCode };
  const category: RefundCategory = regime.insideFrame.includes(targetGroup) ? 'inside_frame' : regime.outsideFrame.includes(targetGroup) ? 'outside_frame' : 'none';
  return { category, ratePercent: category === 'none' ? 0 : regime.ratePercent, regimeFrom: regime.validFrom, accountCode };
}

/** The refund of an expense sum at a whole percent, rounded half up (half away from zero for a credit). */
export function refundOre(expenseOre: number, ratePercent: number): number {
  // Both are bugs, not input: expenses are sums of whole øre (addExact), and a rule set's rate passed percent_range before it was stored.
  if (!Number.isSafeInteger(expenseOre)) throw new Error(`the expense must be a whole number of øre, got ${expenseOre}`);
  if (!Number.isSafeInteger(ratePercent) || ratePercent < 0 || ratePercent > 100) throw new Error(`the refund rate must be a whole percent from 0 to 100, got ${ratePercent}`);
  return toSafe(divideRoundingHalfUp(BigInt(expenseOre) * BigInt(ratePercent), 100n), 'the refund');
}

// ---- rule stretches and the expenses summed by them ----

/**
 * The first days of the period's rule stretches, in order: the period's first day, and each rule-set
 * version's first day, each refund regime's first day and each 1 January after it and within the period.
 * A regime of any version splits the period, so a stretch never spans a change of what applies.
 */
export function ruleStretches(ruleSets: RuleSetVersion[], from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const inside = (date: CalendarDate): boolean => compareDates(from, date) < 0 && compareDates(date, to) <= 0;
  const starts = new Set<CalendarDate>([from]);
  for (const version of ruleSets) {
    if (inside(version.effectiveFrom)) starts.add(version.effectiveFrom);
    for (const regime of version.values.refundRegimes) if (inside(regime.validFrom)) starts.add(regime.validFrom);
    // A grouping that starts or ends in the period splits it too: each expense is booked on the grouping of its date.
    for (const date of groupingChangeDates(version.values)) if (inside(date)) starts.add(date);
  }
  for (let year = yearOf(from) + 1; year <= yearOf(to); year += 1) starts.add(`${year}-01-01`);
  return [...starts].sort(compareDates);
}

/** The first day of the stretch that holds `date` (the latest start on or before it); `starts` in order, the first on or before `date`. */
export function stretchOf(starts: CalendarDate[], date: CalendarDate): CalendarDate {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (compareDates(starts[middle], date) <= 0) low = middle;
    else high = middle - 1;
  }
  return starts[low];
}

/**
 * The expenses summed by rule stretch, target group and mentor type: what the claims service asks of SQL
 * over the delivery ledger, here over single expenses, in one pass. Throws on an expense that cannot be
 * claimed in the period (a date outside it, a fraction of an øre, a delivery twice): the caller selected the
 * expenses of the period from the ledger, so any of these is a bug, not input.
 */
export function aggregateExpenses(expenses: RefundExpense[], ruleSets: RuleSetVersion[], from: CalendarDate, to: CalendarDate): ExpenseAggregate[] {
  const starts = ruleStretches(ruleSets, from, to);
  const seen = new Set<string>();
  const groups = new Map<string, ExpenseAggregate>();
  for (const expense of expenses) {
    if (!isCalendarDate(expense.date) || !isDateWithin(expense.date, from, to)) throw new Error(`delivery ${expense.deliveryId} is dated ${expense.date}, outside the claim's period ${from} to ${to}`);
    if (!Number.isSafeInteger(expense.amountExclVatOre)) throw new Error(`delivery ${expense.deliveryId} must be a whole number of øre, got ${expense.amountExclVatOre}`);
    if (seen.has(expense.deliveryId)) throw new Error(`delivery ${expense.deliveryId} appears more than once; an expense is claimed once`);
    seen.add(expense.deliveryId);
    const stretchFrom = stretchOf(starts, expense.date);
    const key = `${stretchFrom}|${expense.targetGroupAtStart}|${expense.mentorType}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { stretchFrom, targetGroupAtStart: expense.targetGroupAtStart, mentorType: expense.mentorType, expenses: 1, expenseOre: expense.amountExclVatOre });
    } else {
      group.expenses += 1;
      group.expenseOre = addExact(group.expenseOre, expense.amountExclVatOre, `the expenses from ${stretchFrom}`);
    }
  }
  return [...groups.values()];
}

// Whole øre stay exact in a double up to 2^53; beyond that the sum is refused, never rounded.
function addExact(a: number, b: number, what: string): number {
  const total = a + b;
  if (!Number.isSafeInteger(total)) throw new RuleError(CommonErrorCode.BeyondSafeRange, `${what} ${BigInt(a) + BigInt(b)} is beyond the safe integer range`, { values: { value: String(BigInt(a) + BigInt(b)) } });
  return total;
}

// ---- input checks ----

function periodProblems(input: RefundClaimInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [field, value] of [['from', input.from], ['to', input.to]] as const) {
    if (!isCalendarDate(value)) problems.push({ field, rule: CommonErrorCode.CalendarDate, message: `${field} must be a date YYYY-MM-DD, got '${value}'` });
  }
  if (problems.length === 0 && compareDates(input.to, input.from) < 0) {
    problems.push({ field: 'to', rule: CommonErrorCode.PeriodOrder, message: `the period ends on ${input.to}, before it starts on ${input.from}`, values: { from: input.from, to: input.to } });
  }
  return problems;
}

// An aggregate must sum whole øre of one stretch of this period, and be the only one of its stretch, target group and mentor type.
function aggregateProblems(input: RefundClaimInput, periodOk: boolean): ErrorDetail[] {
  const starts = new Set(periodOk ? ruleStretches(input.ruleSets, input.from, input.to) : []);
  const seen = new Set<string>();
  return input.aggregates.flatMap((aggregate, i) => {
    const at = `aggregates[${i}]`;
    const problems: ErrorDetail[] = [];
    if (!Number.isSafeInteger(aggregate.expenseOre)) {
      problems.push({ field: `${at}.expenseOre`, rule: RefundsErrorCode.WholeOre, message: `${at}.expenseOre must be a whole number of øre, got ${aggregate.expenseOre}` });
    }
    if (!Number.isSafeInteger(aggregate.expenses) || aggregate.expenses < 1) {
      problems.push({ field: `${at}.expenses`, rule: CommonErrorCode.PositiveInteger, message: `${at}.expenses must be a whole number above 0, got ${aggregate.expenses}` });
    }
    if (!isCalendarDate(aggregate.stretchFrom)) {
      problems.push({ field: `${at}.stretchFrom`, rule: CommonErrorCode.CalendarDate, message: `${at}.stretchFrom must be a date YYYY-MM-DD, got '${aggregate.stretchFrom}'` });
    } else if (periodOk && !starts.has(aggregate.stretchFrom)) {
      problems.push({
        field: `${at}.stretchFrom`,
        rule: RefundsErrorCode.StretchStart,
        message: `${at} starts on ${aggregate.stretchFrom}, which is not the first day of a rule stretch of the period ${input.from} to ${input.to}`,
        values: { stretchFrom: aggregate.stretchFrom, from: input.from, to: input.to },
      });
    }
    const key = `${aggregate.stretchFrom}|${aggregate.targetGroupAtStart}|${aggregate.mentorType}`;
    if (seen.has(key)) {
      problems.push({ field: at, rule: CommonErrorCode.Unique, message: `${at} repeats the expenses from ${aggregate.stretchFrom} of ${aggregate.targetGroupAtStart}, ${aggregate.mentorType}; they are summed once`, values: { stretchFrom: aggregate.stretchFrom } });
    }
    seen.add(key);
    return problems;
  });
}

function amountProblems(input: RefundClaimInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [year, frame] of input.frames) {
    if (frame !== null && (!Number.isSafeInteger(frame) || frame < 0)) {
      problems.push({ field: `frames.${year}`, rule: CommonErrorCode.NonNegativeInteger, message: `the frame of ${year} must be a whole number of øre of 0 or more, got ${frame}` });
    }
  }
  for (const [year, claimed] of input.claimedBefore) {
    if (!Number.isSafeInteger(claimed) || claimed < 0) {
      problems.push({ field: `claimedBefore.${year}`, rule: CommonErrorCode.NonNegativeInteger, message: `the refund claimed earlier of ${year}'s frame must be a whole number of øre of 0 or more, got ${claimed}` });
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
        rule: RefundsErrorCode.LineNotNegative,
        message: `credits outweigh the expenses of ${line.year}, ${line.category}, ${line.ratePercent} %, account ${line.accountCode ?? 'none'}: ${line.expenseOre} øre`,
        values: { year: line.year, category: line.category, expenseOre: line.expenseOre },
      });
    }
  }
  const yearsInside = [...new Set(lines.filter((line) => line.category === 'inside_frame' && line.refundOre > 0).map((line) => line.year))];
  for (const year of yearsInside) {
    const frame = input.frames.get(year);
    if (frame === null || frame === undefined) {
      problems.push({ field: `frames.${year}`, rule: RefundsErrorCode.FrameMissing, message: `the refund frame of ${year} must be entered before refund inside the frame can be claimed`, values: { year } });
    }
  }
  return problems;
}

// ---- the claim ----

function compareLines(a: RefundLine, b: RefundLine): number {
  return (
    a.year - b.year ||
    REFUND_CATEGORIES.indexOf(a.category) - REFUND_CATEGORIES.indexOf(b.category) ||
    a.ratePercent - b.ratePercent ||
    (a.accountCode === b.accountCode ? 0 : a.accountCode === null ? 1 : b.accountCode === null ? -1 : compareText(a.accountCode, b.accountCode))
  );
}

// One pass over the aggregates: each is judged by the rules on its stretch's first day and added to its line.
function toLines(input: RefundClaimInput): RefundLine[] {
  const lines = new Map<string, RefundLine>();
  for (const aggregate of input.aggregates) {
    const year = yearOf(aggregate.stretchFrom);
    const { category, ratePercent, accountCode } = refundTermsOn(input.ruleSets, aggregate.stretchFrom, aggregate.targetGroupAtStart, aggregate.mentorType);
    const key = JSON.stringify([year, category, ratePercent, accountCode]);
    const line = lines.get(key);
    if (line === undefined) {
      lines.set(key, { year, category, ratePercent, accountCode, expenses: aggregate.expenses, expenseOre: aggregate.expenseOre, refundOre: 0, cappedOffOre: 0, claimedOre: 0 });
    } else {
      line.expenses += aggregate.expenses;
      line.expenseOre = addExact(line.expenseOre, aggregate.expenseOre, `the expenses of ${year} ${category}`);
    }
  }
  return [...lines.values()]
    .map((line) => {
      const refund = refundOre(line.expenseOre, line.ratePercent);
      return { ...line, refundOre: refund, claimedOre: refund };
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
  // Bugs, not input: applyFrame shares what is left of a frame (at least 0) among refunds of inside-frame lines (at least 0).
  if (!Number.isSafeInteger(available) || available < 0) throw new Error(`the amount to share must be a whole number of øre of 0 or more, got ${available}`);
  if (wanted.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new Error(`the amounts to share among must be whole numbers of øre of 0 or more, got ${wanted.join(', ')}`);
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

function judge(input: RefundClaimInput): { lines: RefundLine[]; problems: ErrorDetail[] } {
  const periodErrors = periodProblems(input);
  const problems = [...periodErrors, ...aggregateProblems(input, periodErrors.length === 0), ...amountProblems(input)];
  if (problems.length > 0) return { lines: [], problems };
  const lines = toLines(input);
  return { lines, problems: lineProblems(lines, input) };
}

/** Everything that stops computing this claim; empty when it can be computed. Throws, like ruleSetInForce, when no rule set is in force on an aggregate's stretch. */
export function refundClaimProblems(input: RefundClaimInput): ErrorDetail[] {
  return judge(input).problems;
}

/**
 * Computes the claim; throws an Error naming every problem refundClaimProblems finds. The caller asks
 * refundClaimProblems first and fails the claim with them, so a throw here is a bug.
 */
export function computeRefundClaim(input: RefundClaimInput): RefundClaim {
  const { lines, problems } = judge(input);
  if (problems.length > 0) {
    throw new Error(`The refund claim for ${input.from} to ${input.to} cannot be computed: ${problems.map((p) => p.message).join('; ')}`);
  }
  const years = [...new Set(lines.filter((line) => line.category === 'inside_frame').map((line) => line.year))];
  const frames = years.map((year) => applyFrame(year, lines, input));
  return {
    from: input.from,
    to: input.to,
    lines,
    frames,
    totals: {
      expenseOre: sum(lines.map((line) => line.expenseOre), 'the claim’s expenses'),
      refundOre: sum(lines.map((line) => line.refundOre), 'the claim’s refund'),
      cappedOffOre: sum(lines.map((line) => line.cappedOffOre), 'the claim’s capped-off refund'),
      claimedOre: sum(lines.map((line) => line.claimedOre), 'the claim'),
    },
  };
}

/**
 * What moved since the claim was computed in the frames it was capped by: a frame entered anew, or claims
 * submitted meanwhile that took of it. Empty when the claim can be submitted as it was computed.
 */
export function frameChanges(used: FrameUse[], frames: ReadonlyMap<number, number | null>, claimedBefore: ReadonlyMap<number, number>): ErrorDetail[] {
  return used.flatMap((frame): ErrorDetail[] => {
    const frameOre = frames.get(frame.year) ?? null;
    const claimedBeforeOre = claimedBefore.get(frame.year) ?? 0;
    if (frameOre !== frame.frameOre) {
      return [{ field: `frames.${frame.year}`, rule: RefundsErrorCode.ClaimStale, message: `the frame of ${frame.year} is ${frameOre ?? 'none'} øre now, ${frame.frameOre ?? 'none'} when the claim was computed`, values: { year: frame.year } }];
    }
    if (claimedBeforeOre !== frame.claimedBeforeOre) {
      return [{ field: `frames.${frame.year}`, rule: RefundsErrorCode.ClaimStale, message: `claims submitted since took ${claimedBeforeOre} øre of the frame of ${frame.year}, not ${frame.claimedBeforeOre}`, values: { year: frame.year } }];
    }
    return [];
  });
}

// ---- lifecycle: queued → computing → draft or failed; draft → submitted, or back to queued when stale ----

export const REFUND_CLAIM_STATUSES = ['queued', 'computing', 'draft', 'submitted', 'failed'] as const;
export type RefundClaimStatus = (typeof REFUND_CLAIM_STATUSES)[number];

/**
 * The refund claim's transitions and who may make them. Finance asks for a claim (not a transition: it is
 * created queued); a worker (system) takes it (a retry of the same computation takes it again), stores the
 * draft or fails it. Finance submits a draft, or, when the frames moved since it was computed, the submit
 * sends it back to be computed again. Submitted and failed are final.
 */
export const REFUND_CLAIM_TRANSITIONS: readonly Transition<RefundClaimStatus>[] = [
  { from: 'queued', to: 'computing', roles: ['system'] },
  { from: 'computing', to: 'computing', roles: ['system'] },
  { from: 'computing', to: 'draft', roles: ['system'] },
  { from: 'queued', to: 'failed', roles: ['system'] },
  { from: 'computing', to: 'failed', roles: ['system'] },
  { from: 'draft', to: 'queued', roles: ['finance'] },
  { from: 'draft', to: 'submitted', roles: ['finance'] },
];

/** Why `role` may not move a refund claim from `from` to `to`, or null when it may. */
export function refundClaimTransitionProblem(from: RefundClaimStatus, to: RefundClaimStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('refund_claim', REFUND_CLAIM_TRANSITIONS, from, to, role);
}
