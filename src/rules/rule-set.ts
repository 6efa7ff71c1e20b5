import { ErrorDetail } from '../common/errors/domain.exception';
import { addDays, CalendarDate, compareDates, isCalendarDate } from '../common/time/calendar-date';
import { CommonErrorCode } from '../common/errors/common.errors';
import { RulesErrorCode } from './rules.errors';
import { RuleError } from '../common/errors/rule-error';
import { COURSE_RULE_DEFAULTS, COURSE_RULE_KEYS, EARLY_END_REASONS, type CourseRuleValues } from './course-rule-set';

/**
 * The rule set (regelsæt): every number the grant, invoice, billing and refund
 * rules use, versioned by an effective date. A calculation uses the version in
 * force on the date it concerns (a grant: its start; an expense: its date).
 */

export const MENTOR_TYPES = [
  'retention', // fastholdelsesmentor
  'company', // virksomhedsmentor / frikøb of an employee
  'holistic', // helhedsorienteret mentor (ret og pligt)
  'discharge', // udskrivningskoordinator (psychiatric discharge)
  'release', // udslusningskoordinator (prison release)
] as const;
export type MentorType = (typeof MENTOR_TYPES)[number];

export const TARGET_GROUPS = [
  'activity_ready_cash_benefit', // aktivitetsparat kontanthjælpsmodtager
  'job_ready_cash_benefit', // jobparat kontanthjælpsmodtager
  'education_benefit_activity_ready', // aktivitetsparat uddannelseshjælpsmodtager
  'education_benefit_job_ready', // uddannelsesparat uddannelseshjælpsmodtager
  'resource_course', // ressourceforløb
  'revalidation', // revalidend / forrevalidend
  'sickness_benefit', // sygedagpengemodtager
  'unemployment_benefit', // dagpengemodtager (forsikret ledig)
  'flex_job_benefit', // ledighedsydelse / fleksjob
  'early_retirement_pension', // førtidspensionist
  'disability', // person med handicap
  'under_18', // under 18 år med beskæftigelsesrettet indsats
  'unemployed_without_benefit', // ledig uden forsørgelse
  'psychiatric_discharge', // udskrivning fra psykiatrisk afdeling
  'prison_release', // løsladelse fra fængsel
  'employed', // beskæftiget i ordinært job
  'ordinary_education', // i ordinær uddannelse
  'other', // anden
  // The integration target groups (lov om integration af udlændinge § 23 d; Gribskov 004).
  'integration_benefit_activity_ready', // aktivitetsparat modtager af integrationsydelse
  'integration_benefit_job_ready', // jobparat modtager af integrationsydelse
  'integration_programme', // i integrationsprogram (selvforsørgende), integrationslovens § 23 d
  // Single parents on education benefit with an education order (Gribskov 004).
  'single_parent_education_order', // enlig forsørger på uddannelseshjælp med uddannelsespålæg
] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

/** A service level's band of minutes per week: more than `minMinutesExclusive` (null: from 0) and at most `maxMinutes` (null: no cap). */
export interface ServiceLevelBand {
  level: number;
  minMinutesExclusive: number | null;
  maxMinutes: number | null;
}

/** Contact at least every `everyWeeks` ISO weeks; null target group or mentor type matches any. */
export interface MinimumContactRule {
  targetGroup: TargetGroup | null;
  mentorType: MentorType | null;
  everyWeeks: number;
}

/** State refund from `validFrom` until the next regime: `ratePercent` of approved expenses excl. VAT. */
export interface RefundRegime {
  validFrom: CalendarDate;
  /** Refunded, capped by what is left of the year's frame (refusionsramme). */
  insideFrame: TargetGroup[];
  /** Refunded without the frame's cap. Target groups in neither list get no refund. */
  outsideFrame: TargetGroup[];
  ratePercent: number;
}

/**
 * Where an expense is booked (a grouping of the authorised chart of accounts); null mentor type or target
 * group matches any. A grouping is dated: it is used from `validFrom` (null: from the start) to `validTo`
 * (null: open), and a grouping that ends has a successor for the same target group and mentor type from
 * the next day. An expense is booked on the grouping valid on its date.
 */
export interface AccountCodeRule {
  mentorType: MentorType | null;
  targetGroup: TargetGroup | null;
  /** function.dranst-grouping, e.g. '5.68.90.1-018'. */
  code: string;
  validFrom?: CalendarDate | null;
  validTo?: CalendarDate | null;
  /** The grouping's name in the chart of accounts. */
  title?: string;
}

/**
 * The limit on the municipality's expenses for guidance, upskilling and mentor support in the budget
 * guarantee (LAB § 203 a): a figure per full-time person in the target group and year, times the
 * municipality's full-time persons of the year.
 */
export interface BudgetGuaranteeLimit {
  orePerFullTimePerson: number;
  legalBasis: string;
}

