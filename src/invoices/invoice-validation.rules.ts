import {
  addDays,
  CalendarDate,
  compareDates,
  isCalendarDate,
  isDateWithin,
  isoWeekOf,
  maxDate,
  minDate,
  mondayOf,
} from '../common/time/calendar-date';
import { MentorType, minimumContactEveryWeeks, RuleSetValues, TargetGroup } from '../rules/rule-set';
import { Rate, rateInForce } from '../suppliers/rate-card.rules';
import { capInForce, type Cap } from '../suppliers/price-cap.rules';
import { formatKroner } from '../common/web/format';
import { checkInvoiceArithmetic, lineAmountOre } from './invoice-amounts';

/**
 * Validation of a supplier's invoice, line by line (fakturakontrol). Each finding names its rule,
 * carries the numbers behind it in both languages, and says what of the line can still be approved.
 * Pure: the caller loads grants, agreements, rates and earlier deliveries and passes `today`.
 * Messages carry only what the supplier sent or what belongs to the supplier's own grants: no
 * citizen data (the inputs hold none) and nothing about another supplier's grant.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  code: string;
  severity: Severity;
  field?: string;
  message: { da: string; en: string };
  values: Record<string, string | number | boolean | null>;
  /** On a line's error: what of the line can be approved after every rule. */
  approvableOre?: number;
}

