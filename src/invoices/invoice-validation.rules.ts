import { addDays, CalendarDate, isoWeekOf, mondayOf } from '../common/time/calendar-date';
import { MentorType, minimumContactEveryWeeks, RuleSetValues, TargetGroup } from '../rules/rule-set';
import { Rate, rateInForce } from '../suppliers/rate-card.rules';
import { capInForce, type Cap } from '../suppliers/price-cap.rules';
import type { Finding, FindingCode } from './finding';
import { checkInvoiceArithmetic, lineAmountOre } from './invoice-amounts';
import { minutesInWeek, stepOn, type MinutesStep } from '../grants/grant-amendment.rules';

/** The granted minutes of the ISO week beginning on `monday`: those in force that week (grant amendments). */
export function grantedMinutesInWeek(grant: GrantFacts, monday: CalendarDate): number {
  return grant.minutesSteps?.length ? minutesInWeek(grant.minutesSteps, monday) : grant.minutesPerWeek;
}

/** The grant's service level in force on a date, which the agreed rate and the price cap are looked up by. */
export function serviceLevelOn(grant: GrantFacts, date: CalendarDate): number {
  return grant.minutesSteps?.length ? stepOn(grant.minutesSteps, date).serviceLevel : grant.serviceLevel;
}

/**
 * Validation of a supplier's invoice, line by line (fakturakontrol): the business rules only. The lines are
 * received invoices' lines or stored deliveries, so every date is a date, every minute count 1 to 1440 and every
 * amount whole øre; what is not was refused as a format fault before (received-invoice.ts). Each finding names
 * its rule and carries the numbers behind it (its text comes from the findings catalogue, finding-text.ts), and
 * says what of the line can still be approved.
 * Pure: the caller loads grants, agreements, rates and earlier deliveries and passes `today`.
 * Values carry only what the supplier sent or what belongs to the supplier's own grants: no
 * citizen data (the inputs hold none) and nothing about another supplier's grant.
 */

export interface InvoiceLineInput {
  /** The line's position on the invoice as the supplier numbered it. */
  index: number;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  rateOre: number;
  amountOre: number;
  /**
   * A part of an invoice line that covers a period, matched against the session log (session-log.rules.ts): the
   * line's amount is checked once, on its first part (`whole`); minutes beyond the log (`beyondLog`) are not approvable.
   */
  fromLog?: { invoiceLineNo: number; whole: { minutes: number; amountOre: number } | null; beyondLog: { invoicedMinutes: number; loggedMinutes: number } | null };
  /** A partner company's registration naming its employee: priced at that employee's rate in force on the day (frikøb at the wage cost), not the card's. */
  employee?: { ref: string; rateOre: number };
}

export interface GrantFacts {
  reference: string;
  supplierId: string;
  /** 'draft' | 'proposed' | 'sent_back' | 'active' | 'ended' | 'cancelled'. */
  status: string;
  /** The day an approved grant is active from (a team leader's approval); deliveries before it are not billable. */
  activeFrom?: CalendarDate | null;
  start: CalendarDate;
  end: CalendarDate;
  /** The day an ended grant ended; deliveries after it are not billable. */
  endedOn?: CalendarDate | null;
  minutesPerWeek: number;
  mentorType: MentorType;
  serviceLevel: number;
  targetGroup: TargetGroup;
  agreementId: string;
  /**
   * The level and minutes per week from each day they change (the grant's own from its start, then its approved
   * amendments), in date order; absent when they never changed, and minutesPerWeek and serviceLevel hold throughout.
   */
  minutesSteps?: readonly MinutesStep[];
}

export interface AgreementFacts {
  id: string;
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
  ceilingOre: number | null;
  /** Approved + pending on other invoices, excluding this one. */
  consumedOre: number;
}

export interface Delivery {
  grantReference: string;
  date: CalendarDate;
  minutes: number;
}

export interface InvoiceTotals {
  vatBasisPoints: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
}

