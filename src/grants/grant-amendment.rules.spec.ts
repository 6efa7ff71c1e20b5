import { DEFAULT_RULE_SET } from '../rules/rule-set';
import {
  amendmentStateProblem,
  amendmentTransitionProblem,
  checkAmendment,
  checkAmendmentApprover,
  minutesInWeek,
  minutesSteps,
  needsApproval,
  newAmendmentStatus,
  stepOn,
  termsOn,
  termsVersions,
  type AmendmentChange,
  type AmendmentGrant,
  type GrantTerms,
  type RecordedAmendment,
} from './grant-amendment.rules';

const ruleSet = DEFAULT_RULE_SET.values;
const BASE: GrantTerms = { serviceLevel: 4, minutesPerWeek: 300, mentorName: 'Mette Mentor', mentorPhone: '12345678', mentorEmail: null, goal: 'Stabilt fremmøde', tasks: 'Tæt kontakt' };
// A level-4 grant of three months from Monday 2026-08-31, extended at level 3 to 2027-02-26.
const GRANT: AmendmentGrant = { status: 'active', start: '2026-08-31', end: '2026-11-29', base: BASE, amendments: [] };
const stepDown: RecordedAmendment = { kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 210, status: 'approved' };
const mentorChange: RecordedAmendment = { kind: 'mentor', effectiveFrom: '2026-11-11', mentorName: 'Karsten Mentor', mentorPhone: null, mentorEmail: 'k@example.dk', status: 'approved' };
const check = (change: AmendmentChange, grant: Partial<AmendmentGrant> = {}) => checkAmendment({ ruleSet, grant: { ...GRANT, ...grant }, change });
const rules = (problems: Array<{ rule: string }>) => problems.map((p) => p.rule);

describe('termsVersions and termsOn', () => {
  it('are the grant’s own terms from its start, then a version from each day approved amendments take effect', () => {
    const versions = termsVersions(BASE, '2026-08-31', [stepDown, mentorChange, { ...stepDown, effectiveFrom: '2026-11-16', minutesPerWeek: 240, status: 'rejected' }]);
    expect(versions.map((v) => [v.from, v.terms.serviceLevel, v.terms.minutesPerWeek, v.terms.mentorName, v.kinds.join('+')])).toEqual([
      ['2026-08-31', 4, 300, 'Mette Mentor', ''],
      ['2026-11-02', 3, 210, 'Mette Mentor', 'hours'],
      ['2026-11-11', 3, 210, 'Karsten Mentor', 'mentor'],
    ]);
  });
  it('orders by the effective date, not by when recorded, and joins two kinds of one day into one version', () => {
    const goal: RecordedAmendment = { kind: 'goal', effectiveFrom: '2026-11-02', goal: 'Nyt mål', tasks: 'Nye opgaver', status: 'approved' };
    const versions = termsVersions(BASE, '2026-08-31', [mentorChange, stepDown, goal]);
    expect(versions.map((v) => [v.from, v.kinds.join('+'), v.terms.goal, v.terms.mentorName])).toEqual([
      ['2026-08-31', '', 'Stabilt fremmøde', 'Mette Mentor'],
      ['2026-11-02', 'hours+goal', 'Nyt mål', 'Mette Mentor'],
      ['2026-11-11', 'mentor', 'Nyt mål', 'Karsten Mentor'],
    ]);
  });
  it('answers the terms in force on a day: the day before a change the old ones, on the day the new ones', () => {
    expect(termsOn(BASE, '2026-08-31', [stepDown], '2026-11-01').terms.minutesPerWeek).toBe(300);
    expect(termsOn(BASE, '2026-08-31', [stepDown], '2026-11-02')).toMatchObject({ from: '2026-11-02', terms: { serviceLevel: 3, minutesPerWeek: 210 } });
    expect(termsOn(BASE, '2026-08-31', [stepDown], '2026-08-01').from).toBe('2026-08-31');
  });
});

