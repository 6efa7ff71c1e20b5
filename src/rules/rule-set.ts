import { ErrorDetail } from '../common/errors/domain.exception';
import { CalendarDate, compareDates, isCalendarDate } from '../common/time/calendar-date';
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

/** Where an expense is booked; null mentor type or target group matches any. */
export interface AccountCodeRule {
  mentorType: MentorType | null;
  targetGroup: TargetGroup | null;
  code: string;
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
  /** An invoice above this total (øre, incl. VAT) needs a second approver. */
  secondApproverThresholdOre: number;
  paymentDueDays: number;
  refundRegimes: RefundRegime[];
  accountCodes: AccountCodeRule[];
}

export interface RuleSetVersion {
  effectiveFrom: CalendarDate;
  values: RuleSetValues;
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
    // Example codes in the municipal chart of accounts: function 5.68.90 (the employment effort),
    // '.<dranst>-<grouping>'. Each municipality replaces them with its own.
    accountCodes: [
      { mentorType: null, targetGroup: null, code: '5.68.90.1-001' },
      { mentorType: 'company', targetGroup: null, code: '5.68.90.1-002' },
      { mentorType: 'holistic', targetGroup: null, code: '5.68.90.1-003' },
      { mentorType: 'discharge', targetGroup: null, code: '5.68.90.1-004' },
      { mentorType: 'release', targetGroup: null, code: '5.68.90.1-005' },
      { mentorType: null, targetGroup: 'resource_course', code: '5.68.90.1-006' },
    ],
    ...COURSE_RULE_DEFAULTS,
  },
};

/** The shipped versions: the seeds' rules, and the same rules under the 2020 act's legal basis. */
export const DEFAULT_RULE_SET_VERSIONS: RuleSetVersion[] = [
  DEFAULT_RULE_SET,
  { effectiveFrom: '2020-01-01', values: { ...DEFAULT_RULE_SET.values, legalBasis: LBA_2020_LEGAL_BASIS } },
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

/** The account code an expense is booked on, or null; on equally specific rules the one listed first wins. */
export function accountCodeFor(values: RuleSetValues, targetGroup: TargetGroup, mentorType: MentorType): string | null {
  return matchingBySpecificity(values.accountCodes, targetGroup, mentorType)[0]?.code ?? null;
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

const checkAccountCodes: Check = (v) =>
  checkScopedRules(v.accountCodes, 'accountCodes', (rule, at) =>
    typeof rule.code === 'string' && rule.code.trim() !== ''
      ? []
      : [{ field: `${at}.code`, rule: CommonErrorCode.Required, message: `${at}.code must not be empty` }],
  );

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
