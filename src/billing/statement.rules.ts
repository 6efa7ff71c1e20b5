import { ErrorDetail } from '../common/errors/domain.exception';
import {
  addDays,
  CalendarDate,
  CalendarMonth,
  compareDates,
  firstDayOfMonth,
  isCalendarDate,
  isDateWithin,
  isoWeekOf,
  isValidMonth,
  lastDayOfMonth,
} from '../common/time/calendar-date';
import { sumExact, vatOre } from '../invoices/invoice-amounts';
import { accountCodeFor, MentorType, RuleSetValues, TargetGroup } from '../rules/rule-set';
import { compareText } from '../common/compare';
import { transitionProblem, type Transition, type TransitionRole } from '../common/lifecycle/transition.rules';
import { BillingErrorCode } from './billing.errors';
import { RuleError } from '../common/errors/rule-error';
import { CommonErrorCode } from '../common/errors/common.errors';
import { InvoicesErrorCode } from '../invoices/invoices.errors';

/**
 * A supplier's monthly statement (afregningsoversigt): what the supplier is paid for a month, line by
 * line, grouped by grant. Pure: the caller loads the month's approved deliveries (and any credit lines
 * correcting earlier, final months), the rule set in force on the issue date, and passes the issue date.
 *
 * VAT is computed once per VAT rate, on the sum of that rate's net amounts, rounded half up: the
 * statement then shows one VAT amount per rate that anyone can recompute from its net, and per-line
 * rounding cannot drift the total. It may therefore differ by a few øre from the sum of the VAT on
 * the supplier's own invoices, which each rounded separately.
 */

/** Payment is due at most 30 days after a statement, whatever the rule set says. */
export const MAX_PAYMENT_DUE_DAYS = 30;

const MAX_VAT_BASIS_POINTS = 10_000;

export type StatementLineKind = 'delivery' | 'credit';

export interface StatementSupplier {
  id: string;
  name: string;
  cvr: string;
  /** A supplier not registered for VAT is paid no VAT, whatever its agreement's rate. */
  vatRegistered: boolean;
}

export interface ApprovedDelivery {
  deliveryId: string;
  grantReference: string;
  /** The session's date; a credit line keeps the date of the session it corrects. */
  date: CalendarDate;
  /** Face-to-face minutes; a credit line takes minutes back and carries 0 or fewer. */
  minutes: number;
  /** Approved amount in øre excl. VAT; a credit line's is 0 or less. */
  approvedOre: number;
  /** The agreement's VAT rate in basis points (2500 = 25 %). */
  vatBasisPoints: number;
  mentorType: MentorType;
  /** The grant's target group at its start: picks the account code and never appears on the statement. */
  targetGroupAtStart: TargetGroup;
  /** The supplier's invoice number; null for a self-billed hour registration. */
  invoiceNumber: string | null;
  kind: StatementLineKind;
}

export interface StatementInput {
  supplier: StatementSupplier;
  month: CalendarMonth;
  issuedOn: CalendarDate;
  /** The rule set in force on the issue date. */
  ruleSet: RuleSetValues;
  deliveries: ApprovedDelivery[];
  /** A partner company billed by the municipality from its registered hours (selvfaktura). */
  selfBilled?: boolean;
  /**
   * Earlier months already closed (made final): a session of one of them approved after its close was on
   * no statement, so it goes on this one, the next open statement. Any other session outside the month is refused.
   */
  closedMonths?: readonly CalendarMonth[];
}

export interface StatementLine {
  deliveryId: string;
  kind: StatementLineKind;
  date: CalendarDate;
  minutes: number;
  netOre: number;
  /** The rate VAT is computed at: the agreement's, or 0 for a supplier not registered for VAT. */
  vatBasisPoints: number;
  invoiceNumber: string | null;
  accountCode: string | null;
}

export interface StatementGroup {
  grantReference: string;
  mentorType: MentorType;
  /** One grant has one mentor type and one target group at start, so one account code. */
  accountCode: string | null;
  lines: StatementLine[];
  minutes: number;
  netOre: number;
}