describe('minutesSteps, stepOn and minutesInWeek', () => {
  const steps = minutesSteps(BASE, '2026-08-31', [stepDown, mentorChange, { kind: 'hours', effectiveFrom: '2026-11-23', serviceLevel: 3, minutesPerWeek: 240, status: 'approved' }]);

  it('are the level and minutes from each day they change; a mentor change is no step', () => {
    expect(steps).toEqual([
      { from: '2026-08-31', serviceLevel: 4, minutesPerWeek: 300 },
      { from: '2026-11-02', serviceLevel: 3, minutesPerWeek: 210 },
      { from: '2026-11-23', serviceLevel: 3, minutesPerWeek: 240 },
    ]);
  });
  it('grant a week the minutes in force on its Monday: week 44 at the old 300, week 45 at the new 210', () => {
    expect(minutesInWeek(steps, '2026-10-26')).toBe(300);
    expect(minutesInWeek(steps, '2026-11-02')).toBe(210);
    expect(minutesInWeek(steps, '2026-11-16')).toBe(210);
    expect(minutesInWeek(steps, '2026-11-23')).toBe(240);
    // The grant's first week begins before its start: the grant's own minutes.
    expect(minutesInWeek(steps, '2026-08-24')).toBe(300);
  });
  it('give the level in force on a day, for the rate', () => {
    expect(stepOn(steps, '2026-11-01').serviceLevel).toBe(4);
    expect(stepOn(steps, '2026-11-02').serviceLevel).toBe(3);
  });
  it('replace the grant’s own terms with an amendment effective on its start', () => {
    expect(minutesSteps(BASE, '2026-08-31', [{ ...stepDown, effectiveFrom: '2026-08-31' }])).toEqual([{ from: '2026-08-31', serviceLevel: 3, minutesPerWeek: 210 }]);
  });
});

describe('checkAmendment', () => {
  it('accepts a step-down from level 4 to level 3 at 210 minutes from Monday 2026-11-02', () => {
    expect(check({ kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 210 })).toEqual([]);
  });
  it('refuses a day before the start or after the end (amendment_in_period)', () => {
    expect(check({ kind: 'hours', effectiveFrom: '2026-08-24', serviceLevel: 3, minutesPerWeek: 210 })).toEqual([
      { field: 'effectiveFrom', rule: 'amendment_in_period', message: 'the grant runs from 2026-08-31 to 2026-11-29; an amendment cannot take effect on 2026-08-24', values: { start: '2026-08-31', end: '2026-11-29', effectiveFrom: '2026-08-24' } },
    ]);
    expect(rules(check({ kind: 'goal', effectiveFrom: '2026-11-30', goal: 'x', tasks: 'y' }))).toEqual(['amendment_in_period']);
    expect(check({ kind: 'goal', effectiveFrom: '2026-11-29', goal: 'x', tasks: 'y' })).toEqual([]);
  });
  it('refuses a change of minutes from a day that is not a Monday, naming the Mondays around it, unless from the start', () => {
    expect(check({ kind: 'hours', effectiveFrom: '2026-11-04', serviceLevel: 3, minutesPerWeek: 210 })).toEqual([
      expect.objectContaining({ field: 'effectiveFrom', rule: 'amendment_from_monday', values: { effectiveFrom: '2026-11-04', before: '2026-11-02', after: '2026-11-09' } }),
    ]);
    // 2026-09-02 is a Wednesday and the grant's start: the change replaces the terms from the start.
    expect(check({ kind: 'hours', effectiveFrom: '2026-09-02', serviceLevel: 3, minutesPerWeek: 210 }, { start: '2026-09-02' })).toEqual([]);
    // A mentor change or a goal reset may take effect on any day.
    expect(check({ kind: 'goal', effectiveFrom: '2026-11-04', goal: 'Nyt mål', tasks: 'Nye opgaver' })).toEqual([]);
  });
  it('checks the minutes against the band of the rule set in force on the day (level 3: over 180, at most 240)', () => {
    expect(check({ kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 240 })).toEqual([]);
    expect(check({ kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 241 })).toEqual([
      expect.objectContaining({ field: 'minutesPerWeek', rule: 'hours_in_band', values: { minutesPerWeek: 241, level: 3, min: 180, max: 240 } }),
    ]);
    expect(rules(check({ kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 180 }))).toEqual(['hours_in_band']);
    expect(rules(check({ kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 7, minutesPerWeek: 180 }))).toEqual(['level_known']);
    // Another rule set in force on the day: its bands count.
    const narrow = { ...ruleSet, serviceLevels: ruleSet.serviceLevels.map((b) => (b.level === 3 ? { ...b, maxMinutes: 200 } : b)) };
    expect(rules(checkAmendment({ ruleSet: narrow, grant: GRANT, change: { kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 210 } }))).toEqual(['hours_in_band']);
  });
  it('keeps a stretch at level 4 to 3 months: from a step-up on 2026-11-02, level 4 may last until 2027-02-01', () => {
    const level2: AmendmentGrant = { ...GRANT, base: { ...BASE, serviceLevel: 2, minutesPerWeek: 150 }, end: '2027-02-26' };
    expect(checkAmendment({ ruleSet, grant: { ...level2, end: '2027-02-01' }, change: { kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 4, minutesPerWeek: 300 } })).toEqual([]);
    expect(checkAmendment({ ruleSet, grant: level2, change: { kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 4, minutesPerWeek: 300 } })).toEqual([
      expect.objectContaining({ field: 'serviceLevel', rule: 'level4_length', values: { start: '2026-11-02', end: '2027-02-26', maxMonths: 3, latestEnd: '2027-02-01' } }),
    ]);
    // With a step-down approved from 2027-01-04, the level-4 stretch ends on 2027-01-03.
    const withStepDown = { ...level2, amendments: [{ ...stepDown, effectiveFrom: '2027-01-04' }] };
    expect(checkAmendment({ ruleSet, grant: withStepDown, change: { kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 4, minutesPerWeek: 300 } })).toEqual([]);
  });
  it('asks a new mentor for a phone or e-mail, and refuses a change that changes nothing', () => {
    expect(rules(check({ kind: 'mentor', effectiveFrom: '2026-11-11', mentorName: 'Karsten Mentor', mentorPhone: null, mentorEmail: null }))).toEqual(['mentor_contact']);
    expect(rules(check({ kind: 'mentor', effectiveFrom: '2026-11-11', mentorName: 'Mette Mentor', mentorPhone: '12345678', mentorEmail: null }))).toEqual(['amendment_changes_nothing']);
    expect(rules(check({ kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 4, minutesPerWeek: 300 }))).toEqual(['amendment_changes_nothing']);
    expect(rules(check({ kind: 'goal', effectiveFrom: '2026-11-02', goal: 'Stabilt fremmøde', tasks: 'Tæt kontakt' }))).toEqual(['amendment_changes_nothing']);
  });
  it('amends only an active grant', () => {
    expect(amendmentStateProblem('active')).toBeNull();
    expect(amendmentStateProblem('ended')).toMatchObject({ rule: 'amendment_grant_active', values: { status: 'ended' } });
    expect(amendmentStateProblem('proposed')).toMatchObject({ rule: 'amendment_grant_active' });
  });
});

