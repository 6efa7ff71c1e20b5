import {
  accountCodeFor,
  ruleSetShapeProblems,
  DEFAULT_RULE_SET,
  DEFAULT_RULE_SET_VERSIONS,
  describeBand,
  isInBand,
  MENTOR_TYPES,
  minimumContactEveryWeeks,
  RuleSetValues,
  RuleSetVersion,
  ruleSetInForce,
  serviceLevelBand,
  serviceLevelForMinutes,
  TARGET_GROUPS,
  TargetGroup,
  validateRuleSetValues,
  withCourseDefaults,
} from './rule-set';

const defaults = DEFAULT_RULE_SET.values;

function withValues(patch: Partial<RuleSetValues>): RuleSetValues {
  return { ...defaults, ...patch };
}

describe('the code lists', () => {
  it('has the five mentor types of DESIGN.md', () => {
    expect(MENTOR_TYPES).toEqual(['retention', 'company', 'holistic', 'discharge', 'release']);
  });

  it('has 22 target groups, each once: the integration target groups (§ 23 d) and single parents with an education order among them', () => {
    expect(TARGET_GROUPS).toHaveLength(22);
    expect(new Set(TARGET_GROUPS).size).toBe(22);
  });
});

describe('DEFAULT_RULE_SET', () => {
  it('holds Gribskov’s numbers', () => {
    expect(DEFAULT_RULE_SET.effectiveFrom).toBe('2016-01-01');
    expect(defaults).toMatchObject({
      maxPeriodMonths: 6,
      maxExtensions: 1,
      maxExtensionMonths: 6,
      level4MaxMonths: 3,
      holisticPeriodMonths: 6,
      followUpIntervalWeeks: 13,
      evaluationLeadDays: 14,
      ceilingWarningPercents: [80, 90],
      secondApproverThresholdOre: 5_000_000,
      paymentDueDays: 30,
    });
  });

  it('is valid, and so is the 2020 version', () => {
    expect(validateRuleSetValues(defaults)).toEqual([]);
    expect(validateRuleSetValues(DEFAULT_RULE_SET_VERSIONS[1].values)).toEqual([]);
  });

  it('ships the seeds’ refund regime: 50 % inside the frame, resource courses outside, nothing for the rest', () => {
    const [regime] = defaults.refundRegimes;
    expect(regime.ratePercent).toBe(50);
    expect(regime.outsideFrame).toEqual(['resource_course']);
    expect(regime.insideFrame).toHaveLength(10);
    const refunded = new Set<TargetGroup>([...regime.insideFrame, ...regime.outsideFrame]);
    const notRefunded = TARGET_GROUPS.filter((group) => !refunded.has(group));
    expect(notRefunded).toEqual([
      'job_ready_cash_benefit',
      'education_benefit_job_ready',
      'unemployment_benefit',
      'prison_release',
      'employed',
      'ordinary_education',
      'other',
      // Added with the integration target groups and single parents with an education order; the seeds' refund regime names neither.
      'integration_benefit_activity_ready',
      'integration_benefit_job_ready',
      'integration_programme',
      'single_parent_education_order',
    ]);
  });

  it('labels the legal basis by the act in force', () => {
    expect(ruleSetInForce(DEFAULT_RULE_SET_VERSIONS, '2019-12-31').values.legalBasis.holistic).toBe('LAB § 31 b, jf. §§ 93 og 96 c (ret og pligt)');
    expect(ruleSetInForce(DEFAULT_RULE_SET_VERSIONS, '2020-01-01').values.legalBasis.retention).toBe('LBA kap. 26, §§ 167–171');
  });
});

describe('ruleSetInForce', () => {
  const version = (effectiveFrom: string, maxPeriodMonths: number): RuleSetVersion => ({
    effectiveFrom,
    values: withValues({ maxPeriodMonths }),
  });
  const versions = [version('2027-07-01', 12), version('2016-01-01', 6), version('2024-01-01', 9)];

  it('takes the latest version effective on or before the date, whatever the list order', () => {
    expect(ruleSetInForce(versions, '2016-01-01').values.maxPeriodMonths).toBe(6);
    expect(ruleSetInForce(versions, '2023-12-31').values.maxPeriodMonths).toBe(6);
    expect(ruleSetInForce(versions, '2024-01-01').values.maxPeriodMonths).toBe(9);
    expect(ruleSetInForce(versions, '2027-06-30').values.maxPeriodMonths).toBe(9);
    expect(ruleSetInForce(versions, '2027-07-01').values.maxPeriodMonths).toBe(12);
    expect(ruleSetInForce(versions, '2099-01-01').effectiveFrom).toBe('2027-07-01');
  });

  it('throws when no version is in force yet', () => {
    expect(() => ruleSetInForce(versions, '2015-12-31')).toThrow('No rule set is in force on 2015-12-31');
    expect(() => ruleSetInForce([], '2026-01-01')).toThrow('No rule set is in force on 2026-01-01');
    expect(() => ruleSetInForce(versions, '2015-12-31')).toThrow(expect.objectContaining({ code: 'rule_set_in_force', values: { date: '2015-12-31' } }));
  });
});