export interface RuleSetValues extends CourseRuleValues {
  serviceLevels: ServiceLevelBand[];
  maxPeriodMonths: number;
  maxExtensions: number;
  maxExtensionMonths: number;
  level4MaxMonths: number;
  holisticPeriodMonths: number;
  followUpIntervalWeeks: number;
  evaluationLeadDays: number;
  minimumContact: MinimumContactRule[];
  legalBasis: Record<MentorType, string>;
  /** Warn when a framework agreement's spending reaches these percents of its ceiling. */
  ceilingWarningPercents: number[];
  /** An approval of more than this amount (øre, the approvable amount excl. VAT) needs a second approver. */
  secondApproverThresholdOre: number;
  paymentDueDays: number;
  refundRegimes: RefundRegime[];
  accountCodes: AccountCodeRule[];
  /** From 2026; null (or missing in versions entered before it existed) when no limit applies. */
  budgetGuaranteeLimit?: BudgetGuaranteeLimit | null;
}

export interface RuleSetVersion {
  effectiveFrom: CalendarDate;
  values: RuleSetValues;
  /** What the version enacts and its source. */
  note?: string | null;
}

// The seeds' legal basis (lov om en aktiv beskæftigelsesindsats, kap. 9 b), valid until 2019.
const LAB_2016_LEGAL_BASIS: Record<MentorType, string> = {
  retention: 'LAB § 31 b',
  company: 'LAB §§ 31 b og 31 d',
  holistic: 'LAB § 31 b, jf. §§ 93 og 96 c (ret og pligt)',
  discharge: 'LAB § 31 b, stk. 2',
  release: 'LAB § 31 b, stk. 1',
};

// Lov om aktiv beskæftigelsesindsats (LBA) from 2020-01-01.
const LBA_2020_LEGAL_BASIS: Record<MentorType, string> = {
  retention: 'LBA kap. 26, §§ 167–171',
  company: 'LBA kap. 26, §§ 167–171',
  holistic: 'LBA kap. 26, §§ 167–171 (ret og pligt)',
  discharge: 'LBA kap. 26, §§ 167–171',
  release: 'LBA kap. 26, §§ 167–171',
};

/**
 * The authorised chart of accounts for mentor expenses: function 5.68.90 (driftsudgifter til den kommunale
 * beskæftigelsesindsats), dranst 1, by target group and refund status, dated. Sources in the versions' notes.
 */
export const MENTOR_CHART_OF_ACCOUNTS: AccountCodeRule[] = [
  { mentorType: null, targetGroup: 'unemployment_benefit', code: '5.68.90.1-018', validFrom: '2016-01-01', validTo: null, title: 'Mentor, forsikrede ledige (uden refusion)' },
  { mentorType: null, targetGroup: 'job_ready_cash_benefit', code: '5.68.90.1-018', validFrom: '2016-01-01', validTo: null, title: 'Mentor, jobparate (uden refusion)' },
  { mentorType: null, targetGroup: 'resource_course', code: '5.68.90.1-095', validFrom: null, validTo: '2021-12-31', title: 'Mentor, ressourceforløb (aktivitet før 2022)' },
  { mentorType: null, targetGroup: 'resource_course', code: '5.68.90.1-114', validFrom: '2022-01-01', validTo: null, title: 'Mentor, ressourceforløb (uden refusion fra 2022)' },
];

/**
 * Gribskov's service standard (2014) and Copenhagen's practice, as shipped.
 * The refund regime is the seeds' one (50 % inside a frame); finance enters later regimes with their dates.
 */
export const DEFAULT_RULE_SET: RuleSetVersion = {
  effectiveFrom: '2016-01-01',
  values: {
    // Gribskov: level 1 0–2 h, level 2 over 2–3 h, level 3 over 3–4 h, level 4 over 4 h a week. 0 minutes is no grant.
    serviceLevels: [
      { level: 1, minMinutesExclusive: 0, maxMinutes: 120 },
      { level: 2, minMinutesExclusive: 120, maxMinutes: 180 },
      { level: 3, minMinutesExclusive: 180, maxMinutes: 240 },
      { level: 4, minMinutesExclusive: 240, maxMinutes: null },
    ],
    maxPeriodMonths: 6,
    maxExtensions: 1,
    maxExtensionMonths: 6,
    level4MaxMonths: 3,
    holisticPeriodMonths: 6,
    followUpIntervalWeeks: 13,
    evaluationLeadDays: 14,
    minimumContact: [
      { targetGroup: 'activity_ready_cash_benefit', mentorType: null, everyWeeks: 1 },
      { targetGroup: null, mentorType: 'holistic', everyWeeks: 2 },
    ],
    legalBasis: LAB_2016_LEGAL_BASIS,
    ceilingWarningPercents: [80, 90],
    secondApproverThresholdOre: 5_000_000,
    paymentDueDays: 30,
    refundRegimes: [
      {
        validFrom: '2016-01-01',
        insideFrame: [
          'activity_ready_cash_benefit',
          'education_benefit_activity_ready',
          'revalidation',
          'sickness_benefit',
          'early_retirement_pension',
          'flex_job_benefit',
          'disability',
          'under_18',
          'unemployed_without_benefit',
          'psychiatric_discharge',
        ],
        outsideFrame: ['resource_course'],
        ratePercent: 50,
      },
    ],
    accountCodes: MENTOR_CHART_OF_ACCOUNTS,
    budgetGuaranteeLimit: null,
    ...COURSE_RULE_DEFAULTS,
  },
};

