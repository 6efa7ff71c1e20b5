import { DEFAULT_RULE_SET, RuleSetValues, RuleSetVersion, ruleSetInForce } from '../rules/rule-set';
import {
  activeFromOnApproval,
  approvalStateProblem,
  AgreementCover,
  checkApproval,
  checkExtension,
  checkGrantTerms,
  compareOpenTasks,
  courseTasks,
  dueTasks,
  GRANT_TRANSITIONS,
  GrantForExtension,
  GrantTermsInput,
  firstOpenTaskDue,
  grantTransitionProblem,
  latestPeriodEnd,
  openTasks,
  taskState,
} from './grant.rules';

const ruleSet = DEFAULT_RULE_SET.values;

const agreement: AgreementCover = {
  validFrom: '2020-01-01',
  validTo: null,
  mentorTypes: ['retention', 'company', 'holistic', 'discharge', 'release'],
};

function terms(patch: Partial<GrantTermsInput> = {}): GrantTermsInput {
  return { ruleSet, mentorType: 'retention', serviceLevel: 1, minutesPerWeek: 90, start: '2026-01-01', end: '2026-06-30', agreement, ...patch };
}

const rulesOf = (details: { rule: string }[]): string[] => details.map((d) => d.rule);

describe('latestPeriodEnd', () => {
  it('is the day before the same date n months later', () => {
    expect(latestPeriodEnd('2026-01-01', 6)).toBe('2026-06-30');
    expect(latestPeriodEnd('2026-01-15', 3)).toBe('2026-04-14');
    expect(latestPeriodEnd('2024-02-29', 6)).toBe('2024-08-28');
    expect(latestPeriodEnd('2026-07-01', 6)).toBe('2026-12-31');
  });

  it('ends a day before a clamped month end (a start on the 29th–31st into February)', () => {
    expect(latestPeriodEnd('2024-08-31', 6)).toBe('2025-02-27');
    expect(latestPeriodEnd('2025-09-01', 6)).toBe('2026-02-28');
  });
});

describe('checkGrantTerms: hours per week', () => {
  it('accepts exactly 2 hours (120 minutes) at level 1', () => {
    expect(checkGrantTerms(terms({ minutesPerWeek: 120 }))).toEqual([]);
  });

  it('refuses 121 minutes at level 1 with the numbers', () => {
    expect(checkGrantTerms(terms({ minutesPerWeek: 121 }))).toEqual([
      {
        field: 'minutesPerWeek',
        rule: 'hours_in_band',
        message: '121 minutes per week is outside service level 1 (more than 0 and at most 120 minutes)',
        values: { minutesPerWeek: 121, level: 1, min: 0, max: 120 },
      },
    ]);
  });

  it('refuses 0 minutes at level 1, since a grant gives some support', () => {
    expect(rulesOf(checkGrantTerms(terms({ minutesPerWeek: 0 })))).toEqual(['hours_in_band']);
  });

  it.each([
    [2, 121, true],
    [2, 180, true],
    [2, 120, false],
    [2, 181, false],
    [3, 181, true],
    [3, 240, true],
    [3, 241, false],
    [4, 241, true],
    [4, 600, true],
    [4, 240, false],
  ])('level %i with %i minutes is in band: %p', (serviceLevel, minutesPerWeek, ok) => {
    const end = '2026-03-31';
    expect(checkGrantTerms(terms({ serviceLevel, minutesPerWeek, end })).length === 0).toBe(ok);
  });

  it('says when the level is open-ended', () => {
    expect(checkGrantTerms(terms({ serviceLevel: 4, minutesPerWeek: 200, end: '2026-03-31' }))[0]).toEqual({
      field: 'minutesPerWeek',
      rule: 'hours_in_band',
      message: '200 minutes per week is outside service level 4 (more than 240 minutes)',
      values: { minutesPerWeek: 200, level: 4, min: 240, max: null },
    });
  });

  it('refuses a level the rule set does not know', () => {
    expect(checkGrantTerms(terms({ serviceLevel: 5 }))).toEqual([
      { field: 'serviceLevel', rule: 'level_known', message: 'service level 5 is not one of the levels 1, 2, 3, 4', values: { level: 5 } },
    ]);
  });

  it('refuses a fraction of a minute', () => {
    expect(checkGrantTerms(terms({ minutesPerWeek: 90.5 }))).toEqual([
      { field: 'minutesPerWeek', rule: 'whole_minutes', message: 'minutes per week must be a whole number, got 90.5' },
    ]);
  });
});