export interface InvoiceValidationInput {
  supplierId: string;
  ruleSet: RuleSetValues;
  lines: InvoiceLineInput[];
  grants: Map<string, GrantFacts>;
  agreements: Map<string, AgreementFacts>;
  rates: Map<string, Rate[]>;
  /** The price caps (prisloft) by mentor type and level; a line is approvable at most at the cap in force on its date. */
  priceCaps?: Cap[];
  /** Non-rejected deliveries of other invoices, for week sums, duplicates and contact. */
  earlierDeliveries: Delivery[];
  /** The invoiced period, for the minimum-contact check; no check without it. */
  period?: { from: CalendarDate; to: CalendarDate };
  /** The invoice's net, VAT and total as sent; the totals are checked when given. */
  totals?: InvoiceTotals;
  today: CalendarDate;
}

export interface LineResult {
  index: number;
  findings: Finding[];
  approvableOre: number;
}

export interface InvoiceValidation {
  lines: LineResult[];
  /** Findings about the invoice as a whole (totals, ceiling, minimum contact). */
  findings: Finding[];
}

const BILLABLE_STATUSES = ['active', 'ended'];

// Every date here is a received invoice's, a stored delivery's, a grant's, an agreement's or a rate's: a calendar
// date of a four-digit year, which orders as its text. Compared so, no date is checked again at each comparison.
const within = (date: CalendarDate, from: CalendarDate, to: CalendarDate | null): boolean => from <= date && (to === null || date <= to);
const byDate = (a: CalendarDate, b: CalendarDate): number => (a < b ? -1 : a > b ? 1 : 0);

/** The agreed rate in force for a grant's mentor type and level on a date, looked up once per grant and date. */
function agreedRates(rates: Map<string, Rate[]>): (grant: GrantFacts, date: CalendarDate) => Rate | null {
  const found = new Map<GrantFacts, Map<CalendarDate, Rate | null>>();
  return (grant, date) => {
    let byDate = found.get(grant);
    if (byDate === undefined) found.set(grant, (byDate = new Map()));
    let rate = byDate.get(date);
    if (rate === undefined) {
      rate = rateInForce(rates.get(grant.agreementId) ?? [], grant.mentorType, serviceLevelOn(grant, date), date);
      byDate.set(date, rate);
    }
    return rate;
  };
}

// The state of one line while the rules run.
interface Work {
  line: InvoiceLineInput;
  position: number;
  findings: Finding[];
  grant: GrantFacts | null;
  agreement: AgreementFacts | null;
  /** Rate used for the approvable amount: min(invoiced, agreed). */
  effectiveRateOre: number;
  /** False once a rule makes the whole line unapprovable. */
  eligible: boolean;
  allowedMinutes: number;
  approvableOre: number;
}

function error(code: FindingCode, field: string | undefined, values: Finding['values']): Finding {
  return { code, severity: 'error', ...(field === undefined ? {} : { field }), values };
}

function warning(code: FindingCode, values: Finding['values']): Finding {
  return { code, severity: 'warning', values };
}

const at = (work: Work, name: string): string => `lines[${work.line.index}].${name}`;

function reject(work: Work, finding: Finding): void {
  work.findings.push(finding);
  work.eligible = false;
}

/** Validates every line and the invoice as a whole; approvable amounts are never above what was invoiced. */
export function validateInvoice(input: InvoiceValidationInput): InvoiceValidation {
  const agreedRate = agreedRates(input.rates);
  const works = input.lines.map((line, position) => checkLine(input, line, position, agreedRate));
  markDuplicates(input, works);
  for (const work of works) {
    work.allowedMinutes = work.eligible ? work.line.minutes : 0;
  }
  const weekOf = weekKeys();
  allocateWeeks(input, works, weekOf);
  for (const work of works) {
    work.approvableOre = work.eligible ? Math.min(lineAmountOre(work.allowedMinutes, work.effectiveRateOre), Math.max(0, work.line.amountOre)) : 0;
  }
  const findings = [...checkCeilings(input, works), ...checkTotals(input), ...checkMinimumContact(input, works, weekOf)];
  for (const work of works) {
    for (const finding of work.findings) {
      if (finding.severity === 'error') finding.approvableOre = work.approvableOre;
    }
  }
  return { lines: works.map((work) => ({ index: work.line.index, findings: work.findings, approvableOre: work.approvableOre })), findings };
}