export interface InvoiceLineInput {
  /** The line's position on the invoice as the supplier numbered it. */
  index: number;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  rateOre: number;
  amountOre: number;
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

const MINUTES_PER_DAY = 1440;
const BILLABLE_STATUSES = ['active', 'ended'];

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

function error(code: string, field: string | undefined, da: string, en: string, values: Finding['values']): Finding {
  return { code, severity: 'error', ...(field === undefined ? {} : { field }), message: { da, en }, values };
}

function warning(code: string, da: string, en: string, values: Finding['values']): Finding {
  return { code, severity: 'warning', message: { da, en }, values };
}

const at = (work: Work, name: string): string => `lines[${work.line.index}].${name}`;
const lineDa = (work: Work): string => `Linje ${work.line.index}`;
const lineEn = (work: Work): string => `Line ${work.line.index}`;

function reject(work: Work, finding: Finding): void {
  work.findings.push(finding);
  work.eligible = false;
}

/** Validates every line and the invoice as a whole; approvable amounts are never above what was invoiced. */
export function validateInvoice(input: InvoiceValidationInput): InvoiceValidation {
  const works = input.lines.map((line, position) => checkLine(input, line, position));
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

function checkLine(input: InvoiceValidationInput, line: InvoiceLineInput, position: number): Work {
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
    reject(
      work,
      error(
        'grant_unknown',
        at(work, 'grantReference'),
        `${lineDa(work)}: bevilling ${line.grantReference} findes ikke blandt jeres bevillinger`,
        `${lineEn(work)}: grant ${line.grantReference} is not one of your grants`,
        { grantReference: line.grantReference },
      ),
    );
    return work;
  }
  work.grant = grant;
  checkMinutes(work);
  if (!checkDate(input, work, grant)) return work;
  checkRate(input, work, grant);
  checkPriceCap(input, work, grant);
  checkLineAmount(work);
  return work;
}

function checkMinutes(work: Work): void {
  const { minutes } = work.line;
  if (Number.isSafeInteger(minutes) && minutes > 0 && minutes <= MINUTES_PER_DAY) return;
  reject(
    work,
    error(
      'minutes_invalid',
      at(work, 'minutes'),
      `${lineDa(work)}: ${minutes} minutter er ikke et helt antal minutter fra 1 til ${MINUTES_PER_DAY}`,
      `${lineEn(work)}: ${minutes} minutes is not a whole number of minutes from 1 to ${MINUTES_PER_DAY}`,
      { minutes, maxMinutes: MINUTES_PER_DAY },
    ),
  );
}

// False when the date is not a date, so the date-bound rules cannot run.
function checkDate(input: InvoiceValidationInput, work: Work, grant: GrantFacts): boolean {
  const { date } = work.line;
  if (!isCalendarDate(date)) {
    reject(
      work,
      error('date_invalid', at(work, 'date'), `${lineDa(work)}: '${date}' er ikke en dato (ÅÅÅÅ-MM-DD)`, `${lineEn(work)}: '${date}' is not a date (YYYY-MM-DD)`, {
        date,
      }),
    );
    return false;
  }
  if (compareDates(date, input.today) > 0) {
    reject(
      work,
      error(
        'date_in_future',
        at(work, 'date'),
        `${lineDa(work)}: ${date} ligger efter i dag (${input.today})`,
        `${lineEn(work)}: ${date} is after today (${input.today})`,
        { date, today: input.today },
      ),
    );
  }
  checkGrantStatus(work, grant, date);
  checkActivation(work, grant, date);
  if (!isDateWithin(date, grant.start, grant.end)) {
    reject(
      work,
      error(
        'date_outside_grant',
        at(work, 'date'),
        `${lineDa(work)}: ${date} ligger uden for bevillingens periode ${grant.start} til ${grant.end}`,
        `${lineEn(work)}: ${date} is outside the grant period ${grant.start} to ${grant.end}`,
        { date, grantStart: grant.start, grantEnd: grant.end },
      ),
    );
  }
  const agreement = input.agreements.get(grant.agreementId);
  if (agreement === undefined) {
    reject(
      work,
      error(
        'agreement_unknown',
        at(work, 'grantReference'),
        `${lineDa(work)}: bevillingens aftale findes ikke`,
        `${lineEn(work)}: the grant's agreement does not exist`,
        { agreementId: grant.agreementId },
      ),
    );
    return true;
  }
  work.agreement = agreement;
  if (!isDateWithin(date, agreement.validFrom, agreement.validTo)) {
    const until = agreement.validTo ?? 'uden slutdato';
    const untilEn = agreement.validTo ?? 'no end';
    reject(
      work,
      error(
        'date_outside_agreement',
        at(work, 'date'),
        `${lineDa(work)}: ${date} ligger uden for aftalens gyldighed ${agreement.validFrom} til ${until}`,
        `${lineEn(work)}: ${date} is outside the agreement's validity ${agreement.validFrom} to ${untilEn}`,
        { date, agreementValidFrom: agreement.validFrom, agreementValidTo: agreement.validTo },
      ),
    );
  }
  return true;
}

function checkGrantStatus(work: Work, grant: GrantFacts, date: CalendarDate): void {
  const endedBefore = grant.status === 'ended' && grant.endedOn !== undefined && grant.endedOn !== null && compareDates(date, grant.endedOn) > 0;
  if (BILLABLE_STATUSES.includes(grant.status) && !endedBefore) return;
  const da = endedBefore
    ? `${lineDa(work)}: bevilling ${grant.reference} sluttede ${grant.endedOn}, før ${date}`
    : `${lineDa(work)}: bevilling ${grant.reference} er ikke aktiv (status ${grant.status})`;
  const en = endedBefore
    ? `${lineEn(work)}: grant ${grant.reference} ended on ${grant.endedOn}, before ${date}`
    : `${lineEn(work)}: grant ${grant.reference} is not active (status ${grant.status})`;
  reject(work, error('grant_not_active', at(work, 'grantReference'), da, en, { status: grant.status, endedOn: grant.endedOn ?? null, date }));
}

// A session before the day the team leader's approval made the grant active was delivered without a grant.
function checkActivation(work: Work, grant: GrantFacts, date: CalendarDate): void {
  if (!grant.activeFrom || compareDates(date, grant.activeFrom) >= 0) return;
  reject(
    work,
    error(
      'date_before_activation',
      at(work, 'date'),
      `${lineDa(work)}: ${date} ligger før ${grant.activeFrom}, hvor bevilling ${grant.reference} blev godkendt og trådte i kraft`,
      `${lineEn(work)}: ${date} is before ${grant.activeFrom}, when grant ${grant.reference} was approved and became active`,
      { date, activeFrom: grant.activeFrom },
    ),
  );
}

function checkRate(input: InvoiceValidationInput, work: Work, grant: GrantFacts): void {
  const { rateOre, date } = work.line;
  if (!Number.isSafeInteger(rateOre) || rateOre < 0) {
    reject(
      work,
      error('rate_invalid', at(work, 'rateOre'), `${lineDa(work)}: timeprisen ${rateOre} øre er ikke et helt antal øre`, `${lineEn(work)}: the rate ${rateOre} øre is not a whole number of øre`, {
        rateOre,
      }),
    );
    return;
  }
  const agreed = rateInForce(input.rates.get(grant.agreementId) ?? [], grant.mentorType, grant.serviceLevel, date);
  if (agreed === null) {
    reject(
      work,
      error(
        'rate_missing',
        at(work, 'rateOre'),
        `${lineDa(work)}: aftalen har ingen timepris for mentortype ${grant.mentorType}, niveau ${grant.serviceLevel} den ${date}`,
        `${lineEn(work)}: the agreement has no rate for mentor type ${grant.mentorType}, level ${grant.serviceLevel} on ${date}`,
        { mentorType: grant.mentorType, serviceLevel: grant.serviceLevel, date },
      ),
    );
    return;
  }
  work.effectiveRateOre = Math.min(rateOre, agreed.rateOre);
  if (rateOre <= agreed.rateOre) return;
  work.findings.push(
    error(
      'rate_above_agreement',
      at(work, 'rateOre'),
      `${lineDa(work)}: timeprisen ${formatKroner(rateOre, 'da')} er over aftalens ${formatKroner(agreed.rateOre, 'da')} den ${date}; kun aftalens pris kan godkendes`,
      `${lineEn(work)}: the rate ${formatKroner(rateOre, 'en')} is above the agreed ${formatKroner(agreed.rateOre, 'en')} on ${date}; only the agreed rate can be approved`,
      { rateOre, agreedRateOre: agreed.rateOre, date, mentorType: grant.mentorType, serviceLevel: grant.serviceLevel },
    ),
  );
}

// A rate flagged above a cap lowered later is approvable at the cap in force on the line's date, never above it.
function checkPriceCap(input: InvoiceValidationInput, work: Work, grant: GrantFacts): void {
  const { rateOre, date } = work.line;
  const cap = capInForce(input.priceCaps ?? [], grant.mentorType, grant.serviceLevel, date);
  if (!work.eligible || cap === null || work.effectiveRateOre <= cap.rateOre) return;
  work.effectiveRateOre = cap.rateOre;
  work.findings.push(
    error(
      'rate_above_price_cap',
      at(work, 'rateOre'),
      `${lineDa(work)}: timeprisen ${formatKroner(rateOre, 'da')} er over prisloftet på ${formatKroner(cap.rateOre, 'da')} den ${date}; kun prisloftet kan godkendes`,
      `${lineEn(work)}: the rate ${formatKroner(rateOre, 'en')} is above the price cap of ${formatKroner(cap.rateOre, 'en')} on ${date}; only the cap can be approved`,
      { rateOre, priceCapOre: cap.rateOre, date, mentorType: grant.mentorType, serviceLevel: grant.serviceLevel },
    ),
  );
}

// The line rule of checkInvoiceArithmetic, for one line: minutes × rate against the amount as given.
function checkLineAmount(work: Work): void {
  const { minutes, rateOre, amountOre } = work.line;
  if (!Number.isSafeInteger(minutes) || minutes < 0 || !Number.isSafeInteger(rateOre) || rateOre < 0) return;
  const expected = lineAmountOre(minutes, rateOre);
  if (expected === amountOre) return;
  work.findings.push(
    error(
      'line_amount',
      at(work, 'amountOre'),
      `${lineDa(work)}: ${minutes} minutter à ${formatKroner(rateOre, 'da')} i timen er ${formatKroner(expected, 'da')}, ikke ${formatKroner(amountOre, 'da')}`,
      `${lineEn(work)}: ${minutes} minutes at ${formatKroner(rateOre, 'en')} per hour is ${formatKroner(expected, 'en')}, not ${formatKroner(amountOre, 'en')}`,
      { expected, given: amountOre, minutes, rateOre },
    ),
  );
}

// ---- rules across lines ----

/** Values by grant reference, date and minutes: the identity of a delivery, without a string key per line. */
class DeliveryMap<V> {
  private readonly byGrant = new Map<string, Map<CalendarDate, Map<number, V>>>();