describe('checkGrantTerms: period', () => {
  it('accepts exactly 6 months and a one-day period', () => {
    expect(checkGrantTerms(terms({ start: '2026-01-01', end: '2026-06-30' }))).toEqual([]);
    expect(checkGrantTerms(terms({ start: '2026-01-01', end: '2026-01-01' }))).toEqual([]);
  });

  it('refuses 6 months and one day', () => {
    expect(checkGrantTerms(terms({ start: '2026-01-01', end: '2026-07-01' }))).toEqual([
      {
        field: 'end',
        rule: 'period_length',
        message: 'a grant period lasts at most 6 months: from 2026-01-01 it may end on 2026-06-30 at the latest, not 2026-07-01',
        values: { start: '2026-01-01', end: '2026-07-01', maxMonths: 6, latestEnd: '2026-06-30' },
      },
    ]);
  });

  it('measures from a leap day: 2024-02-29 may run to 2024-08-28, not 2024-08-29', () => {
    expect(checkGrantTerms(terms({ start: '2024-02-29', end: '2024-08-28' }))).toEqual([]);
    expect(rulesOf(checkGrantTerms(terms({ start: '2024-02-29', end: '2024-08-29' })))).toEqual(['period_length']);
  });

  it('refuses an end before the start, and checks no length then', () => {
    expect(checkGrantTerms(terms({ start: '2026-03-01', end: '2026-02-28' }))).toEqual([
      {
        field: 'end',
        rule: 'period_order',
        message: 'the period ends on 2026-02-28, before it starts on 2026-03-01',
        values: { start: '2026-03-01', end: '2026-02-28' },
      },
    ]);
  });

  it('refuses malformed dates', () => {
    expect(checkGrantTerms(terms({ start: '2026-02-30', end: '30-06-2026' }))).toEqual([
      { field: 'start', rule: 'calendar_date', message: "start must be a date YYYY-MM-DD, got '2026-02-30'" },
      { field: 'end', rule: 'calendar_date', message: "end must be a date YYYY-MM-DD, got '30-06-2026'" },
    ]);
  });

  it('holds level 4 to 3 months: 2026-01-01 to 2026-03-31 is fine, 2026-04-01 is not', () => {
    const level4 = { serviceLevel: 4, minutesPerWeek: 300 };
    expect(checkGrantTerms(terms({ ...level4, end: '2026-03-31' }))).toEqual([]);
    expect(checkGrantTerms(terms({ ...level4, end: '2026-04-01' }))).toEqual([
      {
        field: 'end',
        rule: 'level4_length',
        message: 'service level 4 lasts at most 3 months: from 2026-01-01 it may end on 2026-03-31 at the latest, not 2026-04-01',
        values: { start: '2026-01-01', end: '2026-04-01', maxMonths: 3, latestEnd: '2026-03-31' },
      },
    ]);
  });

  it('reports both limits when level 4 runs past 6 months', () => {
    expect(rulesOf(checkGrantTerms(terms({ serviceLevel: 4, minutesPerWeek: 300, end: '2026-07-01' })))).toEqual(['period_length', 'level4_length']);
  });

  it('holds a holistic mentor period to holisticPeriodMonths instead of maxPeriodMonths', () => {
    const holistic = { mentorType: 'holistic' as const, minutesPerWeek: 90 };
    expect(checkGrantTerms(terms({ ...holistic, end: '2026-06-30' }))).toEqual([]);
    expect(checkGrantTerms(terms({ ...holistic, end: '2026-03-31' }))).toEqual([]);
    expect(checkGrantTerms(terms({ ...holistic, end: '2026-07-01' }))).toEqual([
      {
        field: 'end',
        rule: 'holistic_period',
        message: 'a holistic mentor period lasts at most 6 months: from 2026-01-01 it may end on 2026-06-30 at the latest, not 2026-07-01',
        values: { start: '2026-01-01', end: '2026-07-01', maxMonths: 6, latestEnd: '2026-06-30' },
      },
    ]);
    const shortPeriods: RuleSetValues = { ...ruleSet, maxPeriodMonths: 3 };
    expect(checkGrantTerms(terms({ ...holistic, ruleSet: shortPeriods, end: '2026-06-30' }))).toEqual([]);
    expect(rulesOf(checkGrantTerms(terms({ ruleSet: shortPeriods, end: '2026-06-30' })))).toEqual(['period_length']);
  });
});