/** Minutes in one ISO week (e.g. '2026-W10'). */
export interface WeekMinutes {
  week: string;
  minutes: number;
}

/** The hours annex: one row per citizen's course, known only by the grant's pseudonymous reference. */
export interface HoursAnnexRow {
  grantReference: string;
  mentorType: MentorType;
  /** Delivery lines, i.e. sessions paid. */
  sessions: number;
  /** Credit lines. */
  credits: number;
  /** Net minutes: sessions less minutes taken back by credits. */
  minutes: number;
  /** Net minutes per ISO week of the lines dated in the month, in week order. */
  weeks: WeekMinutes[];
  /** Net minutes of credit lines for sessions of earlier months; null when there are none. */
  earlierMinutes: number | null;
  netOre: number;
}

export interface VatByRate {
  vatBasisPoints: number;
  netOre: number;
  vatOre: number;
}

export interface AccountTotal {
  /** null: no rule of the rule set matches; the amount still needs a booking. */
  accountCode: string | null;
  netOre: number;
}

export interface StatementTotals {
  minutes: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
}

export interface Statement {
  supplier: StatementSupplier;
  month: CalendarMonth;
  from: CalendarDate;
  to: CalendarDate;
  issuedOn: CalendarDate;
  /** The days actually allowed for payment: the rule set's, at most MAX_PAYMENT_DUE_DAYS. */
  paymentDueDays: number;
  dueOn: CalendarDate;
  selfBilled: boolean;
  /** By grant reference, each group's lines by date (a session before a credit on the same day). */
  groups: StatementGroup[];
  hoursAnnex: HoursAnnexRow[];
  /** By VAT rate, lowest first. */
  vat: VatByRate[];
  /** By account code, codes in order and an unmatched amount (null) last. */
  accounts: AccountTotal[];
  totals: StatementTotals;
}

// Sums in whole øre, exact.
const sum = sumExact;

// ---- payment terms ----

/** The rule set's payment days, capped at MAX_PAYMENT_DUE_DAYS; throws when the rule set's number is not a whole number above 0. */
export function paymentDueDays(ruleSet: RuleSetValues): number {
  const days = ruleSet.paymentDueDays;
  // A bug, not input: a rule set's paymentDueDays passed positive_integer before it was stored.
  if (!Number.isSafeInteger(days) || days <= 0) throw new Error(`paymentDueDays must be a whole number above 0, got ${days}`);
  return Math.min(days, MAX_PAYMENT_DUE_DAYS);
}

/** The last day for payment: the issue date plus the allowed days (2026-02-02 + 30 = 2026-03-04). */
export function statementDueDate(issuedOn: CalendarDate, ruleSet: RuleSetValues): CalendarDate {
  return addDays(issuedOn, paymentDueDays(ruleSet));
}

// ---- input checks ----