  get(grantReference: string, date: CalendarDate, minutes: number): V | undefined {
    return this.byGrant.get(grantReference)?.get(date)?.get(minutes);
  }

  set(grantReference: string, date: CalendarDate, minutes: number, value: V): void {
    let byDate = this.byGrant.get(grantReference);
    if (byDate === undefined) this.byGrant.set(grantReference, (byDate = new Map()));
    let byMinutes = byDate.get(date);
    if (byMinutes === undefined) byDate.set(date, (byMinutes = new Map()));
    byMinutes.set(minutes, value);
  }
}

function markDuplicates(input: InvoiceValidationInput, works: Work[]): void {
  const earlier = new DeliveryMap<true>();
  for (const d of input.earlierDeliveries) earlier.set(d.grantReference, d.date, d.minutes, true);
  const onThisInvoice = new DeliveryMap<number>();
  for (const work of works) {
    if (work.grant === null || !isCalendarDate(work.line.date)) continue;
    const { grantReference, date, minutes } = work.line;
    const firstLine = onThisInvoice.get(grantReference, date, minutes);
    if (earlier.get(grantReference, date, minutes) !== undefined || firstLine !== undefined) {
      const whereDa = firstLine === undefined ? 'en anden faktura' : `linje ${firstLine} på denne faktura`;
      const whereEn = firstLine === undefined ? 'another invoice' : `line ${firstLine} of this invoice`;
      reject(
        work,
        error(
          'duplicate_delivery',
          at(work, 'date'),
          `${lineDa(work)}: ${work.line.minutes} minutter den ${work.line.date} på bevilling ${work.line.grantReference} er allerede faktureret på ${whereDa}`,
          `${lineEn(work)}: ${work.line.minutes} minutes on ${work.line.date} for grant ${work.line.grantReference} are already invoiced on ${whereEn}`,
          { grantReference: work.line.grantReference, date: work.line.date, minutes: work.line.minutes, duplicateOfLine: firstLine ?? null },
        ),
      );
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
    if (minutesByWeek === undefined || !isCalendarDate(d.date)) continue;
    const week = weekOf(d.date);
    minutesByWeek.set(week, (minutesByWeek.get(week) ?? 0) + d.minutes);
  }
  for (const weeks of groups.values()) {
    for (const [week, group] of weeks) allocateWeek(group, week, earlierByWeek.get((group[0].grant as GrantFacts).reference)?.get(week) ?? 0);
  }
}

const byDateThenPosition = (a: Work, b: Work): number => compareDates(a.line.date, b.line.date) || a.position - b.position;

// One grant's lines in one week (all eligible, so whole minutes): the week's allowance in date order.
function allocateWeek(group: Work[], week: string, earlierMinutes: number): void {
  const grant = group[0].grant as GrantFacts;
  let left = Math.max(0, grant.minutesPerWeek - earlierMinutes);
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
      error(
        'week_over_grant',
        at(work, 'minutes'),
        `Uge ${week}: ${invoiced} minutter faktureret, ${grant.minutesPerWeek} bevilget; ${excess} minutter kan ikke godkendes ` +
          `(${lineDa(work).toLowerCase()}: ${work.allowedMinutes} af ${work.line.minutes} minutter)`,
        `Week ${week}: ${invoiced} minutes invoiced, ${grant.minutesPerWeek} granted; ${excess} minutes cannot be approved ` +
          `(${lineEn(work).toLowerCase()}: ${work.allowedMinutes} of ${work.line.minutes} minutes)`,
        {
          week,
          grantReference: grant.reference,
          invoicedMinutes: invoiced,
          earlierMinutes,
          grantedMinutes: grant.minutesPerWeek,
          excessMinutes: excess,
          lineMinutes: work.line.minutes,
          approvableMinutes: work.allowedMinutes,
        },
      ),
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
      findings.push(passedFinding(agreement, requested, excess));
      cutFromTheEnd(group, excess, agreement);
    }
    const after = consumed + group.reduce((sum, w) => sum + w.approvableOre, 0);
    findings.push(...thresholdWarnings(input.ruleSet.ceilingWarningPercents, agreement, after));
  }
  return findings;
}