describe('checkGrantTerms: agreement', () => {
  const framework: AgreementCover = { validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: ['retention', 'company'] };

  it('accepts a period on the agreement’s first and last days', () => {
    expect(checkGrantTerms(terms({ agreement: framework, start: '2026-01-01', end: '2026-06-30' }))).toEqual([]);
    expect(checkGrantTerms(terms({ agreement: framework, start: '2026-07-01', end: '2026-12-31' }))).toEqual([]);
  });

  it('refuses a period starting before the agreement', () => {
    expect(checkGrantTerms(terms({ agreement: framework, start: '2025-12-31', end: '2026-06-29' }))).toEqual([
      {
        field: 'start',
        rule: 'agreement_covers_period',
        message: 'the agreement is valid from 2026-01-01 to 2026-12-31 and does not cover the period 2025-12-31 to 2026-06-29',
        values: { start: '2025-12-31', end: '2026-06-29', validFrom: '2026-01-01', validTo: '2026-12-31' },
      },
    ]);
  });

  it('refuses a period ending after the agreement', () => {
    const details = checkGrantTerms(terms({ agreement: framework, start: '2026-08-01', end: '2027-01-01' }));
    expect(details).toEqual([
      {
        field: 'end',
        rule: 'agreement_covers_period',
        message: 'the agreement is valid from 2026-01-01 to 2026-12-31 and does not cover the period 2026-08-01 to 2027-01-01',
        values: { start: '2026-08-01', end: '2027-01-01', validFrom: '2026-01-01', validTo: '2026-12-31' },
      },
    ]);
  });

  it('lets an open-ended agreement cover any later period', () => {
    const partnership: AgreementCover = { validFrom: '2026-01-01', validTo: null, mentorTypes: ['company'] };
    expect(checkGrantTerms(terms({ agreement: partnership, mentorType: 'company', start: '2031-01-01', end: '2031-06-30' }))).toEqual([]);
    expect(checkGrantTerms(terms({ agreement: partnership, mentorType: 'company', start: '2025-12-01', end: '2026-05-31' }))[0].message).toBe(
      'the agreement is valid from 2026-01-01 with no end and does not cover the period 2025-12-01 to 2026-05-31',
    );
  });

  it('refuses a mentor type the agreement does not cover', () => {
    expect(checkGrantTerms(terms({ agreement: framework, mentorType: 'holistic' }))).toEqual([
      {
        field: 'mentorType',
        rule: 'agreement_covers_mentor_type',
        message: 'the agreement does not cover mentor type holistic (it covers retention, company)',
        values: { mentorType: 'holistic' },
      },
    ]);
  });

  it('reports every broken rule at once', () => {
    const details = checkGrantTerms(terms({ agreement: framework, mentorType: 'release', minutesPerWeek: 150, start: '2026-09-01', end: '2027-03-31' }));
    expect(rulesOf(details)).toEqual(['hours_in_band', 'period_length', 'agreement_covers_mentor_type', 'agreement_covers_period']);
  });
});

describe('checkGrantTerms under two rule-set versions', () => {
  // A hypothetical 2027 regime: 12-month periods, level 1 capped at 90 minutes.
  const rules2027: RuleSetValues = {
    ...ruleSet,
    maxPeriodMonths: 12,
    serviceLevels: [
      { level: 1, minMinutesExclusive: 0, maxMinutes: 90 },
      { level: 2, minMinutesExclusive: 90, maxMinutes: 180 },
      { level: 3, minMinutesExclusive: 180, maxMinutes: 240 },
      { level: 4, minMinutesExclusive: 240, maxMinutes: null },
    ],
  };
  const versions: RuleSetVersion[] = [DEFAULT_RULE_SET, { effectiveFrom: '2027-01-01', values: rules2027 }];
  const grant = { minutesPerWeek: 100, end: '2027-09-30' };

  it('uses the version in force on the start date', () => {
    const startingIn2026 = terms({ ...grant, start: '2026-12-31', ruleSet: ruleSetInForce(versions, '2026-12-31').values });
    const startingIn2027 = terms({ ...grant, start: '2027-01-01', ruleSet: ruleSetInForce(versions, '2027-01-01').values });
    expect(rulesOf(checkGrantTerms(startingIn2026))).toEqual(['period_length']);
    expect(checkGrantTerms(startingIn2027)).toEqual([
      {
        field: 'minutesPerWeek',
        rule: 'hours_in_band',
        message: '100 minutes per week is outside service level 1 (more than 0 and at most 90 minutes)',
        values: { minutesPerWeek: 100, level: 1, min: 0, max: 90 },
      },
    ]);
  });
});