// ---- one line on its own ----

function checkLine(input: InvoiceValidationInput, line: InvoiceLineInput, position: number, agreedRate: ReturnType<typeof agreedRates>): Work {
  const work: Work = {
    line,
    position,
    findings: [],
    grant: null,
    agreement: null,
    effectiveRateOre: 0,
    eligible: true,
    allowedMinutes: 0,
    approvableOre: 0,
  };
  const grant = input.grants.get(line.grantReference);
  // Another supplier's grant is answered exactly as one that does not exist: its existence is not revealed.
  if (grant === undefined || grant.supplierId !== input.supplierId) {
    reject(work, error('grant_unknown', at(work, 'grantReference'), { grantReference: line.grantReference }));
    return work;
  }
  const beyondLog = line.fromLog?.beyondLog;
  if (beyondLog) {
    // Minutes no logged session holds: not a session the week or a duplicate can count.
    reject(work, error('hours_beyond_log', at(work, 'minutes'), { grantReference: line.grantReference, invoiceLineNo: line.fromLog?.invoiceLineNo ?? line.index, invoicedMinutes: beyondLog.invoicedMinutes, loggedMinutes: beyondLog.loggedMinutes, lineMinutes: line.minutes }));
    return work;
  }
  work.grant = grant;
  checkDate(input, work, grant);
  checkRate(work, grant, agreedRate);
  checkPriceCap(input, work, grant);
  checkLineAmount(work);
  return work;
}

function checkDate(input: InvoiceValidationInput, work: Work, grant: GrantFacts): void {
  const { date } = work.line;
  if (date > input.today) reject(work, error('date_in_future', at(work, 'date'), { date, today: input.today }));
  checkGrantStatus(work, grant, date);
  checkActivation(work, grant, date);
  if (!within(date, grant.start, grant.end)) {
    reject(work, error('date_outside_grant', at(work, 'date'), { date, grantStart: grant.start, grantEnd: grant.end }));
  }
  const agreement = input.agreements.get(grant.agreementId);
  if (agreement === undefined) {
    reject(work, error('agreement_unknown', at(work, 'grantReference'), { agreementId: grant.agreementId }));
    return;
  }
  work.agreement = agreement;
  if (!within(date, agreement.validFrom, agreement.validTo)) {
    reject(work, error('date_outside_agreement', at(work, 'date'), { date, agreementValidFrom: agreement.validFrom, agreementValidTo: agreement.validTo }));
  }
}

function checkGrantStatus(work: Work, grant: GrantFacts, date: CalendarDate): void {
  const endedBefore = grant.status === 'ended' && grant.endedOn !== undefined && grant.endedOn !== null && date > grant.endedOn;
  if (BILLABLE_STATUSES.includes(grant.status) && !endedBefore) return;
  reject(work, error('grant_not_active', at(work, 'grantReference'), { status: grant.status, endedOn: grant.endedOn ?? null, date }));
}

// A session before the day the team leader's approval made the grant active was delivered without a grant.
function checkActivation(work: Work, grant: GrantFacts, date: CalendarDate): void {
  if (!grant.activeFrom || date >= grant.activeFrom) return;
  reject(work, error('date_before_activation', at(work, 'date'), { date, activeFrom: grant.activeFrom }));
}

function checkRate(work: Work, grant: GrantFacts, agreedRate: ReturnType<typeof agreedRates>): void {
  const { rateOre, date, employee } = work.line;
  if (employee) {
    work.effectiveRateOre = Math.min(rateOre, employee.rateOre);
    if (rateOre > employee.rateOre) work.findings.push(error('rate_above_employee_rate', at(work, 'rateOre'), { rateOre, employeeRateOre: employee.rateOre, employeeRef: employee.ref, date }));
    return;
  }
  const agreed = agreedRate(grant, date);
  if (agreed === null) {
    reject(work, error('rate_missing', at(work, 'rateOre'), { mentorType: grant.mentorType, serviceLevel: serviceLevelOn(grant, date), date }));
    return;
  }
  work.effectiveRateOre = Math.min(rateOre, agreed.rateOre);
  if (rateOre <= agreed.rateOre) return;
  work.findings.push(
    error('rate_above_agreement', at(work, 'rateOre'), { rateOre, agreedRateOre: agreed.rateOre, date, mentorType: grant.mentorType, serviceLevel: serviceLevelOn(grant, date) }),
  );
}