function passedFinding(agreement: AgreementFacts, requested: number, excess: number): Finding {
  const ceiling = agreement.ceilingOre as number;
  const values = { agreementId: agreement.id, ceilingOre: ceiling, consumedOre: agreement.consumedOre, invoiceOre: requested, excessOre: excess };
  return error(
    'ceiling_passed',
    undefined,
    `Aftalens loft på ${formatKroner(ceiling, 'da')} er brugt med ${formatKroner(agreement.consumedOre, 'da')}; fakturaens ${formatKroner(requested, 'da')} går ${formatKroner(excess, 'da')} over, som ikke kan godkendes`,
    `The agreement's ceiling of ${formatKroner(ceiling, 'en')} has ${formatKroner(agreement.consumedOre, 'en')} used; this invoice's ${formatKroner(requested, 'en')} passes it by ${formatKroner(excess, 'en')}, which cannot be approved`,
    values,
  );
}

function cutFromTheEnd(group: Work[], excess: number, agreement: AgreementFacts): void {
  let left = excess;
  for (const work of [...group].reverse()) {
    if (left === 0) break;
    const cut = Math.min(work.approvableOre, left);
    if (cut === 0) continue;
    work.approvableOre -= cut;
    left -= cut;
    work.findings.push(
      error(
        'ceiling_passed',
        at(work, 'amountOre'),
        `${lineDa(work)}: ${formatKroner(cut, 'da')} ligger over aftalens loft på ${formatKroner(agreement.ceilingOre as number, 'da')} og kan ikke godkendes`,
        `${lineEn(work)}: ${formatKroner(cut, 'en')} lies above the agreement's ceiling of ${formatKroner(agreement.ceilingOre as number, 'en')} and cannot be approved`,
        { agreementId: agreement.id, ceilingOre: agreement.ceilingOre, cutOre: cut },
      ),
    );
  }
}