function lineProblems(input: StatementInput, range: MonthRange | null, delivery: ApprovedDelivery, i: number): ErrorDetail[] {
  const at = `deliveries[${i}]`;
  const { kind, minutes, approvedOre, vatBasisPoints } = delivery;
  const problems: ErrorDetail[] = [];
  const sign = kind === 'credit' ? -1 : 1;
  if (kind !== 'delivery' && kind !== 'credit') {
    problems.push({ field: `${at}.kind`, rule: BillingErrorCode.LineKind, message: `${at}.kind must be delivery or credit, got '${String(kind)}'` });
    return problems;
  }
  if (!Number.isSafeInteger(minutes) || minutes * sign < 0) {
    const expected = kind === 'credit' ? '0 or fewer (minutes taken back)' : '0 or more';
    problems.push({ field: `${at}.minutes`, rule: BillingErrorCode.LineMinutes, message: `${at}.minutes of a ${kind} line must be a whole number of ${expected}, got ${minutes}`, values: { minutes } });
  }
  if (!Number.isSafeInteger(approvedOre) || approvedOre * sign < 0) {
    const expected = kind === 'credit' ? '0 or less' : '0 or more';
    problems.push({ field: `${at}.approvedOre`, rule: InvoicesErrorCode.LineAmount, message: `${at}.approvedOre of a ${kind} line must be a whole number of øre of ${expected}, got ${approvedOre}`, values: { approvedOre } });
  } else if (kind === 'credit' && approvedOre === 0 && minutes === 0) {
    problems.push({ field: at, rule: BillingErrorCode.CreditEmpty, message: `${at} is a credit line that takes back neither minutes nor øre` });
  }
  if (!Number.isSafeInteger(vatBasisPoints) || vatBasisPoints < 0 || vatBasisPoints > MAX_VAT_BASIS_POINTS) {
    problems.push({ field: `${at}.vatBasisPoints`, rule: BillingErrorCode.VatRate, message: `${at}.vatBasisPoints must be a whole number from 0 to 10000, got ${vatBasisPoints}`, values: { vatBasisPoints } });
  }
  if (!input.selfBilled && kind === 'delivery' && (delivery.invoiceNumber === null || delivery.invoiceNumber.trim() === '')) {
    problems.push({ field: `${at}.invoiceNumber`, rule: BillingErrorCode.InvoiceNumberRequired, message: `${at} has no invoice number, which only a self-billed statement may leave out` });
  }
  problems.push(...dateProblems(input, range, delivery, at));
  return problems;
}

interface MonthRange {
  from: CalendarDate;
  to: CalendarDate;
}

// A session is billed in its own month; a credit corrects a session of that month or of an earlier, final one.
function dateProblems(input: StatementInput, range: MonthRange | null, delivery: ApprovedDelivery, at: string): ErrorDetail[] {
  if (!isCalendarDate(delivery.date)) {
    return [{ field: `${at}.date`, rule: CommonErrorCode.CalendarDate, message: `${at}.date must be a date YYYY-MM-DD, got '${delivery.date}'` }];
  }
  if (range === null) return [];
  const { from, to } = range;
  const lateFromClosedMonth = compareDates(delivery.date, from) < 0 && (input.closedMonths ?? []).includes(delivery.date.slice(0, 7));
  if (delivery.kind === 'delivery' && !isDateWithin(delivery.date, from, to) && !lateFromClosedMonth) {
    return [{ field: `${at}.date`, rule: BillingErrorCode.DeliveryInMonth, message: `${at} is a session on ${delivery.date}, outside the month ${input.month}`, values: { date: delivery.date, month: input.month } }];
  }
  if (delivery.kind === 'credit' && compareDates(delivery.date, to) > 0) {
    return [{ field: `${at}.date`, rule: BillingErrorCode.CreditDate, message: `${at} credits a session on ${delivery.date}, after the month ${input.month}`, values: { date: delivery.date, month: input.month } }];
  }
  return [];
}

function uniqueDeliveries(deliveries: ApprovedDelivery[]): ErrorDetail[] {
  const seen = new Set<string>();
  const problems: ErrorDetail[] = [];
  deliveries.forEach((delivery, i) => {
    if (seen.has(delivery.deliveryId)) {
      problems.push({ field: `deliveries[${i}].deliveryId`, rule: CommonErrorCode.Unique, message: `delivery ${delivery.deliveryId} appears more than once; a delivery is paid at most once`, values: { deliveryId: delivery.deliveryId } });
    }
    seen.add(delivery.deliveryId);
  });
  return problems;
}

// A grant has one mentor type and one target group at start; lines that disagree come from inconsistent data.
function consistentGrants(deliveries: ApprovedDelivery[]): ErrorDetail[] {
  const first = new Map<string, ApprovedDelivery>();
  const problems: ErrorDetail[] = [];
  deliveries.forEach((delivery, i) => {
    const seen = first.get(delivery.grantReference);
    if (seen === undefined) {
      first.set(delivery.grantReference, delivery);
    } else if (seen.mentorType !== delivery.mentorType || seen.targetGroupAtStart !== delivery.targetGroupAtStart) {
      problems.push({
        field: `deliveries[${i}]`,
        rule: BillingErrorCode.GrantConsistent,
        message: `grant ${delivery.grantReference} has lines with different mentor types or target groups`,
        values: { grantReference: delivery.grantReference },
      });
    }
  });
  return problems;
}