describe('service levels', () => {
  it.each([
    [0, null],
    [-30, null],
    [1, 1],
    [90, 1],
    [120, 1],
    [121, 2],
    [180, 2],
    [181, 3],
    [240, 3],
    [241, 4],
    [480, 4],
    [10_080, 4],
  ])('%i minutes a week is level %p', (minutes, level) => {
    expect(serviceLevelForMinutes(defaults, minutes)).toBe(level);
  });

  it('finds a band by level', () => {
    expect(serviceLevelBand(defaults, 2)).toEqual({ level: 2, minMinutesExclusive: 120, maxMinutes: 180 });
    expect(serviceLevelBand(defaults, 5)).toBeNull();
  });

  it('reads a null lower bound as “from 0 minutes”', () => {
    const band = { level: 1, minMinutesExclusive: null, maxMinutes: 60 };
    expect([isInBand(band, 0), isInBand(band, 60), isInBand(band, 61), isInBand(band, -1)]).toEqual([true, true, false, false]);
  });

  it('describes bands in words', () => {
    expect(defaults.serviceLevels.map(describeBand)).toEqual([
      'more than 0 and at most 120 minutes',
      'more than 120 and at most 180 minutes',
      'more than 180 and at most 240 minutes',
      'more than 240 minutes',
    ]);
    expect(describeBand({ level: 1, minMinutesExclusive: null, maxMinutes: 60 })).toBe('at most 60 minutes');
    expect(describeBand({ level: 1, minMinutesExclusive: null, maxMinutes: null })).toBe('any number of minutes');
  });
});

describe('minimumContactEveryWeeks', () => {
  it('is weekly for activity-ready cash benefit and every other week for a holistic mentor', () => {
    expect(minimumContactEveryWeeks(defaults, 'activity_ready_cash_benefit', 'retention')).toBe(1);
    expect(minimumContactEveryWeeks(defaults, 'education_benefit_activity_ready', 'holistic')).toBe(2);
  });

  it('is null when no rule applies', () => {
    expect(minimumContactEveryWeeks(defaults, 'employed', 'company')).toBeNull();
    expect(minimumContactEveryWeeks(withValues({ minimumContact: [] }), 'activity_ready_cash_benefit', 'holistic')).toBeNull();
  });

  it('lets the more frequent contact win between a target-group rule and a mentor-type rule', () => {
    expect(minimumContactEveryWeeks(defaults, 'activity_ready_cash_benefit', 'holistic')).toBe(1);
  });

  it('lets a rule naming both beat rules naming one, and those beat a catch-all', () => {
    const values = withValues({
      minimumContact: [
        { targetGroup: null, mentorType: null, everyWeeks: 4 },
        { targetGroup: 'activity_ready_cash_benefit', mentorType: null, everyWeeks: 1 },
        { targetGroup: null, mentorType: 'holistic', everyWeeks: 2 },
        { targetGroup: 'activity_ready_cash_benefit', mentorType: 'holistic', everyWeeks: 3 },
      ],
    });
    expect(minimumContactEveryWeeks(values, 'activity_ready_cash_benefit', 'holistic')).toBe(3);
    expect(minimumContactEveryWeeks(values, 'activity_ready_cash_benefit', 'company')).toBe(1);
    expect(minimumContactEveryWeeks(values, 'sickness_benefit', 'holistic')).toBe(2);
    expect(minimumContactEveryWeeks(values, 'employed', 'retention')).toBe(4);
  });
});