// A rate flagged above a cap lowered later is approvable at the cap in force on the line's date, never above it.
function checkPriceCap(input: InvoiceValidationInput, work: Work, grant: GrantFacts): void {
  const { rateOre, date } = work.line;
  const level = serviceLevelOn(grant, date);
  const cap = capInForce(input.priceCaps ?? [], grant.mentorType, level, date);
  if (!work.eligible || cap === null || work.effectiveRateOre <= cap.rateOre) return;
  work.effectiveRateOre = cap.rateOre;
  work.findings.push(error('rate_above_price_cap', at(work, 'rateOre'), { rateOre, priceCapOre: cap.rateOre, date, mentorType: grant.mentorType, serviceLevel: level }));
}

// The line rule of checkInvoiceArithmetic, for one line: minutes × rate against the amount as given.
function checkLineAmount(work: Work): void {
  const { fromLog } = work.line;
  // A line matched against the log is checked as it was sent, once, on its first part.
  if (fromLog !== undefined && fromLog.whole === null) return;
  const { minutes, rateOre, amountOre } = fromLog?.whole ? { ...fromLog.whole, rateOre: work.line.rateOre } : work.line;
  const expected = lineAmountOre(minutes, rateOre);
  if (expected === amountOre) return;
  work.findings.push(error('line_amount', at(work, 'amountOre'), { expected, given: amountOre, minutes, rateOre }));
}

// ---- rules across lines ----

// A session's day and minutes as one small whole number (unique per day of a four-digit year and 0–1440 minutes), so
// that a grant's sessions are found by a number, not by a string made for each line.
function sessionKey(date: CalendarDate, minutes: number): number {
  const digit = (at: number): number => date.charCodeAt(at) - 48;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const dayOfYear = (digit(5) * 10 + digit(6) - 1) * 31 + digit(8) * 10 + digit(9) - 1;
  return ((year - 1000) * 372 + dayOfYear) * 1441 + minutes;
}

/** Values by grant reference, date and minutes: the identity of a delivery. */
class DeliveryMap<V> {
  private readonly byGrant = new Map<string, Map<number, V>>();

  get(grantReference: string, date: CalendarDate, minutes: number): V | undefined {
    return this.byGrant.get(grantReference)?.get(sessionKey(date, minutes));
  }

  set(grantReference: string, date: CalendarDate, minutes: number, value: V): void {
    let sessions = this.byGrant.get(grantReference);
    if (sessions === undefined) this.byGrant.set(grantReference, (sessions = new Map()));
    sessions.set(sessionKey(date, minutes), value);
  }
}

function markDuplicates(input: InvoiceValidationInput, works: Work[]): void {
  const earlier = new DeliveryMap<true>();
  for (const d of input.earlierDeliveries) earlier.set(d.grantReference, d.date, d.minutes, true);
  const onThisInvoice = new DeliveryMap<number>();
  for (const work of works) {
    if (work.grant === null) continue;
    const { grantReference, date, minutes } = work.line;
    const firstLine = onThisInvoice.get(grantReference, date, minutes);
    if (earlier.get(grantReference, date, minutes) !== undefined || firstLine !== undefined) {
      reject(work, error('duplicate_delivery', at(work, 'date'), { grantReference, date, minutes, duplicateOfLine: firstLine ?? null }));
    } else {
      onThisInvoice.set(grantReference, date, minutes, work.line.index);
    }
  }
}

// ISO week keys by date, each computed once per validation: thousands of lines fall on a few dozen dates.
function weekKeys(): (date: CalendarDate) => string {
  const keys = new Map<CalendarDate, string>();
  return (date) => {
    let key = keys.get(date);
    if (key === undefined) {
      key = isoWeekOf(date).key;
      keys.set(date, key);
    }
    return key;
  };
}