/** Everything that stops building a statement from this input; empty when it can be built. */
export function statementInputProblems(input: StatementInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isValidMonth(input.month)) {
    problems.push({ field: 'month', rule: CommonErrorCode.CalendarMonth, message: `month must be YYYY-MM, got '${input.month}'` });
  }
  if (!isCalendarDate(input.issuedOn)) {
    problems.push({ field: 'issuedOn', rule: CommonErrorCode.CalendarDate, message: `issuedOn must be a date YYYY-MM-DD, got '${input.issuedOn}'` });
  } else if (isValidMonth(input.month) && compareDates(input.issuedOn, firstDayOfMonth(input.month)) < 0) {
    problems.push({ field: 'issuedOn', rule: BillingErrorCode.IssuedBeforeMonth, message: `a statement for ${input.month} cannot be issued on ${input.issuedOn}, before the month starts`, values: { issuedOn: input.issuedOn, month: input.month } });
  }
  const days = input.ruleSet.paymentDueDays;
  if (!Number.isSafeInteger(days) || days <= 0) {
    problems.push({ field: 'ruleSet.paymentDueDays', rule: CommonErrorCode.PositiveInteger, message: `paymentDueDays must be a whole number above 0, got ${days}` });
  }
  const range: MonthRange | null = isValidMonth(input.month) ? { from: firstDayOfMonth(input.month), to: lastDayOfMonth(input.month) } : null;
  problems.push(...input.deliveries.flatMap((delivery, i) => lineProblems(input, range, delivery, i)));
  problems.push(...uniqueDeliveries(input.deliveries), ...consistentGrants(input.deliveries));
  return problems;
}

// ---- the statement ----

function compareDeliveries(a: ApprovedDelivery, b: ApprovedDelivery): number {
  return (
    compareText(a.grantReference, b.grantReference) ||
    compareDates(a.date, b.date) ||
    (a.kind === b.kind ? 0 : a.kind === 'delivery' ? -1 : 1) ||
    compareText(a.deliveryId, b.deliveryId)
  );
}

function toLine(delivery: ApprovedDelivery, input: StatementInput, accountCode: AccountCodeOf): StatementLine {
  return {
    deliveryId: delivery.deliveryId,
    kind: delivery.kind,
    date: delivery.date,
    minutes: delivery.minutes,
    netOre: delivery.approvedOre,
    vatBasisPoints: input.supplier.vatRegistered ? delivery.vatBasisPoints : 0,
    invoiceNumber: delivery.invoiceNumber,
    accountCode: accountCode(delivery.targetGroupAtStart, delivery.mentorType, delivery.date),
  };
}

type AccountCodeOf = (targetGroup: TargetGroup, mentorType: MentorType, date: CalendarDate) => string | null;

/** The rule set's account code per target group, mentor type and date (a grouping is dated), looked up once per triple. */
function accountCodes(ruleSet: RuleSetValues): AccountCodeOf {
  const codes = new Map<string, string | null>();
  return (targetGroup, mentorType, date) => {
    const key = `${targetGroup}|${mentorType}|${date}`;
    let code = codes.get(key);
    if (code === undefined) {
      code = accountCodeFor(ruleSet, targetGroup, mentorType, date);
      codes.set(key, code);
    }
    return code;
  };
}

function groupByGrant(sorted: ApprovedDelivery[], input: StatementInput): StatementGroup[] {
  const accountCode = accountCodes(input.ruleSet);
  const groups: StatementGroup[] = [];
  for (const delivery of sorted) {
    let group = groups[groups.length - 1];
    if (group === undefined || group.grantReference !== delivery.grantReference) {
      group = { grantReference: delivery.grantReference, mentorType: delivery.mentorType, accountCode: null, lines: [], minutes: 0, netOre: 0 };
      groups.push(group);
    }
    group.lines.push(toLine(delivery, input, accountCode));
  }
  for (const group of groups) {
    group.accountCode = group.lines[0].accountCode;
    group.minutes = sum(group.lines.map((line) => line.minutes), `the minutes of grant ${group.grantReference}`);
    group.netOre = sum(group.lines.map((line) => line.netOre), `the amount of grant ${group.grantReference}`);
  }
  return groups;
}