describe('accountCodeFor', () => {
  const example = withValues({
    accountCodes: [
      { mentorType: null, targetGroup: null, code: 'A-001' },
      { mentorType: 'company', targetGroup: null, code: 'A-002' },
      { mentorType: null, targetGroup: 'resource_course', code: 'A-006' },
    ],
  });

  it('books by mentor type, by target group, or on the catch-all', () => {
    expect(accountCodeFor(example, 'employed', 'company')).toBe('A-002');
    expect(accountCodeFor(example, 'resource_course', 'retention')).toBe('A-006');
    expect(accountCodeFor(example, 'sickness_benefit', 'retention')).toBe('A-001');
  });

  it('takes the rule listed first when two are equally specific', () => {
    expect(accountCodeFor(example, 'resource_course', 'company')).toBe('A-002');
  });

  it('is null with no matching rule', () => {
    expect(accountCodeFor(withValues({ accountCodes: [] }), 'employed', 'company')).toBeNull();
  });
});

describe('the authorised chart of accounts (5.68.90, dranst 1)', () => {
  it('books insured unemployed and job-ready persons on 018 from 2016', () => {
    expect(accountCodeFor(defaults, 'unemployment_benefit', 'retention', '2016-01-01')).toBe('5.68.90.1-018');
    expect(accountCodeFor(defaults, 'job_ready_cash_benefit', 'holistic', '2026-06-30')).toBe('5.68.90.1-018');
  });

  it('books ressourceforløb on 095 to 31 December 2021 and on 114 from 1 January 2022', () => {
    expect(accountCodeFor(defaults, 'resource_course', 'retention', '2021-12-31')).toBe('5.68.90.1-095');
    expect(accountCodeFor(defaults, 'resource_course', 'retention', '2022-01-01')).toBe('5.68.90.1-114');
  });

  it('has no grouping for target groups whose grouping could not be confirmed, and no placeholder left', () => {
    expect(accountCodeFor(defaults, 'activity_ready_cash_benefit', 'retention', '2026-01-01')).toBeNull();
    for (const version of DEFAULT_RULE_SET_VERSIONS) expect(version.values.accountCodes.map((rule) => rule.code)).not.toContain('5.68.90.1-001');
  });

  it('names its source in every shipped version’s note, each version valid', () => {
    expect(DEFAULT_RULE_SET_VERSIONS.map((version) => version.effectiveFrom)).toEqual(['2016-01-01', '2020-01-01', '2022-01-01', '2026-01-01']);
    for (const version of DEFAULT_RULE_SET_VERSIONS) {
      expect(validateRuleSetValues(version.values)).toEqual([]);
      expect(version.note).toMatch(/Source|source|LAB § 203 a|act/);
    }
    expect(DEFAULT_RULE_SET_VERSIONS[0].note).toContain('star.dk');
    expect(DEFAULT_RULE_SET_VERSIONS[2].note).toContain('lov nr. 1160 af 8. juni 2021');
    expect(DEFAULT_RULE_SET_VERSIONS[3].note).toContain('L 77 2025-26');
    expect(DEFAULT_RULE_SET_VERSIONS[3].values.budgetGuaranteeLimit).toEqual({ orePerFullTimePerson: 1_060_200, legalBasis: 'LAB § 203 a (L 77 2025-26)' });
  });
});