describe('approval of an amendment', () => {
  it('is needed when it raises the minutes in force on its day: 210 → 240 yes, 300 → 210 no, a mentor change no', () => {
    const stepped = { ...GRANT, amendments: [stepDown] };
    expect(needsApproval(stepped, { kind: 'hours', effectiveFrom: '2026-11-23', serviceLevel: 3, minutesPerWeek: 240 })).toBe(true);
    expect(newAmendmentStatus(stepped, { kind: 'hours', effectiveFrom: '2026-11-23', serviceLevel: 3, minutesPerWeek: 240 })).toBe('proposed');
    expect(needsApproval(GRANT, { kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 210 })).toBe(false);
    expect(newAmendmentStatus(GRANT, { kind: 'hours', effectiveFrom: '2026-11-02', serviceLevel: 3, minutesPerWeek: 210 })).toBe('approved');
    // Before the step-down takes effect the minutes in force are still 300: 240 there lowers them.
    expect(needsApproval(stepped, { kind: 'hours', effectiveFrom: '2026-10-26', serviceLevel: 3, minutesPerWeek: 240 })).toBe(false);
    expect(needsApproval(GRANT, { kind: 'mentor', effectiveFrom: '2026-11-11', mentorName: 'K', mentorPhone: '1', mentorEmail: null })).toBe(false);
  });
  it('is made by a team leader other than the one who recorded it', () => {
    expect(checkAmendmentApprover('user-a', 'user-b')).toEqual([]);
    expect(checkAmendmentApprover('user-a', 'user-a')).toEqual([expect.objectContaining({ field: 'approver', rule: 'amendment_approver_distinct' })]);
  });
  it('moves a proposed amendment to approved or rejected by a team leader only; both are final', () => {
    expect(amendmentTransitionProblem('proposed', 'approved', 'team_leader')).toBeNull();
    expect(amendmentTransitionProblem('proposed', 'rejected', 'team_leader')).toBeNull();
    expect(amendmentTransitionProblem('proposed', 'approved', 'caseworker')).toMatchObject({ rule: 'grant_amendment_transition_role' });
    expect(amendmentTransitionProblem('approved', 'rejected', 'team_leader')).toMatchObject({ rule: 'grant_amendment_transition', values: { from: 'approved', to: 'rejected' } });
  });
});