function thresholdWarnings(percents: number[], agreement: AgreementFacts, after: number): Finding[] {
  const ceiling = BigInt(agreement.ceilingOre as number);
  const before = BigInt(agreement.consumedOre) * 100n;
  const now = BigInt(after) * 100n;
  return percents
    .filter((percent) => before < BigInt(percent) * ceiling && BigInt(percent) * ceiling <= now)
    .map((percent) =>
      warning(
        'ceiling_warning',
        `Aftalens forbrug når ${percent} % af loftet: ${formatKroner(after, 'da')} af ${formatKroner(agreement.ceilingOre as number, 'da')}`,
        `The agreement's spending reaches ${percent} % of its ceiling: ${formatKroner(after, 'en')} of ${formatKroner(agreement.ceilingOre as number, 'en')}`,
        { agreementId: agreement.id, percent, spentOre: after, ceilingOre: agreement.ceilingOre, consumedBeforeOre: agreement.consumedOre },
      ),
    );
}

function checkTotals(input: InvoiceValidationInput): Finding[] {
  if (input.totals === undefined) return [];
  const details = checkInvoiceArithmetic({ ...input.totals, lines: input.lines }).filter((d) => d.rule !== 'line_amount');
  const given = (d: (typeof details)[number]): number => Number(d.values?.given);
  const expected = (d: (typeof details)[number]): number => Number(d.values?.expected);
  const names: Record<string, { da: string; en: string }> = {
    net_total: { da: 'Nettobeløbet', en: 'The net amount' },
    vat_total: { da: 'Momsen', en: 'The VAT' },
    invoice_total: { da: 'Totalen', en: 'The total' },
  };
  return details.map((d) =>
    error(
      d.rule,
      d.field,
      `${names[d.rule].da} er ${formatKroner(given(d), 'da')}, men skal være ${formatKroner(expected(d), 'da')}`,
      `${names[d.rule].en} is ${formatKroner(given(d), 'en')} but should be ${formatKroner(expected(d), 'en')}`,
      d.values ?? {},
    ),
  );
}