describe('checkExtension', () => {
  const grant: GrantForExtension = { mentorType: 'retention', serviceLevel: 2, start: '2026-01-01', end: '2026-06-30', extensionsUsed: 0 };
  const extend = (patch: { grant?: Partial<GrantForExtension>; newEnd?: string; ruleSet?: RuleSetValues; agreement?: AgreementCover }) =>
    checkExtension({ ruleSet: patch.ruleSet ?? ruleSet, grant: { ...grant, ...patch.grant }, newEnd: patch.newEnd ?? '2026-12-31', agreement: patch.agreement ?? agreement });

  it('allows one extension of up to 6 months from the day after the current end', () => {
    expect(extend({ newEnd: '2026-12-31' })).toEqual([]);
    expect(extend({ newEnd: '2026-07-01' })).toEqual([]);
  });

  it('refuses an extension of 6 months and one day', () => {
    expect(extend({ newEnd: '2027-01-01' })).toEqual([
      {
        field: 'newEnd',
        rule: 'extension_length',
        message: 'an extension lasts at most 6 months: from 2026-07-01 it may end on 2026-12-31 at the latest, not 2027-01-01',
        values: { start: '2026-07-01', end: '2027-01-01', maxMonths: 6, latestEnd: '2026-12-31' },
      },
    ]);
  });

  it('measures an extension starting on a leap day', () => {
    const leap = { start: '2023-09-01', end: '2024-02-28' };
    expect(extend({ grant: leap, newEnd: '2024-08-28' })).toEqual([]);
    expect(rulesOf(extend({ grant: leap, newEnd: '2024-08-29' }))).toEqual(['extension_length']);
  });

  it('refuses a second extension', () => {
    expect(extend({ grant: { extensionsUsed: 1 }, newEnd: '2026-09-30' })).toEqual([
      {
        rule: 'extension_count',
        message: 'the grant has been extended 1 time(s) and may be extended at most 1 time(s)',
        values: { extensionsUsed: 1, maxExtensions: 1 },
      },
    ]);
  });

  it('allows a second extension when the rule set does', () => {
    expect(extend({ grant: { extensionsUsed: 1 }, ruleSet: { ...ruleSet, maxExtensions: 2 } })).toEqual([]);
    expect(rulesOf(extend({ ruleSet: { ...ruleSet, maxExtensions: 0 } }))).toEqual(['extension_count']);
  });

  it('refuses a new end on or before the current end', () => {
    expect(extend({ newEnd: '2026-06-30' })).toEqual([
      {
        field: 'newEnd',
        rule: 'extension_after_end',
        message: 'the new end 2026-06-30 must be after the current end 2026-06-30',
        values: { end: '2026-06-30', newEnd: '2026-06-30' },
      },
    ]);
    expect(rulesOf(extend({ newEnd: '2026-05-31' }))).toEqual(['extension_after_end']);
  });

  it('refuses a malformed new end', () => {
    expect(extend({ newEnd: '2026-12-32' })).toEqual([{ field: 'newEnd', rule: 'calendar_date', message: "newEnd must be a date YYYY-MM-DD, got '2026-12-32'" }]);
  });

  it('extends level 4 by at most 3 months at a time', () => {
    const level4 = { serviceLevel: 4, start: '2026-01-01', end: '2026-03-31' };
    expect(extend({ grant: level4, newEnd: '2026-06-30' })).toEqual([]);
    expect(extend({ grant: level4, newEnd: '2026-07-01' })).toEqual([
      {
        field: 'newEnd',
        rule: 'level4_length',
        message: 'service level 4 lasts at most 3 months: from 2026-04-01 it may end on 2026-06-30 at the latest, not 2026-07-01',
        values: { start: '2026-04-01', end: '2026-07-01', maxMonths: 3, latestEnd: '2026-06-30' },
      },
    ]);
  });

  it('needs the agreement to cover the extended period and the mentor type', () => {
    const ending: AgreementCover = { validFrom: '2025-01-01', validTo: '2026-09-30', mentorTypes: ['company'] };
    expect(extend({ agreement: ending, newEnd: '2026-10-01' })).toEqual([
      {
        field: 'mentorType',
        rule: 'agreement_covers_mentor_type',
        message: 'the agreement does not cover mentor type retention (it covers company)',
        values: { mentorType: 'retention' },
      },
      {
        field: 'end',
        rule: 'agreement_covers_period',
        message: 'the agreement is valid from 2025-01-01 to 2026-09-30 and does not cover the period 2026-01-01 to 2026-10-01',
        values: { start: '2026-01-01', end: '2026-10-01', validFrom: '2025-01-01', validTo: '2026-09-30' },
      },
    ]);
    expect(extend({ agreement: { ...ending, mentorTypes: ['retention'] }, newEnd: '2026-09-30' })).toEqual([]);
  });

  it('never extends a holistic grant but points to a new period', () => {
    expect(extend({ grant: { mentorType: 'holistic' }, newEnd: '2026-09-30' })).toEqual([
      {
        rule: 'holistic_new_period',
        message: 'a holistic mentor grant is not extended: if support is still needed after 2026-06-30, grant a new period of at most 6 months from 2026-07-01',
        values: { end: '2026-06-30', nextStart: '2026-07-01', holisticPeriodMonths: 6 },
      },
    ]);
  });
});