/** The 2016 regime from 2022: the same frame, without refund for persons in ressourceforløb. */
const REGIME_2022: RefundRegime = { ...DEFAULT_RULE_SET.values.refundRegimes[0], validFrom: '2022-01-01', outsideFrame: [] };

const NOTE_2016 = [
  'The merged refund frame of 2016 (the seeds’ regime): 50 % of approved expenses excl. VAT for the target groups inside the frame, capped by the year’s frame; ressourceforløb refunded outside the frame.',
  'No refund for insured unemployed and job-ready persons: the state has paid no refund for mentor expenses for persons under LAB § 2, nr. 1–2 (unemployment benefit, job-ready cash benefit) and employed persons since 1 January 2014, and mentor expenses for insured unemployed are booked on 5.68.90.018 from 2016 (until 2015 on 5.68.98.019). Source: STAR, Budget- og konteringsvejledning, “Spørgsmål og svar om budget og kontering for mentorordningen” (star.dk, updated 29-09-2020).',
  'Chart of accounts (function 5.68.90, dranst 1): 018 for insured unemployed is confirmed by that source; 095 (“Afløb, ressourceforløb, mentorudgifter efter kapitel 26 … med 50 pct. refusion”, activity before 1-1-2022) and 114 (“Ressourceforløb, mentorudgifter efter kapitel 26 … uden refusion fra 1/1-2022”) by STAR’s change note of 6 July 2021 to function 5.68.90 (Bedre ressourceforløb); 018 for job-ready persons is as the municipality’s brief states it and was not confirmed. No grouping for mentor expenses of the other target groups could be confirmed: they carry no account code until finance enters the grouping of the current guide.',
].join(' ');

const NOTE_2020 = 'The same refund rules under the 2020 act (lov om en aktiv beskæftigelsesindsats, chapter 26, §§ 167–171) as legal basis.';

const NOTE_2022 =
  'From 1 January 2022 no refund for mentor expenses for persons in ressourceforløb; their expenses are booked on 5.68.90.114, grouping 095 only for activity before 2022. Source: lov nr. 1160 af 8. juni 2021 (Bedre ressourceforløb m.v., bill L 209 2020-21), in force 1 January 2022; STAR, 5.68.90 Konteringsregler. The search confirmed the act and its date; the groupings’ numbers are as the brief states them.';

const NOTE_2026 =
  'From 2026 the municipality’s expenses for guidance, upskilling and mentor support count in the budget guarantee only up to a limit per full-time person in the target group (LAB § 203 a, chapter 33 a, bill L 77 2025-26, introduced 7 November 2025). The figure 10,602 kr. per full-time person (2026 level) is the consultation draft’s (BEU Alm.del 2024-25 Bilag 299, where it stands in brackets); the act as passed may set another figure: finance enters a new version if it does. Refund rules unchanged.';

/**
 * The shipped versions, each a refund regime as enacted with its source in the note: the seeds' 2016 frame,
 * the 2020 act's legal basis, no refund for ressourceforløb from 2022, and the budget-guarantee limit from 2026.
 */
export const DEFAULT_RULE_SET_VERSIONS: RuleSetVersion[] = [
  { ...DEFAULT_RULE_SET, note: NOTE_2016 },
  { effectiveFrom: '2020-01-01', values: { ...DEFAULT_RULE_SET.values, legalBasis: LBA_2020_LEGAL_BASIS }, note: NOTE_2020 },
  {
    effectiveFrom: '2022-01-01',
    values: { ...DEFAULT_RULE_SET.values, legalBasis: LBA_2020_LEGAL_BASIS, refundRegimes: [...DEFAULT_RULE_SET.values.refundRegimes, REGIME_2022] },
    note: NOTE_2022,
  },
  {
    effectiveFrom: '2026-01-01',
    values: {
      ...DEFAULT_RULE_SET.values,
      legalBasis: LBA_2020_LEGAL_BASIS,
      refundRegimes: [...DEFAULT_RULE_SET.values.refundRegimes, REGIME_2022],
      budgetGuaranteeLimit: { orePerFullTimePerson: 1_060_200, legalBasis: 'LAB § 203 a (L 77 2025-26)' },
    },
    note: NOTE_2026,
  },
];

/** The version with the latest effective date on or before `date`. */
export function ruleSetInForce<V extends RuleSetVersion>(versions: V[], date: CalendarDate): V {
  const inForce = versions
    .filter((version) => compareDates(version.effectiveFrom, date) <= 0)
    .reduce<V | null>((latest, version) => (latest === null || compareDates(version.effectiveFrom, latest.effectiveFrom) > 0 ? version : latest), null);
  // The date is the one a calculation concerns (a grant's start, an expense's date), which a user chose.
  if (inForce === null) throw new RuleError(RulesErrorCode.RuleSetInForce, `No rule set is in force on ${date}`, { values: { date } });
  return inForce;
}

/** The band of a service level, or null for a level the rule set does not know. */
export function serviceLevelBand(values: RuleSetValues, level: number): ServiceLevelBand | null {
  return values.serviceLevels.find((band) => band.level === level) ?? null;
}