/** Allowance per grant and ISO week goes to earlier deliveries first, then this invoice's lines in date order. */
function allocateWeeks(input: InvoiceValidationInput, works: Work[], weekOf: (date: CalendarDate) => string): void {
  // The lines by grant reference and week, and the earlier minutes of those grants by week, in one pass each.
  const groups = new Map<string, Map<string, Work[]>>();
  const earlierByWeek = new Map<string, Map<string, number>>();
  for (const work of works) {
    if (!work.eligible || work.grant === null) continue;
    let weeks = groups.get(work.line.grantReference);
    if (weeks === undefined) groups.set(work.line.grantReference, (weeks = new Map()));
    const week = weekOf(work.line.date);
    const group = weeks.get(week);
    if (group === undefined) weeks.set(week, [work]);
    else group.push(work);
    if (!earlierByWeek.has(work.grant.reference)) earlierByWeek.set(work.grant.reference, new Map());
  }
  for (const d of input.earlierDeliveries) {
    const minutesByWeek = earlierByWeek.get(d.grantReference);
    if (minutesByWeek === undefined) continue;
    const week = weekOf(d.date);
    minutesByWeek.set(week, (minutesByWeek.get(week) ?? 0) + d.minutes);
  }
  for (const weeks of groups.values()) {
    for (const [week, group] of weeks) allocateWeek(group, week, earlierByWeek.get((group[0].grant as GrantFacts).reference)?.get(week) ?? 0);
  }
}

const byDateThenPosition = (a: Work, b: Work): number => byDate(a.line.date, b.line.date) || a.position - b.position;

// One grant's lines in one week (all eligible, so whole minutes): the week's allowance in date order.
function allocateWeek(group: Work[], week: string, earlierMinutes: number): void {
  const grant = group[0].grant as GrantFacts;
  const granted = grantedMinutesInWeek(grant, mondayOf(group[0].line.date));
  let left = Math.max(0, granted - earlierMinutes);
  const ordered = group.length > 1 ? [...group].sort(byDateThenPosition) : group;
  let lineMinutes = 0;
  let excess = 0;
  for (const work of ordered) {
    work.allowedMinutes = Math.min(work.line.minutes, left);
    left -= work.allowedMinutes;
    lineMinutes += work.line.minutes;
    excess += work.line.minutes - work.allowedMinutes;
  }
  if (excess === 0) return;
  const invoiced = earlierMinutes + lineMinutes;
  for (const work of ordered) {
    if (work.allowedMinutes >= work.line.minutes) continue;
    work.findings.push(
      error('week_over_grant', at(work, 'minutes'), {
        week,
        grantReference: grant.reference,
        invoicedMinutes: invoiced,
        earlierMinutes,
        grantedMinutes: granted,
        excessMinutes: excess,
        lineMinutes: work.line.minutes,
        approvableMinutes: work.allowedMinutes,
      }),
    );
  }
}

/** Cuts what passes an agreement's ceiling from the last line backwards; warns at each threshold crossed. */
function checkCeilings(input: InvoiceValidationInput, works: Work[]): Finding[] {
  const findings: Finding[] = [];
  const byAgreement = new Map<string, Work[]>();
  for (const work of works) {
    if (work.agreement === null) continue;
    const group = byAgreement.get(work.agreement.id);
    if (group === undefined) byAgreement.set(work.agreement.id, [work]);
    else group.push(work);
  }
  for (const [id, group] of byAgreement) {
    const agreement = input.agreements.get(id) as AgreementFacts;
    if (agreement.ceilingOre === null) continue;
    const ceiling = agreement.ceilingOre;
    const consumed = agreement.consumedOre;
    const requested = group.reduce((sum, w) => sum + w.approvableOre, 0);
    // What lies above the ceiling, but never more than this invoice brings.
    const excess = Math.min(requested, Math.max(0, consumed + requested - ceiling));
    if (excess > 0) {
      findings.push(error('ceiling_passed', undefined, { agreementId: agreement.id, ceilingOre: ceiling, consumedOre: consumed, invoiceOre: requested, excessOre: excess }));
      cutFromTheEnd(group, excess, agreement);
    }
    const after = consumed + group.reduce((sum, w) => sum + w.approvableOre, 0);
    findings.push(...thresholdWarnings(input.ruleSet.ceilingWarningPercents, agreement, after));
  }
  return findings;
}