describe('dueTasks', () => {
  it('has one follow-up after 13 weeks and the evaluation 14 days before the end of a 6-month period', () => {
    expect(dueTasks({ start: '2026-01-01', end: '2026-06-30', ruleSet })).toEqual([
      { kind: 'follow_up', due: '2026-04-02' },
      { kind: 'evaluation', due: '2026-06-16' },
    ]);
  });

  it('puts follow-ups every 91 days while before the end, not on it', () => {
    expect(dueTasks({ start: '2026-01-01', end: '2026-12-31', ruleSet })).toEqual([
      { kind: 'follow_up', due: '2026-04-02' },
      { kind: 'follow_up', due: '2026-07-02' },
      { kind: 'follow_up', due: '2026-10-01' },
      { kind: 'evaluation', due: '2026-12-17' },
    ]);
  });

  it('sorts a follow-up after the evaluation when it falls later', () => {
    expect(dueTasks({ start: '2026-01-01', end: '2027-01-01', ruleSet })).toEqual([
      { kind: 'follow_up', due: '2026-04-02' },
      { kind: 'follow_up', due: '2026-07-02' },
      { kind: 'follow_up', due: '2026-10-01' },
      { kind: 'evaluation', due: '2026-12-18' },
      { kind: 'follow_up', due: '2026-12-31' },
    ]);
  });

  it('lists the follow-up first when both fall on the same day', () => {
    expect(dueTasks({ start: '2026-01-01', end: '2026-04-16', ruleSet })).toEqual([
      { kind: 'follow_up', due: '2026-04-02' },
      { kind: 'evaluation', due: '2026-04-02' },
    ]);
  });

  it('moves the evaluation to the start day when the period is shorter than the lead time', () => {
    expect(dueTasks({ start: '2026-01-01', end: '2026-01-10', ruleSet })).toEqual([{ kind: 'evaluation', due: '2026-01-01' }]);
  });

  it('crosses a leap day and the daylight-saving change without drift', () => {
    expect(dueTasks({ start: '2024-02-29', end: '2024-08-28', ruleSet })).toEqual([
      { kind: 'follow_up', due: '2024-05-30' },
      { kind: 'evaluation', due: '2024-08-14' },
    ]);
    expect(dueTasks({ start: '2026-03-28', end: '2026-07-31', ruleSet })).toEqual([
      { kind: 'follow_up', due: '2026-06-27' },
      { kind: 'evaluation', due: '2026-07-17' },
    ]);
  });

  it('follows the rule set’s interval and lead time', () => {
    expect(dueTasks({ start: '2026-01-01', end: '2026-03-01', ruleSet: { ...ruleSet, followUpIntervalWeeks: 4, evaluationLeadDays: 7 } })).toEqual([
      { kind: 'follow_up', due: '2026-01-29' },
      { kind: 'evaluation', due: '2026-02-22' },
      { kind: 'follow_up', due: '2026-02-26' },
    ]);
  });

  it('refuses a backwards period or a zero interval', () => {
    expect(() => dueTasks({ start: '2026-02-01', end: '2026-01-31', ruleSet })).toThrow('the period ends on 2026-01-31, before it starts on 2026-02-01');
    expect(() => dueTasks({ start: '2026-01-01', end: '2026-06-30', ruleSet: { ...ruleSet, followUpIntervalWeeks: 0 } })).toThrow(
      'followUpIntervalWeeks must be above 0, got 0',
    );
  });
});