export function isInBand(band: ServiceLevelBand, minutesPerWeek: number): boolean {
  const aboveMin = band.minMinutesExclusive === null ? minutesPerWeek >= 0 : minutesPerWeek > band.minMinutesExclusive;
  return aboveMin && (band.maxMinutes === null || minutesPerWeek <= band.maxMinutes);
}

/** e.g. 'more than 120 and at most 180 minutes', for messages. */
export function describeBand(band: ServiceLevelBand): string {
  const { minMinutesExclusive: min, maxMinutes: max } = band;
  if (min === null) return max === null ? 'any number of minutes' : `at most ${max} minutes`;
  return max === null ? `more than ${min} minutes` : `more than ${min} and at most ${max} minutes`;
}

/** The service level whose band holds these minutes per week, or null when none does. */
export function serviceLevelForMinutes(values: RuleSetValues, minutesPerWeek: number): number | null {
  return values.serviceLevels.find((band) => isInBand(band, minutesPerWeek))?.level ?? null;
}

interface Scoped {
  targetGroup: TargetGroup | null;
  mentorType: MentorType | null;
}

// A rule naming both fields is more specific than one naming one, which beats a catch-all.
function matchingBySpecificity<R extends Scoped>(rules: R[], targetGroup: TargetGroup, mentorType: MentorType): R[] {
  const matches = rules.filter(
    (rule) => (rule.targetGroup === null || rule.targetGroup === targetGroup) && (rule.mentorType === null || rule.mentorType === mentorType),
  );
  const specificity = (rule: R): number => (rule.targetGroup === null ? 0 : 1) + (rule.mentorType === null ? 0 : 1);
  const best = Math.max(-1, ...matches.map(specificity));
  return matches.filter((rule) => specificity(rule) === best);
}

/**
 * How often (in weeks) the mentor must at least meet the citizen, or null when no rule applies.
 * When a target-group rule and a mentor-type rule are equally specific, the more frequent contact wins,
 * since a minimum must satisfy both; a rule naming both overrides them.
 */
export function minimumContactEveryWeeks(values: RuleSetValues, targetGroup: TargetGroup, mentorType: MentorType): number | null {
  const best = matchingBySpecificity(values.minimumContact, targetGroup, mentorType);
  return best.length === 0 ? null : Math.min(...best.map((rule) => rule.everyWeeks));
}

/** A grouping's first and last day; null: from the start, or open. */
const startOf = (rule: AccountCodeRule): CalendarDate | null => rule.validFrom ?? null;
const endOf = (rule: AccountCodeRule): CalendarDate | null => rule.validTo ?? null;

/** Whether a dated grouping is valid on `date`. */
export function groupingValidOn(rule: AccountCodeRule, date: CalendarDate): boolean {
  const from = startOf(rule);
  const to = endOf(rule);
  return (from === null || compareDates(from, date) <= 0) && (to === null || compareDates(date, to) <= 0);
}

/**
 * The account code an expense is booked on, or null; on equally specific rules the one listed first wins.
 * With `date` (the expense's), only the groupings valid on that date count; without it, every grouping does.
 */
export function accountCodeFor(values: RuleSetValues, targetGroup: TargetGroup, mentorType: MentorType, date?: CalendarDate): string | null {
  return accountCodeRuleFor(values, targetGroup, mentorType, date)?.code ?? null;
}

/** The grouping an expense is booked on (code and title), or null. */
export function accountCodeRuleFor(values: RuleSetValues, targetGroup: TargetGroup, mentorType: MentorType, date?: CalendarDate): AccountCodeRule | null {
  const valid = date === undefined ? values.accountCodes : values.accountCodes.filter((rule) => groupingValidOn(rule, date));
  return matchingBySpecificity(valid, targetGroup, mentorType)[0] ?? null;
}

/** The first days on which a grouping starts or follows one that ended: the dates where booking may change. */
export function groupingChangeDates(values: RuleSetValues): CalendarDate[] {
  return values.accountCodes.flatMap((rule) => { const to = endOf(rule); return [startOf(rule), to === null ? null : addDays(to, 1)]; }).filter((date): date is CalendarDate => typeof date === 'string');
}

/** An account code as the finance system books it: the chart of accounts' function, grouping, dranst and art. */
export interface PostingAccount {
  /** The code as the statement holds it (from accountCodeFor), or null when no rule matched. */
  accountCode: string | null;
  /** The function of the chart of accounts: 5.68.90 (the employment effort). */
  functionCode: string;
  /** Grouping (gruppering) under the function; null when the code names none. */
  grouping: string | null;
  /** Dranst (driftsart/anlæg/status): 1 operations. */
  dranst: string | null;
  /** Art: the kind of expense, 4.0 services bought from others. */
  art: string;
}

/** Where a statement's VAT is booked (købsmoms, the municipalities' VAT refund scheme). */
export const VAT_POSTING_ACCOUNT: PostingAccount = { accountCode: null, functionCode: '7.65.87', grouping: null, dranst: '1', art: '4.0' };

const ACCOUNT_CODE_SHAPE = /^(\d\.\d{2}\.\d{2})\.(\d)-(\d{3})$/;