function cutFromTheEnd(group: Work[], excess: number, agreement: AgreementFacts): void {
  let left = excess;
  for (const work of [...group].reverse()) {
    if (left === 0) break;
    const cut = Math.min(work.approvableOre, left);
    if (cut === 0) continue;
    work.approvableOre -= cut;
    left -= cut;
    work.findings.push(error('ceiling_passed', at(work, 'amountOre'), { agreementId: agreement.id, ceilingOre: agreement.ceilingOre, cutOre: cut }));
  }
}

function thresholdWarnings(percents: number[], agreement: AgreementFacts, after: number): Finding[] {
  const ceiling = BigInt(agreement.ceilingOre as number);
  const before = BigInt(agreement.consumedOre) * 100n;
  const now = BigInt(after) * 100n;
  return percents
    .filter((percent) => before < BigInt(percent) * ceiling && BigInt(percent) * ceiling <= now)
    .map((percent) =>
      warning('ceiling_warning', { agreementId: agreement.id, percent, spentOre: after, ceilingOre: agreement.ceilingOre, consumedBeforeOre: agreement.consumedOre }),
    );
}

const TOTAL_CODES: Record<string, FindingCode> = { net_total: 'net_total', vat_total: 'vat_total', invoice_total: 'invoice_total' };

function checkTotals(input: InvoiceValidationInput): Finding[] {
  if (input.totals === undefined) return [];
  return checkInvoiceArithmetic({ ...input.totals, lines: input.lines })
    .filter((d) => TOTAL_CODES[d.rule] !== undefined)
    .map((d) => error(TOTAL_CODES[d.rule], d.field, d.values ?? {}));
}

/**
 * A warning for each ISO week touched by the period and the grant that ends a run of `everyWeeks`
 * weeks without any session (on this or another invoice); weeks before the grant's start never count.
 */
function checkMinimumContact(input: InvoiceValidationInput, works: Work[], weekOf: (date: CalendarDate) => string): Finding[] {
  const { period } = input;
  if (period === undefined) return [];
  const grants = new Map<string, GrantFacts>();
  for (const work of works) if (work.grant !== null) grants.set(work.grant.reference, work.grant);
  // The sessions of each grant (on this or another invoice), in one pass.
  const sessionDates = new Map<string, CalendarDate[]>();
  const addSession = (d: Delivery | InvoiceLineInput): void => {
    if (!grants.has(d.grantReference)) return;
    const dates = sessionDates.get(d.grantReference);
    if (dates === undefined) sessionDates.set(d.grantReference, [d.date]);
    else dates.push(d.date);
  };
  for (const d of input.earlierDeliveries) addSession(d);
  for (const work of works) if (work.eligible) addSession(work.line);
  const findings: Finding[] = [];
  for (const grant of grants.values()) {
    const everyWeeks = minimumContactEveryWeeks(input.ruleSet, grant.targetGroup, grant.mentorType);
    if (everyWeeks === null) continue;
    const from = period.from > grant.start ? period.from : grant.start;
    const to = period.to < grant.end ? period.to : grant.end;
    if (from > to) continue;
    const contactWeeks = new Set((sessionDates.get(grant.reference) ?? []).map(weekOf));
    const firstMonday = mondayOf(grant.start);
    for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) {
      const windowStart = addDays(monday, -7 * (everyWeeks - 1));
      if (windowStart < firstMonday) continue;
      const window = Array.from({ length: everyWeeks }, (_, i) => weekOf(addDays(windowStart, 7 * i)));
      if (window.some((week) => contactWeeks.has(week))) continue;
      findings.push(warning('minimum_contact_missing', { grantReference: grant.reference, week: window[window.length - 1], everyWeeks, weeksWithoutContact: window.join(',') }));
    }
  }
  return findings;
}