describe('taskState', () => {
  const followUp = { kind: 'follow_up' as const, due: '2026-04-06' };
  const evaluation = { kind: 'evaluation' as const, due: '2026-06-16' };

  it('is done for a task closed by a follow-up the caseworker held, whatever the date', () => {
    expect(taskState({ ...followUp, heldOn: '2026-04-10' }, { grantActive: true, today: '2026-05-01' })).toBe('done');
  });
  it('is overdue before today and due from today', () => {
    expect(taskState(followUp, { grantActive: true, today: '2026-04-07' })).toBe('overdue');
    expect(taskState(followUp, { grantActive: true, today: '2026-04-06' })).toBe('due');
  });
  it('counts the evaluation done once held or once the grant is no longer active', () => {
    expect(taskState(evaluation, { grantActive: false, today: '2026-07-01' })).toBe('done');
    expect(taskState(evaluation, { grantActive: true, today: '2026-07-01' })).toBe('overdue');
    expect(taskState({ ...evaluation, heldOn: '2026-06-12' }, { grantActive: true, today: '2026-07-01' })).toBe('done');
  });
  it('orders overdue tasks first, then by date', () => {
    const tasks = [
      { kind: 'evaluation' as const, due: '2026-06-16', state: 'due' as const },
      { kind: 'follow_up' as const, due: '2026-04-06', state: 'overdue' as const },
      { kind: 'follow_up' as const, due: '2026-05-01', state: 'due' as const },
    ];
    expect([...tasks].sort(compareOpenTasks).map((t) => t.due)).toEqual(['2026-04-06', '2026-05-01', '2026-06-16']);
  });
  it('leaves out the tasks done and orders the rest the caseworker’s way', () => {
    const tasks = [
      { kind: 'evaluation' as const, due: '2026-06-16', state: 'due' as const },
      { kind: 'follow_up' as const, due: '2026-04-06', state: 'done' as const },
      { kind: 'follow_up' as const, due: '2026-07-06', state: 'overdue' as const },
    ];
    expect(openTasks(tasks).map((t) => t.due)).toEqual(['2026-07-06', '2026-06-16']);
  });
});

describe('courseTasks', () => {
  // 2026-01-05 – 2026-12-31 under the shipped rules: follow-ups every 13 weeks (91 days), the evaluation 14 days before the end.
  const period = { start: '2026-01-05', end: '2026-12-31', ruleSet };

  it('is the planned schedule while nothing is held', () => {
    expect(courseTasks({ ...period, held: [] })).toEqual(dueTasks(period));
    expect(courseTasks({ ...period, held: [] }).map((t) => t.due)).toEqual(['2026-04-06', '2026-07-06', '2026-10-05', '2026-12-17']);
  });
  it('closes the first open follow-up with the one held, and the next falls due 13 weeks after the day it was held', () => {
    const tasks = courseTasks({ ...period, held: [{ kind: 'follow_up', heldOn: '2026-04-10', periodEnd: '2026-12-31' }] });
    expect(tasks).toEqual([
      { kind: 'follow_up', due: '2026-04-06', heldOn: '2026-04-10' },
      { kind: 'follow_up', due: '2026-07-10' },
      { kind: 'follow_up', due: '2026-10-09' },
      { kind: 'evaluation', due: '2026-12-17' },
    ]);
  });
  it('lets a follow-up held early close the task and move the next one earlier', () => {
    const tasks = courseTasks({ ...period, held: [{ kind: 'follow_up', heldOn: '2026-03-20', periodEnd: '2026-12-31' }, { kind: 'follow_up', heldOn: '2026-06-19', periodEnd: '2026-12-31' }] });
    expect(tasks.map((t) => [t.due, t.heldOn ?? null])).toEqual([
      ['2026-04-06', '2026-03-20'],
      ['2026-06-19', '2026-06-19'],
      ['2026-09-18', null],
      ['2026-12-17', null],
      // 13 weeks after the projected 2026-09-18, still before the end.
      ['2026-12-18', null],
    ]);
  });
  it('lists no follow-up on or after the end: a follow-up held late can push the next past it', () => {
    const short = { start: '2026-01-05', end: '2026-06-30', ruleSet };
    expect(courseTasks({ ...short, held: [{ kind: 'follow_up', heldOn: '2026-04-06', periodEnd: '2026-06-30' }] }).map((t) => t.due)).toEqual(['2026-04-06', '2026-06-16']);
  });
  it('closes the evaluation only with one held for the period ending on the current end: an extension makes a new one due', () => {
    const held = [{ kind: 'evaluation' as const, heldOn: '2026-06-10', periodEnd: '2026-06-30' }];
    expect(courseTasks({ start: '2026-01-05', end: '2026-06-30', ruleSet, held }).at(-1)).toEqual({ kind: 'evaluation', due: '2026-06-16', heldOn: '2026-06-10' });
    expect(courseTasks({ start: '2026-01-05', end: '2026-09-30', ruleSet, held }).at(-1)).toEqual({ kind: 'evaluation', due: '2026-09-16' });
  });
});