/**
 * The ONE place an account code becomes a posting: the posting export to the finance system reads every
 * account through this. The shipped codes are placeholders of the form '5.68.90.<dranst>-<grouping>'
 * (art 4.0); when the authorised chart of accounts replaces them, this function and the rule set's codes
 * change together, and nothing else. A code of another form is posted on function 5.68.90 with the code
 * itself as grouping, so nothing is lost; no code at all (no rule matched) leaves grouping and dranst empty
 * for finance to book.
 */
export function postingAccountOf(accountCode: string | null): PostingAccount {
  // No grouping known for the expense's target group: the operating dranst still, the grouping left to finance's rule set.
  if (accountCode === null) return { accountCode, functionCode: '5.68.90', grouping: null, dranst: '1', art: '4.0' };
  const match = ACCOUNT_CODE_SHAPE.exec(accountCode);
  if (!match) return { accountCode, functionCode: '5.68.90', grouping: accountCode, dranst: '1', art: '4.0' };
  return { accountCode, functionCode: match[1], grouping: match[3], dranst: match[2], art: '4.0' };
}

// ---- validation of an admin's edit ----

type Check = (values: RuleSetValues) => ErrorDetail[];

function isPositiveInteger(n: unknown): boolean {
  return Number.isSafeInteger(n) && (n as number) > 0;
}