describe('validateRuleSetValues', () => {
  const rules = (values: RuleSetValues): string[] => validateRuleSetValues(values).map((d) => `${d.field}:${d.rule}`);

  it('refuses a gap between bands', () => {
    const serviceLevels = [
      { level: 1, minMinutesExclusive: 0, maxMinutes: 120 },
      { level: 2, minMinutesExclusive: 150, maxMinutes: 180 },
    ];
    expect(validateRuleSetValues(withValues({ serviceLevels }))).toEqual([
      {
        field: 'serviceLevels[1].minMinutesExclusive',
        rule: 'band_contiguous',
        message: 'service level 2 must start where level 1 ends (120), not at 150',
        values: { level: 2, min: 150, previousMax: 120 },
      },
    ]);
  });

  it('refuses bands out of order and a band ending below its start', () => {
    const serviceLevels = [
      { level: 2, minMinutesExclusive: 0, maxMinutes: 120 },
      { level: 1, minMinutesExclusive: 120, maxMinutes: 100 },
    ];
    expect(validateRuleSetValues(withValues({ serviceLevels }))).toEqual([
      {
        field: 'serviceLevels[1].level',
        rule: 'band_order',
        message: 'service level 1 must come after level 2 in ascending order',
        values: { level: 1, previousLevel: 2 },
      },
      {
        field: 'serviceLevels[1].maxMinutes',
        rule: 'band_order',
        message: 'service level 1 must end (100 minutes) above where it starts (more than 120 minutes)',
        values: { level: 1, min: 120, max: 100 },
      },
    ]);
  });

  it('allows an open upper bound only on the last band', () => {
    const serviceLevels = [
      { level: 1, minMinutesExclusive: 0, maxMinutes: null },
      { level: 2, minMinutesExclusive: null, maxMinutes: 180 },
    ];
    expect(rules(withValues({ serviceLevels }))).toEqual(['serviceLevels[0].maxMinutes:band_open_end']);
  });

  it('needs at least one band, and whole non-negative minutes', () => {
    expect(rules(withValues({ serviceLevels: [] }))).toEqual(['serviceLevels:band_missing']);
    expect(rules(withValues({ serviceLevels: [{ level: 1, minMinutesExclusive: -1, maxMinutes: 60 }] }))).toEqual([
      'serviceLevels[0].minMinutesExclusive:non_negative_integer',
    ]);
    expect(rules(withValues({ serviceLevels: [{ level: 1, minMinutesExclusive: 0, maxMinutes: 90.5 }] }))).toEqual([
      'serviceLevels[0].maxMinutes:positive_integer',
    ]);
    expect(rules(withValues({ serviceLevels: [{ level: 0, minMinutesExclusive: 0, maxMinutes: 90 }] }))).toEqual([
      'serviceLevels[0].level:positive_integer',
    ]);
  });

  it('refuses zero, negative and fractional counts', () => {
    const values = withValues({
      maxPeriodMonths: 0,
      maxExtensions: -1,
      maxExtensionMonths: 1.5,
      level4MaxMonths: -3,
      holisticPeriodMonths: 0,
      followUpIntervalWeeks: 0,
      evaluationLeadDays: -14,
      secondApproverThresholdOre: 0,
      paymentDueDays: 0,
    });
    expect(rules(values)).toEqual([
      'maxPeriodMonths:positive_integer',
      'maxExtensions:non_negative_integer',
      'maxExtensionMonths:positive_integer',
      'level4MaxMonths:positive_integer',
      'holisticPeriodMonths:positive_integer',
      'followUpIntervalWeeks:positive_integer',
      'evaluationLeadDays:non_negative_integer',
      'secondApproverThresholdOre:positive_integer',
      'paymentDueDays:positive_integer',
    ]);
    expect(validateRuleSetValues(withValues({ maxPeriodMonths: 0 }))[0].message).toBe('maxPeriodMonths must be a whole number above 0, got 0');
  });

  it('allows no extensions and an evaluation on the last day', () => {
    expect(validateRuleSetValues(withValues({ maxExtensions: 0, evaluationLeadDays: 0 }))).toEqual([]);
  });

  it('keeps level 4 inside an ordinary period', () => {
    expect(validateRuleSetValues(withValues({ level4MaxMonths: 7 }))).toEqual([
      {
        field: 'level4MaxMonths',
        rule: 'level4_within_period',
        message: 'level4MaxMonths (7) must not exceed maxPeriodMonths (6)',
        values: { level4MaxMonths: 7, maxPeriodMonths: 6 },
      },
    ]);
  });

  it('keeps ceiling warnings whole, within 0–100 % and ascending', () => {
    expect(rules(withValues({ ceilingWarningPercents: [90, 80] }))).toEqual(['ceilingWarningPercents[1]:ascending']);
    expect(rules(withValues({ ceilingWarningPercents: [80, 101] }))).toEqual(['ceilingWarningPercents[1]:percent_range']);
    expect(rules(withValues({ ceilingWarningPercents: [-1, 80.5] }))).toEqual([
      'ceilingWarningPercents[0]:percent_range',
      'ceilingWarningPercents[1]:percent_range',
    ]);
    expect(validateRuleSetValues(withValues({ ceilingWarningPercents: [90, 90] }))[0].message).toBe(
      'ceiling warning 90 % must be above the previous one (90 %)',
    );
  });

  it('checks minimum-contact rules', () => {
    const minimumContact = [
      { targetGroup: 'activity_ready_cash_benefit' as const, mentorType: null, everyWeeks: 1 },
      { targetGroup: 'activity_ready_cash_benefit' as const, mentorType: null, everyWeeks: 2 },
      { targetGroup: 'pensioner' as TargetGroup, mentorType: 'coach' as 'holistic', everyWeeks: 0 },
    ];
    expect(rules(withValues({ minimumContact }))).toEqual([
      'minimumContact[1]:unique',
      'minimumContact[2].targetGroup:target_group_known',
      'minimumContact[2].mentorType:mentor_type_known',
      'minimumContact[2].everyWeeks:positive_integer',
    ]);
  });

  it('needs a legal basis for every mentor type', () => {
    const legalBasis = { ...defaults.legalBasis, discharge: ' ' };
    expect(validateRuleSetValues(withValues({ legalBasis }))).toEqual([
      { field: 'legalBasis.discharge', rule: 'required', message: 'the legal basis of mentor type discharge must not be empty' },
    ]);
  });

  it('checks refund regimes: dates ascending, percent range, no group both inside and outside', () => {
    const refundRegimes = [
      { validFrom: '2019-01-01', insideFrame: ['unemployment_benefit' as const], outsideFrame: [], ratePercent: 50 },
      { validFrom: '2016-01-01', insideFrame: ['resource_course' as const], outsideFrame: ['resource_course' as const], ratePercent: 150 },
      { validFrom: '2022-02-30', insideFrame: [], outsideFrame: ['pensioner' as TargetGroup], ratePercent: 0 },
    ];
    expect(validateRuleSetValues(withValues({ refundRegimes }))).toEqual([
      {
        field: 'refundRegimes[1].ratePercent',
        rule: 'percent_range',
        message: 'refundRegimes[1].ratePercent must be a whole percent from 0 to 100, got 150',
        values: { percent: 150 },
      },
      {
        field: 'refundRegimes[1].validFrom',
        rule: 'ascending',
        message: 'refund regime from 2016-01-01 must start after the previous one (2019-01-01)',
        values: { validFrom: '2016-01-01', previousValidFrom: '2019-01-01' },
      },
      {
        field: 'refundRegimes[1].outsideFrame',
        rule: 'refund_group_twice',
        message: 'target group resource_course cannot be both inside and outside the frame from 2016-01-01',
      },
      {
        field: 'refundRegimes[2].validFrom',
        rule: 'calendar_date',
        message: "refundRegimes[2].validFrom must be a date YYYY-MM-DD, got '2022-02-30'",
      },
      {
        field: 'refundRegimes[2].outsideFrame[0]',
        rule: 'target_group_known',
        message: "refundRegimes[2].outsideFrame[0] 'pensioner' is not a known target group",
      },
    ]);
  });

  it('checks account codes', () => {
    const accountCodes = [
      { mentorType: null, targetGroup: null, code: '5.68.90.1-001' },
      { mentorType: 'company' as const, targetGroup: null, code: '' },
    ];
    expect(validateRuleSetValues(withValues({ accountCodes }))).toEqual([{ field: 'accountCodes[1].code', rule: 'required', message: 'accountCodes[1].code must not be empty' }]);
  });

  it('refuses groupings of one target group and mentor type that overlap, naming the dates', () => {
    const accountCodes = [
      { mentorType: null, targetGroup: 'resource_course' as const, code: '5.68.90.1-095', validFrom: null, validTo: '2021-12-31' },
      { mentorType: null, targetGroup: 'resource_course' as const, code: '5.68.90.1-114', validFrom: '2021-12-01', validTo: null },
    ];
    expect(validateRuleSetValues(withValues({ accountCodes }))).toEqual([
      {
        field: 'accountCodes[1].validFrom',
        rule: 'grouping_overlap',
        message: 'grouping 5.68.90.1-114 from 2021-12-01 overlaps grouping 5.68.90.1-095 (the start to 2021-12-31) for target group resource_course and mentor type any',
        values: { code: '5.68.90.1-114', validFrom: '2021-12-01', overlappedCode: '5.68.90.1-095', overlappedFrom: null, overlappedTo: '2021-12-31' },
      },
    ]);
  });

  it('refuses a grouping that ends with no successor from the next day, naming the dates', () => {
    const ends = { mentorType: null, targetGroup: 'resource_course' as const, code: '5.68.90.1-095', validFrom: null, validTo: '2021-12-31' };
    const gap = { mentorType: null, targetGroup: 'resource_course' as const, code: '5.68.90.1-114', validFrom: '2022-01-02', validTo: null };
    const message = 'grouping 5.68.90.1-095 ends on 2021-12-31 with no successor from 2022-01-01 for target group resource_course and mentor type any';
    const detail = { field: 'accountCodes[0].validTo', rule: 'grouping_successor', message, values: { code: '5.68.90.1-095', validTo: '2021-12-31', successorFrom: '2022-01-01' } };
    expect(validateRuleSetValues(withValues({ accountCodes: [ends] }))).toEqual([detail]);
    expect(validateRuleSetValues(withValues({ accountCodes: [ends, gap] }))).toEqual([detail]);
    expect(validateRuleSetValues(withValues({ accountCodes: [ends, { ...gap, validFrom: '2022-01-01' }] }))).toEqual([]);
  });

  it('refuses a grouping that ends before it starts, and a budget-guarantee limit that is not whole øre', () => {
    const accountCodes = [{ mentorType: null, targetGroup: null, code: 'X', validFrom: '2022-01-01', validTo: '2021-12-31' }];
    expect(validateRuleSetValues(withValues({ accountCodes })).map((d) => d.rule)).toEqual(['period_order', 'grouping_successor']);
    expect(validateRuleSetValues(withValues({ budgetGuaranteeLimit: { orePerFullTimePerson: 10_602.5, legalBasis: ' ' } }))).toEqual([
      { field: 'budgetGuaranteeLimit.orePerFullTimePerson', rule: 'positive_integer', message: 'budgetGuaranteeLimit.orePerFullTimePerson must be a whole number of øre above 0, got 10602.5' },
      { field: 'budgetGuaranteeLimit.legalBasis', rule: 'required', message: 'budgetGuaranteeLimit.legalBasis must not be empty' },
    ]);
  });
});