describe('firstOpenTaskDue', () => {
  const period = { start: '2026-01-05', end: '2026-06-30', ruleSet };

  it('is the first follow-up not held', () => {
    expect(firstOpenTaskDue(courseTasks({ ...period, held: [] }), { grantActive: true })).toBe('2026-04-06');
  });
  it('moves to the evaluation once the follow-up is held, and to nothing once the grant has ended', () => {
    const tasks = courseTasks({ ...period, held: [{ kind: 'follow_up', heldOn: '2026-04-08', periodEnd: '2026-06-30' }] });
    expect(firstOpenTaskDue(tasks, { grantActive: true })).toBe('2026-06-16');
    expect(firstOpenTaskDue(tasks, { grantActive: false })).toBeNull();
  });
  it('is not moved by a supplier’s progress report: only the caseworker’s follow-up closes a task', () => {
    // The tasks are computed from the follow-ups held alone; a progress report is no input.
    expect(firstOpenTaskDue(dueTasks(period), { grantActive: true })).toBe('2026-04-06');
  });
});

describe('grant lifecycle', () => {
  it('lets caseworkers and admins extend an active grant and end it once', () => {
    expect(GRANT_TRANSITIONS.map((t) => `${t.from}→${t.to}: ${t.roles.join(', ')}`)).toEqual([
      'proposed→active: team_leader',
      'proposed→sent_back: team_leader',
      'sent_back→proposed: caseworker, admin',
      'active→active: caseworker, admin',
      'active→ended: caseworker, admin',
    ]);
    for (const role of ['caseworker', 'admin'] as const) {
      expect(grantTransitionProblem('active', 'active', role)).toBeNull();
      expect(grantTransitionProblem('active', 'ended', role)).toBeNull();
    }
  });

  it('names both states when an ended grant is ended again or extended, and the role when it may not', () => {
    expect(grantTransitionProblem('ended', 'ended', 'caseworker')).toEqual({
      field: 'status',
      rule: 'grant_transition',
      message: 'a grant that is ended cannot become ended (ended is final)',
      values: { from: 'ended', to: 'ended' },
    });
    expect(grantTransitionProblem('ended', 'active', 'admin')).toMatchObject({ rule: 'grant_transition', values: { from: 'ended', to: 'active' } });
    expect(grantTransitionProblem('active', 'cancelled', 'admin')).toMatchObject({ rule: 'grant_transition', message: 'a grant that is active cannot become cancelled (from active only active or ended)' });
    expect(grantTransitionProblem('active', 'ended', 'finance')).toEqual({
      field: 'status',
      rule: 'grant_transition_role',
      message: 'finance may not move a grant from active to ended',
      values: { from: 'active', to: 'ended', role: 'finance' },
    });
  });
});