function isNonNegativeInteger(n: unknown): boolean {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

function positive(field: keyof RuleSetValues & string, value: unknown): ErrorDetail[] {
  return isPositiveInteger(value)
    ? []
    : [{ field, rule: CommonErrorCode.PositiveInteger, message: `${field} must be a whole number above 0, got ${String(value)}` }];
}

function nonNegative(field: keyof RuleSetValues & string, value: unknown): ErrorDetail[] {
  return isNonNegativeInteger(value)
    ? []
    : [{ field, rule: CommonErrorCode.NonNegativeInteger, message: `${field} must be a whole number of 0 or more, got ${String(value)}` }];
}

const checkScalars: Check = (v) => [
  ...positive('maxPeriodMonths', v.maxPeriodMonths),
  ...nonNegative('maxExtensions', v.maxExtensions),
  ...positive('maxExtensionMonths', v.maxExtensionMonths),
  ...positive('level4MaxMonths', v.level4MaxMonths),
  ...positive('holisticPeriodMonths', v.holisticPeriodMonths),
  ...positive('followUpIntervalWeeks', v.followUpIntervalWeeks),
  ...nonNegative('evaluationLeadDays', v.evaluationLeadDays),
  ...positive('secondApproverThresholdOre', v.secondApproverThresholdOre),
  ...positive('paymentDueDays', v.paymentDueDays),
];

// Level 4 is a short, intensive spell inside an ordinary period, so it cannot outlast one.
const checkLevel4WithinPeriod: Check = (v) =>
  isPositiveInteger(v.level4MaxMonths) && isPositiveInteger(v.maxPeriodMonths) && v.level4MaxMonths > v.maxPeriodMonths
    ? [
        {
          field: 'level4MaxMonths',
          rule: RulesErrorCode.Level4WithinPeriod,
          message: `level4MaxMonths (${v.level4MaxMonths}) must not exceed maxPeriodMonths (${v.maxPeriodMonths})`,
          values: { level4MaxMonths: v.level4MaxMonths, maxPeriodMonths: v.maxPeriodMonths },
        },
      ]
    : [];

function checkBand(band: ServiceLevelBand, i: number, previous: ServiceLevelBand | undefined, isLast: boolean): ErrorDetail[] {
  const at = `serviceLevels[${i}]`;
  const errors: ErrorDetail[] = [];
  if (!isPositiveInteger(band.level)) {
    errors.push({ field: `${at}.level`, rule: CommonErrorCode.PositiveInteger, message: `${at}.level must be a whole number above 0, got ${band.level}` });
  } else if (previous !== undefined && band.level <= previous.level) {
    errors.push({
      field: `${at}.level`,
      rule: RulesErrorCode.BandOrder,
      message: `service level ${band.level} must come after level ${previous.level} in ascending order`,
      values: { level: band.level, previousLevel: previous.level },
    });
  }
  errors.push(...checkBandBounds(band, at, previous, isLast));
  return errors;
}

function checkBandBounds(band: ServiceLevelBand, at: string, previous: ServiceLevelBand | undefined, isLast: boolean): ErrorDetail[] {
  const { minMinutesExclusive: min, maxMinutes: max } = band;
  if (min !== null && !isNonNegativeInteger(min)) {
    const field = `${at}.minMinutesExclusive`;
    return [{ field, rule: CommonErrorCode.NonNegativeInteger, message: `${field} must be a whole number of 0 or more, got ${min}` }];
  }
  if (max !== null && !isPositiveInteger(max)) {
    return [{ field: `${at}.maxMinutes`, rule: CommonErrorCode.PositiveInteger, message: `${at}.maxMinutes must be a whole number above 0, got ${max}` }];
  }
  const errors: ErrorDetail[] = [];
  if (max !== null && min !== null && max <= min) {
    errors.push({
      field: `${at}.maxMinutes`,
      rule: RulesErrorCode.BandOrder,
      message: `service level ${band.level} must end (${max} minutes) above where it starts (more than ${min} minutes)`,
      values: { level: band.level, min, max },
    });
  }
  if (previous !== undefined && min !== previous.maxMinutes) {
    errors.push({
      field: `${at}.minMinutesExclusive`,
      rule: RulesErrorCode.BandContiguous,
      message: `service level ${band.level} must start where level ${previous.level} ends (${previous.maxMinutes ?? 'no upper bound'}), not at ${min ?? 0}`,
      values: { level: band.level, min, previousMax: previous.maxMinutes },
    });
  }
  if (max === null && !isLast) {
    errors.push({
      field: `${at}.maxMinutes`,
      rule: RulesErrorCode.BandOpenEnd,
      message: `only the last service level may have no upper bound; level ${band.level} is not last`,
    });
  }
  return errors;
}

const checkServiceLevels: Check = (v) => {
  if (v.serviceLevels.length === 0) {
    return [{ field: 'serviceLevels', rule: RulesErrorCode.BandMissing, message: 'at least one service level is needed' }];
  }
  return v.serviceLevels.flatMap((band, i) => checkBand(band, i, v.serviceLevels[i - 1], i === v.serviceLevels.length - 1));
};

function percentError(field: string, value: number): ErrorDetail[] {
  return Number.isSafeInteger(value) && value >= 0 && value <= 100
    ? []
    : [{ field, rule: RulesErrorCode.PercentRange, message: `${field} must be a whole percent from 0 to 100, got ${value}`, values: { percent: value } }];
}

const checkCeilingWarnings: Check = (v) =>
  v.ceilingWarningPercents.flatMap((percent, i) => {
    const field = `ceilingWarningPercents[${i}]`;
    const range = percentError(field, percent);
    if (range.length > 0) return range;
    const previous = v.ceilingWarningPercents[i - 1];
    return previous !== undefined && percent <= previous
      ? [{ field, rule: RulesErrorCode.Ascending, message: `ceiling warning ${percent} % must be above the previous one (${previous} %)`, values: { percent, previous } }]
      : [];
  });

function unknownTargetGroup(field: string, group: TargetGroup | null): ErrorDetail[] {
  return group === null || (TARGET_GROUPS as readonly string[]).includes(group)
    ? []
    : [{ field, rule: RulesErrorCode.TargetGroupKnown, message: `${field} '${group}' is not a known target group` }];
}

function unknownMentorType(field: string, type: MentorType | null): ErrorDetail[] {
  return type === null || (MENTOR_TYPES as readonly string[]).includes(type)
    ? []
    : [{ field, rule: RulesErrorCode.MentorTypeKnown, message: `${field} '${type}' is not a known mentor type` }];
}

// Two rules for the same target group and mentor type would leave the answer to list order.
function checkScopedRules<R extends Scoped>(list: R[], name: string, own: (rule: R, at: string) => ErrorDetail[]): ErrorDetail[] {
  return list.flatMap((rule, i) => {
    const at = `${name}[${i}]`;
    const duplicate = list.findIndex((other) => other.targetGroup === rule.targetGroup && other.mentorType === rule.mentorType) < i;
    return [
      ...unknownTargetGroup(`${at}.targetGroup`, rule.targetGroup),
      ...unknownMentorType(`${at}.mentorType`, rule.mentorType),
      ...own(rule, at),
      ...(duplicate
        ? [
            {
              field: at,
              rule: CommonErrorCode.Unique,
              message: `${name} has more than one rule for target group ${rule.targetGroup ?? 'any'} and mentor type ${rule.mentorType ?? 'any'}`,
            },
          ]
        : []),
    ];
  });
}

const checkMinimumContact: Check = (v) =>
  checkScopedRules(v.minimumContact, 'minimumContact', (rule, at) =>
    isPositiveInteger(rule.everyWeeks)
      ? []
      : [{ field: `${at}.everyWeeks`, rule: CommonErrorCode.PositiveInteger, message: `${at}.everyWeeks must be a whole number above 0, got ${rule.everyWeeks}` }],
  );

const checkAccountCodes: Check = (v) => [
  ...v.accountCodes.flatMap((rule, i) => {
    const at = `accountCodes[${i}]`;
    return [
      ...unknownTargetGroup(`${at}.targetGroup`, rule.targetGroup),
      ...unknownMentorType(`${at}.mentorType`, rule.mentorType),
      ...(typeof rule.code === 'string' && rule.code.trim() !== '' ? [] : [{ field: `${at}.code`, rule: CommonErrorCode.Required, message: `${at}.code must not be empty` }]),
      ...groupingDateProblems(rule, at),
    ];
  }),
  ...groupingSuccessionProblems(v.accountCodes),
];

function groupingDateProblems(rule: AccountCodeRule, at: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const key of ['validFrom', 'validTo'] as const) {
    const value = rule[key] ?? null;
    if (value !== null && !isCalendarDate(value)) problems.push({ field: `${at}.${key}`, rule: CommonErrorCode.CalendarDate, message: `${at}.${key} must be a date YYYY-MM-DD, got '${String(value)}'` });
  }
  const from = startOf(rule);
  const to = endOf(rule);
  if (problems.length === 0 && from !== null && to !== null && compareDates(to, from) < 0) {
    problems.push({ field: `${at}.validTo`, rule: CommonErrorCode.PeriodOrder, message: `grouping ${rule.code} ends on ${to}, before it starts on ${from}`, values: { validFrom: from, validTo: to } });
  }
  return problems;
}