function annexRow(group: StatementGroup, from: CalendarDate): HoursAnnexRow {
  const weeks = new Map<string, number>();
  const earlier = group.lines.filter((line) => compareDates(line.date, from) < 0);
  for (const line of group.lines) {
    if (compareDates(line.date, from) < 0) continue;
    const week = isoWeekOf(line.date).key;
    weeks.set(week, (weeks.get(week) ?? 0) + line.minutes);
  }
  return {
    grantReference: group.grantReference,
    mentorType: group.mentorType,
    sessions: group.lines.filter((line) => line.kind === 'delivery').length,
    credits: group.lines.filter((line) => line.kind === 'credit').length,
    minutes: group.minutes,
    weeks: [...weeks.entries()].sort(([a], [b]) => compareText(a, b)).map(([week, minutes]) => ({ week, minutes })),
    earlierMinutes: earlier.length === 0 ? null : sum(earlier.map((line) => line.minutes), `the earlier minutes of grant ${group.grantReference}`),
    netOre: group.netOre,
  };
}

/** Adds a value to the list under a key (in place: a statement has thousands of lines). */
function appendTo<K>(lists: Map<K, number[]>, key: K, value: number): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [value]);
  else list.push(value);
}

function vatByRate(lines: StatementLine[]): VatByRate[] {
  const nets = new Map<number, number[]>();
  for (const line of lines) appendTo(nets, line.vatBasisPoints, line.netOre);
  return [...nets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([vatBasisPoints, amounts]) => {
      const netOre = sum(amounts, `the net at ${vatBasisPoints} basis points`);
      return { vatBasisPoints, netOre, vatOre: vatOre(netOre, vatBasisPoints) };
    });
}

function accountTotals(lines: StatementLine[]): AccountTotal[] {
  const nets = new Map<string | null, number[]>();
  for (const line of lines) appendTo(nets, line.accountCode, line.netOre);
  return [...nets.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : compareText(a, b)))
    .map(([accountCode, amounts]) => ({ accountCode, netOre: sum(amounts, `the amount on account ${accountCode ?? 'none'}`) }));
}

/** Net øre and minutes of a statement's lines at one VAT rate (the agreement's), summed. */
export interface RateTotals {
  vatBasisPoints: number;
  minutes: number;
  netOre: number;
}

/**
 * A statement's totals from its lines summed per VAT rate, as buildStatement totals the lines themselves:
 * a supplier not registered for VAT pays none, VAT once per rate on that rate's net. Lets a draft be
 * stored without its lines.
 */
export function statementTotals(rates: RateTotals[], vatRegistered: boolean): StatementTotals {
  const nets = new Map<number, number[]>();
  for (const rate of rates) appendTo(nets, vatRegistered ? rate.vatBasisPoints : 0, rate.netOre);
  const vat = [...nets.entries()].map(([basisPoints, amounts]) => vatOre(sum(amounts, `the net at ${basisPoints} basis points`), basisPoints));
  const netOre = sum(rates.map((rate) => rate.netOre), 'the statement net');
  const vatTotal = sum(vat, 'the statement VAT');
  return { minutes: sum(rates.map((rate) => rate.minutes), 'the statement minutes'), netOre, vatOre: vatTotal, totalOre: sum([netOre, vatTotal], 'the statement total') };
}

/**
 * Builds the statement; throws an Error naming every problem statementInputProblems finds. The input is the
 * ledger's approved deliveries, which the portal wrote under these rules, so a throw here is a bug.
 */