describe('ruleSetShapeProblems', () => {
  const shipped = DEFAULT_RULE_SET.values as unknown as Record<string, unknown>;

  it('accepts the shipped values', () => {
    expect(ruleSetShapeProblems({ ...shipped })).toEqual([]);
  });
  it('names missing, wrongly typed and unknown keys', () => {
    const { maxPeriodMonths: _dropped, ...rest } = shipped;
    const problems = ruleSetShapeProblems({ ...rest, serviceLevels: 'four', extra: 1 });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(expect.arrayContaining([
      { field: 'values.maxPeriodMonths', rule: 'required', message: 'values.maxPeriodMonths is required' },
      { field: 'values.serviceLevels', rule: 'type', message: 'values.serviceLevels must be of type array' },
      { field: 'values.extra', rule: 'unknown_field', message: 'values.extra is not an accepted field' },
    ]));
  });
  it('answers structure the coherence checks cannot read as one shape problem', () => {
    expect(ruleSetShapeProblems({ ...shipped, serviceLevels: [null] })).toEqual([{ field: 'values', rule: 'rule_set_shape', message: 'values does not have the shape of a rule set' }]);
  });
});

describe('the course rules in the rule set', () => {
  const shipped = DEFAULT_RULE_SET.values as unknown as Record<string, unknown>;

  it('accepts a version entered before the course rules existed, which takes their defaults', () => {
    const { earlyEndReasons: _e, eligibility: _g, silentGrantWeeks: _s, ...older } = shipped;
    expect(ruleSetShapeProblems(older)).toEqual([]);
    const values = withCourseDefaults(older as unknown as Parameters<typeof withCourseDefaults>[0]);
    expect(values.earlyEndReasons).toEqual({ holistic: ['ready_for_active_offer', 'left_target_group'] });
    expect(values.eligibility.dischargeLeadMonths).toBe(3);
    expect(values.silentGrantWeeks).toEqual([{ contactEveryWeeks: 1, weeks: 2 }, { contactEveryWeeks: 2, weeks: 3 }]);
  });

  it('names an unknown end reason, target group or a weeks value that is not a whole number above 0', () => {
    const values = {
      ...DEFAULT_RULE_SET.values,
      earlyEndReasons: { holistic: ['bored'] },
      eligibility: { ...DEFAULT_RULE_SET.values.eligibility, targetGroupsByMentorType: { holistic: ['pirates'] } },
      silentGrantWeeks: [{ contactEveryWeeks: 1, weeks: 0 }],
    } as unknown as RuleSetValues;
    expect(validateRuleSetValues(values)).toEqual([
      expect.objectContaining({ field: 'earlyEndReasons.holistic[0]', rule: 'end_reason_known' }),
      expect.objectContaining({ field: 'eligibility.targetGroupsByMentorType.holistic[0]', rule: 'target_group_known' }),
      expect.objectContaining({ field: 'silentGrantWeeks[0].weeks', rule: 'positive_integer' }),
    ]);
  });
});