const scopeOf = (rule: Scoped): string => `target group ${rule.targetGroup ?? 'any'} and mentor type ${rule.mentorType ?? 'any'}`;

/**
 * The groupings of one target group and mentor type must not overlap, and one that ends must have a
 * successor from the next day, so every expense date finds exactly one grouping.
 */
function groupingSuccessionProblems(rules: AccountCodeRule[]): ErrorDetail[] {
  const EARLIEST = '1900-01-01';
  const dated = (date: CalendarDate | null): boolean => date === null || isCalendarDate(date);
  const wellDated = rules.map((rule, index) => ({ rule, index, from: startOf(rule), to: endOf(rule) })).filter((entry) => dated(entry.from) && dated(entry.to));
  const byScope = new Map<string, typeof wellDated>();
  for (const entry of wellDated) byScope.set(scopeOf(entry.rule), [...(byScope.get(scopeOf(entry.rule)) ?? []), entry]);
  const problems: ErrorDetail[] = [];
  for (const [scope, entries] of byScope) {
    const sorted = [...entries].sort((a, b) => compareDates(a.from ?? EARLIEST, b.from ?? EARLIEST));
    sorted.forEach(({ rule, index, from, to }, i) => {
      const next = sorted[i + 1];
      if (next !== undefined && (to === null || compareDates(next.from ?? EARLIEST, to) <= 0)) {
        problems.push({
          field: `accountCodes[${next.index}].validFrom`,
          rule: RulesErrorCode.GroupingOverlap,
          message: `grouping ${next.rule.code} from ${next.from ?? 'the start'} overlaps grouping ${rule.code} (${from ?? 'the start'} to ${to ?? 'no end'}) for ${scope}`,
          values: { code: next.rule.code, validFrom: next.from, overlappedCode: rule.code, overlappedFrom: from, overlappedTo: to },
        });
      } else if (to !== null && (next === undefined || next.from !== addDays(to, 1))) {
        problems.push({
          field: `accountCodes[${index}].validTo`,
          rule: RulesErrorCode.GroupingSuccessor,
          message: `grouping ${rule.code} ends on ${to} with no successor from ${addDays(to, 1)} for ${scope}`,
          values: { code: rule.code, validTo: to, successorFrom: addDays(to, 1) },
        });
      }
    });
  }
  return problems;
}

const checkBudgetGuaranteeLimit: Check = (v) => {
  const limit = v.budgetGuaranteeLimit ?? null;
  if (limit === null) return [];
  const problems: ErrorDetail[] = [];
  if (!isPositiveInteger(limit.orePerFullTimePerson)) {
    problems.push({ field: 'budgetGuaranteeLimit.orePerFullTimePerson', rule: CommonErrorCode.PositiveInteger, message: `budgetGuaranteeLimit.orePerFullTimePerson must be a whole number of øre above 0, got ${String(limit.orePerFullTimePerson)}` });
  }
  if (typeof limit.legalBasis !== 'string' || limit.legalBasis.trim() === '') {
    problems.push({ field: 'budgetGuaranteeLimit.legalBasis', rule: CommonErrorCode.Required, message: 'budgetGuaranteeLimit.legalBasis must not be empty' });
  }
  return problems;
};

const checkLegalBasis: Check = (v) =>
  MENTOR_TYPES.flatMap((type) =>
    typeof v.legalBasis[type] === 'string' && v.legalBasis[type].trim() !== ''
      ? []
      : [{ field: `legalBasis.${type}`, rule: CommonErrorCode.Required, message: `the legal basis of mentor type ${type} must not be empty` }],
  );

function checkRegime(regime: RefundRegime, i: number, previous: RefundRegime | undefined): ErrorDetail[] {
  const at = `refundRegimes[${i}]`;
  const errors: ErrorDetail[] = [...percentError(`${at}.ratePercent`, regime.ratePercent)];
  if (!isCalendarDate(regime.validFrom)) {
    errors.push({ field: `${at}.validFrom`, rule: CommonErrorCode.CalendarDate, message: `${at}.validFrom must be a date YYYY-MM-DD, got '${regime.validFrom}'` });
  } else if (previous !== undefined && isCalendarDate(previous.validFrom) && compareDates(regime.validFrom, previous.validFrom) <= 0) {
    errors.push({
      field: `${at}.validFrom`,
      rule: RulesErrorCode.Ascending,
      message: `refund regime from ${regime.validFrom} must start after the previous one (${previous.validFrom})`,
      values: { validFrom: regime.validFrom, previousValidFrom: previous.validFrom },
    });
  }
  regime.insideFrame.forEach((group, g) => errors.push(...unknownTargetGroup(`${at}.insideFrame[${g}]`, group)));
  regime.outsideFrame.forEach((group, g) => errors.push(...unknownTargetGroup(`${at}.outsideFrame[${g}]`, group)));
  for (const group of regime.insideFrame.filter((g) => regime.outsideFrame.includes(g))) {
    errors.push({
      field: `${at}.outsideFrame`,
      rule: RulesErrorCode.RefundGroupTwice,
      message: `target group ${group} cannot be both inside and outside the frame from ${regime.validFrom}`,
    });
  }
  return errors;
}