export function buildStatement(input: StatementInput): Statement {
  const problems = statementInputProblems(input);
  if (problems.length > 0) {
    throw new Error(`The statement of supplier ${input.supplier.id} for ${input.month} cannot be built: ${problems.map((p) => p.message).join('; ')}`);
  }
  const groups = groupByGrant([...input.deliveries].sort(compareDeliveries), input);
  const from = firstDayOfMonth(input.month);
  const lines = groups.flatMap((group) => group.lines);
  const vat = vatByRate(lines);
  const netOre = sum(lines.map((line) => line.netOre), 'the statement net');
  const vatTotal = sum(vat.map((rate) => rate.vatOre), 'the statement VAT');
  return {
    supplier: input.supplier,
    month: input.month,
    from,
    to: lastDayOfMonth(input.month),
    issuedOn: input.issuedOn,
    paymentDueDays: paymentDueDays(input.ruleSet),
    dueOn: statementDueDate(input.issuedOn, input.ruleSet),
    selfBilled: input.selfBilled ?? false,
    groups,
    hoursAnnex: groups.map((group) => annexRow(group, from)),
    vat,
    accounts: accountTotals(lines),
    totals: {
      minutes: sum(lines.map((line) => line.minutes), 'the statement minutes'),
      netOre,
      vatOre: vatTotal,
      totalOre: sum([netOre, vatTotal], 'the statement total'),
    },
  };
}

// ---- lifecycle: draft → final → paid; a final statement's lines never change ----

export const STATEMENT_STATUSES = ['draft', 'final', 'paid'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/**
 * The statement's transitions and who may make them: finance queues a run, a worker (system) carries it
 * out. A run rebuilds a draft (draft → draft) and makes it final once (draft → final). A payment import by
 * finance, or by the finance system's service account, marks a final statement paid once (final → paid);
 * nothing leaves paid.
 */
export const STATEMENT_TRANSITIONS: readonly Transition<StatementStatus>[] = [
  { from: 'draft', to: 'draft', roles: ['finance', 'system'] },
  { from: 'draft', to: 'final', roles: ['finance', 'system'] },
  { from: 'final', to: 'paid', roles: ['finance', 'service'] },
];

/** Why `role` may not move a statement from `from` to `to`, or null when it may. */
export function statementTransitionProblem(from: StatementStatus, to: StatementStatus, role: TransitionRole): ErrorDetail | null {
  return transitionProblem('statement', STATEMENT_TRANSITIONS, from, to, role);
}

export type BillingRunAction = 'create' | 'replace' | 'keep';

/**
 * What a billing run does for one supplier-month given the statement already stored (null: none): a
 * draft is rebuilt, a final one kept. The store applies `replace` as `UPDATE … WHERE status = 'draft'`,
 * so a statement finalised meanwhile is kept.
 */
export function billingRunAction(existing: StatementStatus | null): BillingRunAction {
  if (existing === null) return 'create';
  return statementTransitionProblem(existing, 'draft', 'system') === null ? 'replace' : 'keep';
}

// ---- corrections ----

export type CorrectionPlacement = { action: 'rerun'; month: CalendarMonth } | { action: 'credit'; month: CalendarMonth };

/**
 * Where a correction of a session in `deliveryMonth` goes: while that month's statement is missing or a
 * draft, the month is billed again with the corrected amount; once final, a credit line goes on the
 * statement of `openMonth`, which must come after it.
 */
export function correctionPlacement(deliveryMonth: CalendarMonth, statementStatus: StatementStatus | null, openMonth: CalendarMonth): CorrectionPlacement {
  if (statementStatus === null || billingRunAction(statementStatus) === 'replace') return { action: 'rerun', month: deliveryMonth };
  if (compareDates(firstDayOfMonth(openMonth), firstDayOfMonth(deliveryMonth)) <= 0) {
    throw new RuleError(BillingErrorCode.CorrectionMonth, `a correction of the final statement for ${deliveryMonth} goes in a later month, not ${openMonth}`, {
      values: { deliveryMonth, openMonth },
      conflict: true,
    });
  }
  return { action: 'credit', month: openMonth };
}