describe('visitation: a proposed grant is approved or sent back by a team leader', () => {
  it('lets only a team leader approve or send back a proposal, and only a caseworker or admin propose it again', () => {
    expect(grantTransitionProblem('proposed', 'active', 'team_leader')).toBeNull();
    expect(grantTransitionProblem('proposed', 'sent_back', 'team_leader')).toBeNull();
    expect(grantTransitionProblem('sent_back', 'proposed', 'caseworker')).toBeNull();
    expect(grantTransitionProblem('proposed', 'active', 'caseworker')).toEqual({
      field: 'status',
      rule: 'grant_transition_role',
      message: 'caseworker may not move a grant from proposed to active',
      values: { from: 'proposed', to: 'active', role: 'caseworker' },
    });
    expect(grantTransitionProblem('proposed', 'active', 'admin')).toMatchObject({ rule: 'grant_transition_role' });
    expect(grantTransitionProblem('sent_back', 'proposed', 'team_leader')).toMatchObject({ rule: 'grant_transition_role' });
  });

  it('names the states when a grant that is not proposed is approved, or a proposal is extended or ended', () => {
    expect(grantTransitionProblem('active', 'sent_back', 'team_leader')).toEqual({
      field: 'status',
      rule: 'grant_transition',
      message: 'a grant that is active cannot become sent_back (from active only active or ended)',
      values: { from: 'active', to: 'sent_back' },
    });
    expect(grantTransitionProblem('sent_back', 'active', 'team_leader')).toMatchObject({ rule: 'grant_transition', message: 'a grant that is sent_back cannot become active (from sent_back only proposed)' });
    expect(grantTransitionProblem('proposed', 'ended', 'caseworker')).toMatchObject({ rule: 'grant_transition', message: 'a grant that is proposed cannot become ended (from proposed only active or sent_back)' });
  });

  it('approves only a proposed grant, and says so naming both states', () => {
    expect(approvalStateProblem('proposed')).toBeNull();
    expect(approvalStateProblem('active')).toEqual({ field: 'status', rule: 'grant_transition', message: 'a grant that is active cannot be approved: only a proposed grant can', values: { from: 'active', to: 'active' } });
    expect(approvalStateProblem('sent_back')).toMatchObject({ rule: 'grant_transition', values: { from: 'sent_back', to: 'active' } });
  });

  const approval = { createdBy: 'cw-1', proposedBy: 'cw-1', start: '2026-09-01', end: '2027-02-28', approverId: 'tl-1', activeFrom: undefined, today: '2026-11-25' };

  it('is active from the later of its start and the day it is approved, or from the day the team leader names', () => {
    expect(activeFromOnApproval(approval)).toBe('2026-11-25');
    expect(activeFromOnApproval({ ...approval, start: '2026-12-07' })).toBe('2026-12-07');
    expect(activeFromOnApproval({ ...approval, activeFrom: '2026-09-01' })).toBe('2026-09-01');
    expect(checkApproval(approval)).toEqual([]);
    expect(checkApproval({ ...approval, activeFrom: '2026-09-01' })).toEqual([]);
    expect(checkApproval({ ...approval, activeFrom: '2026-11-25' })).toEqual([]);
    // Approved ahead of its start: active from its start.
    expect(checkApproval({ ...approval, start: '2026-12-07', activeFrom: '2026-12-07' })).toEqual([]);
  });

  it('refuses the one who created or proposed the grant (four eyes)', () => {
    expect(checkApproval({ ...approval, approverId: 'cw-1' })).toEqual([
      { field: 'approver', rule: 'grant_approver_distinct', message: 'a grant is approved by someone other than the one who created or proposed it (four eyes)' },
    ]);
    expect(checkApproval({ ...approval, createdBy: 'cw-1', proposedBy: 'cw-2', approverId: 'cw-2' }).map((p) => p.rule)).toEqual(['grant_approver_distinct']);
    expect(checkApproval({ ...approval, createdBy: null, proposedBy: null })).toEqual([]);
  });

  it('refuses a day outside the period, or after today when the grant has started', () => {
    expect(checkApproval({ ...approval, activeFrom: '2026-08-31' })).toEqual([
      { field: 'activeFrom', rule: 'active_from_in_period', message: 'the grant runs from 2026-09-01 to 2027-02-28; it cannot be active from 2026-08-31', values: { start: '2026-09-01', end: '2027-02-28', activeFrom: '2026-08-31' } },
    ]);
    expect(checkApproval({ ...approval, activeFrom: '2027-03-01' }).map((p) => p.rule)).toEqual(['active_from_in_period']);
    expect(checkApproval({ ...approval, activeFrom: '2026-11-26' })).toEqual([
      { field: 'activeFrom', rule: 'active_from_not_future', message: 'a grant is active from its start or from the day it is approved (2026-11-25), not from 2026-11-26', values: { activeFrom: '2026-11-26', latest: '2026-11-25' } },
    ]);
    expect(checkApproval({ ...approval, start: '2026-12-07', activeFrom: '2026-12-08' }).map((p) => p.rule)).toEqual(['active_from_not_future']);
  });
});