const checkRefundRegimes: Check = (v) => v.refundRegimes.flatMap((regime, i) => checkRegime(regime, i, v.refundRegimes[i - 1]));

const checkCourseRules: Check = (v) => {
  const errors: ErrorDetail[] = [];
  for (const [type, reasons] of Object.entries(v.earlyEndReasons)) {
    errors.push(...unknownMentorType(`earlyEndReasons.${type}`, type as MentorType));
    if (!Array.isArray(reasons)) {
      errors.push({ field: `earlyEndReasons.${type}`, rule: CommonErrorCode.Required, message: `the early-end reasons of mentor type ${type} must be a list` });
      continue;
    }
    reasons.forEach((reason, i) => {
      if (!(EARLY_END_REASONS as readonly string[]).includes(reason)) errors.push({ field: `earlyEndReasons.${type}[${i}]`, rule: RulesErrorCode.EndReasonKnown, message: `'${reason}' is not a known reason to end a course early` });
    });
  }
  const e = v.eligibility;
  for (const [type, groups] of Object.entries(e.targetGroupsByMentorType)) {
    errors.push(...unknownMentorType(`eligibility.targetGroupsByMentorType.${type}`, type as MentorType));
    (groups ?? []).forEach((group, i) => errors.push(...unknownTargetGroup(`eligibility.targetGroupsByMentorType.${type}[${i}]`, group)));
  }
  e.educationOrderTargetGroups.forEach((group, i) => errors.push(...unknownTargetGroup(`eligibility.educationOrderTargetGroups[${i}]`, group)));
  for (const key of ['dischargeLeadMonths', 'dischargeMinMonths', 'educationOrderMonths'] as const) {
    if (!isPositiveInteger(e[key])) errors.push({ field: `eligibility.${key}`, rule: CommonErrorCode.PositiveInteger, message: `eligibility.${key} must be a whole number above 0, got ${String(e[key])}` });
  }
  v.silentGrantWeeks.forEach((rule, i) => {
    for (const key of ['contactEveryWeeks', 'weeks'] as const) {
      if (!isPositiveInteger(rule[key])) errors.push({ field: `silentGrantWeeks[${i}].${key}`, rule: CommonErrorCode.PositiveInteger, message: `silentGrantWeeks[${i}].${key} must be a whole number above 0, got ${String(rule[key])}` });
    }
  });
  return errors;
};

const CHECKS: Check[] = [
  checkServiceLevels,
  checkScalars,
  checkLevel4WithinPeriod,
  checkMinimumContact,
  checkLegalBasis,
  checkCeilingWarnings,
  checkRefundRegimes,
  checkAccountCodes,
  checkBudgetGuaranteeLimit,
  checkCourseRules,
];

/** Everything wrong with an admin's rule-set edit; empty when it may be saved. */
export function validateRuleSetValues(values: RuleSetValues): ErrorDetail[] {
  return CHECKS.flatMap((check) => check(values));
}

const kindOf = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/**
 * Problems with the top-level shape of submitted rule-set values (every key of
 * the shipped values, of the same kind, no others), so that malformed input is
 * answered before the coherence checks, which expect well-formed values.
 */
export function ruleSetShapeProblems(values: Record<string, unknown>): ErrorDetail[] {
  const template = DEFAULT_RULE_SET.values as unknown as Record<string, unknown>;
  const problems: ErrorDetail[] = [];
  for (const [key, expected] of Object.entries(template)) {
    // An optional part (null in the shipped 2016 values) may be left out, null or an object.
    if (expected === null) {
      if (key in values && values[key] !== null && kindOf(values[key]) !== 'object') problems.push({ field: `values.${key}`, rule: CommonErrorCode.Type, message: `values.${key} must be of type object or null` });
      continue;
    }
    // A version may leave out the course rules: it takes the defaults (withCourseDefaults).
    if (!(key in values) && (COURSE_RULE_KEYS as string[]).includes(key)) continue;
    if (!(key in values)) problems.push({ field: `values.${key}`, rule: CommonErrorCode.Required, message: `values.${key} is required` });
    else if (kindOf(values[key]) !== kindOf(expected)) problems.push({ field: `values.${key}`, rule: CommonErrorCode.Type, message: `values.${key} must be of type ${kindOf(expected)}` });
  }
  for (const key of Object.keys(values)) {
    if (!(key in template)) problems.push({ field: `values.${key}`, rule: CommonErrorCode.UnknownField, message: `values.${key} is not an accepted field` });
  }
  if (problems.length > 0) return problems;
  try {
    validateRuleSetValues(withCourseDefaults(values as unknown as RuleSetValues));
    return [];
  } catch {
    // Right keys and kinds, but deeper structure the coherence checks cannot read.
    return [{ field: 'values', rule: RulesErrorCode.RuleSetShape, message: 'values does not have the shape of a rule set' }];
  }
}

/** The values with the course rules a version entered before they existed lacks, taken from the defaults. */
export function withCourseDefaults(values: Partial<CourseRuleValues> & Omit<RuleSetValues, keyof CourseRuleValues>): RuleSetValues {
  return { ...COURSE_RULE_DEFAULTS, ...values };
}