/**
 * A warning for each ISO week touched by the period and the grant that ends a run of `everyWeeks`
 * weeks without any session (on this or another invoice); weeks before the grant's start never count.
 */
function checkMinimumContact(input: InvoiceValidationInput, works: Work[], weekOf: (date: CalendarDate) => string): Finding[] {
  const { period } = input;
  if (period === undefined || !isCalendarDate(period.from) || !isCalendarDate(period.to)) return [];
  const grants = new Map<string, GrantFacts>();
  for (const work of works) if (work.grant !== null) grants.set(work.grant.reference, work.grant);
  // The sessions of each grant (on this or another invoice), in one pass.
  const sessionDates = new Map<string, CalendarDate[]>();
  const addSession = (d: Delivery | InvoiceLineInput): void => {
    if (!grants.has(d.grantReference) || !isCalendarDate(d.date) || !(d.minutes > 0)) return;
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
    const from = maxDate(period.from, grant.start);
    const to = minDate(period.to, grant.end);
    if (compareDates(from, to) > 0) continue;
    const contactWeeks = new Set((sessionDates.get(grant.reference) ?? []).map(weekOf));
    const firstMonday = mondayOf(grant.start);
    for (let monday = mondayOf(from); compareDates(monday, to) <= 0; monday = addDays(monday, 7)) {
      const windowStart = addDays(monday, -7 * (everyWeeks - 1));
      if (compareDates(windowStart, firstMonday) < 0) continue;
      const window = Array.from({ length: everyWeeks }, (_, i) => isoWeekOf(addDays(windowStart, 7 * i)).key);
      if (window.some((week) => contactWeeks.has(week))) continue;
      findings.push(contactWarning(grant, window, everyWeeks));
    }
  }
  return findings;
}

function contactWarning(grant: GrantFacts, window: string[], everyWeeks: number): Finding {
  const week = window[window.length - 1];
  const values = { grantReference: grant.reference, week, everyWeeks, weeksWithoutContact: window.join(',') };
  if (everyWeeks === 1) {
    return warning(
      'minimum_contact_missing',
      `Uge ${week}: ingen kontakt på bevilling ${grant.reference}; minimumskontakt er hver uge`,
      `Week ${week}: no contact on grant ${grant.reference}; minimum contact is every week`,
      values,
    );
  }
  return warning(
    'minimum_contact_missing',
    `Uge ${week}: ingen kontakt på bevilling ${grant.reference} i ${everyWeeks} uger (${window[0]} til ${week}); minimumskontakt er hver ${everyWeeks}. uge`,
    `Week ${week}: no contact on grant ${grant.reference} for ${everyWeeks} weeks (${window[0]} to ${week}); minimum contact is every ${everyWeeks} weeks`,
    values,
  );
}
