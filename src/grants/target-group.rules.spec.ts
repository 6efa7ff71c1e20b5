import { changeReach, checkTargetGroupChange, targetGroupInForce, type TargetGroupEntry } from './target-group.rules';

// Registered on activity-ready cash benefit; on sickness benefit from 2026-10-01; on resource course from 2027-01-01.
const history: TargetGroupEntry[] = [
  { targetGroup: 'resource_course', effectiveFrom: '2027-01-01' },
  { targetGroup: 'activity_ready_cash_benefit', effectiveFrom: '2000-01-01' },
  { targetGroup: 'sickness_benefit', effectiveFrom: '2026-10-01' },
];

describe('targetGroupInForce', () => {
  it('is the entry in force on the day, from its first day to the day before the next', () => {
    expect(targetGroupInForce(history, '2026-09-30')).toBe('activity_ready_cash_benefit');
    expect(targetGroupInForce(history, '2026-10-01')).toBe('sickness_benefit');
    expect(targetGroupInForce(history, '2026-12-31')).toBe('sickness_benefit');
    expect(targetGroupInForce(history, '2027-01-01')).toBe('resource_course');
    expect(targetGroupInForce([{ targetGroup: 'sickness_benefit', effectiveFrom: '2026-10-01' }], '2026-09-30')).toBeNull();
  });
});

describe('changeReach', () => {
  it('reaches to the next later change, or is open', () => {
    expect(changeReach(history, '2026-11-15')).toEqual({ from: '2026-11-15', until: '2027-01-01' });
    expect(changeReach(history, '2027-03-01')).toEqual({ from: '2027-03-01', until: null });
    expect(changeReach(history, '2026-10-01')).toEqual({ from: '2026-10-01', until: '2027-01-01' });
  });
});

describe('checkTargetGroupChange', () => {
  const grants = [
    { reference: 'MS-2026-000001', status: 'active', start: '2026-09-01', targetGroupAtStart: 'activity_ready_cash_benefit' as const },
    { reference: 'MS-2026-000002', status: 'proposed', start: '2026-11-15', targetGroupAtStart: 'sickness_benefit' as const },
    { reference: 'MS-2026-000003', status: 'active', start: '2026-12-01', targetGroupAtStart: 'sickness_benefit' as const },
    { reference: 'MS-2027-000004', status: 'sent_back', start: '2027-01-04', targetGroupAtStart: 'resource_course' as const },
  ];

  it('re-targets the proposals starting in its reach and leaves the rest', () => {
    // Sickness benefit again from 2026-11-15 changes no grant; activity-ready education benefit from 2027-01-02 re-targets the proposal sent back of 2027-01-04.
    expect(checkTargetGroupChange({ history, targetGroup: 'sickness_benefit', effectiveFrom: '2026-11-15', grants })).toEqual({
      problems: [],
      retarget: [],
      reach: { from: '2026-11-15', until: '2027-01-01' },
    });
    expect(checkTargetGroupChange({ history, targetGroup: 'education_benefit_activity_ready', effectiveFrom: '2027-01-02', grants })).toEqual({
      problems: [],
      retarget: ['MS-2027-000004'],
      reach: { from: '2027-01-02', until: null },
    });
  });

  it('refuses a change that would alter an approved grant’s target group at its start, naming it', () => {
    const result = checkTargetGroupChange({ history, targetGroup: 'education_benefit_activity_ready', effectiveFrom: '2026-11-15', grants });
    expect(result.problems).toEqual([
      {
        field: 'effectiveFrom',
        rule: 'target_group_alters_grant',
        message: 'the change from 2026-11-15 would alter the target group at the start of the approved grant MS-2026-000003',
        values: { effectiveFrom: '2026-11-15', grants: 'MS-2026-000003' },
      },
    ]);
    expect(result.retarget).toEqual(['MS-2026-000002']);
    // A day after the approved grant's start leaves it alone.
    expect(checkTargetGroupChange({ history, targetGroup: 'education_benefit_activity_ready', effectiveFrom: '2026-12-02', grants }).problems).toEqual([]);
  });

  it('refuses a day outside the date window', () => {
    expect(checkTargetGroupChange({ history, targetGroup: 'sickness_benefit', effectiveFrom: '1999-12-31', grants }).problems).toEqual([
      { field: 'effectiveFrom', rule: 'date_window', message: 'effectiveFrom must lie from 2000-01-01 to 2099-12-31, got 1999-12-31', values: { date: '1999-12-31', from: '2000-01-01', to: '2099-12-31' } },
    ]);
  });
});
