import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { checkEnd, checkSuccessor, isEarlyEnd, successorPeriod, successorState } from './grant-end.rules';

const ruleSet = DEFAULT_RULE_SET.values;
const holistic = { ruleSet, mentorType: 'holistic' as const, end: '2026-06-30' };

describe('ending a course early needs a lawful reason of its mentor type', () => {
  it('an end on the period’s last day is not early and needs no reason', () => {
    expect(isEarlyEnd('2026-06-30', '2026-06-30')).toBe(false);
    expect(checkEnd({ ...holistic, endedOn: '2026-06-30', outcome: 'still_on_benefit', reason: null })).toEqual([]);
  });

  it('a holistic course ended a day early without a reason is refused, naming the reasons allowed', () => {
    expect(isEarlyEnd('2026-06-30', '2026-06-29')).toBe(true);
    const [problem] = checkEnd({ ...holistic, endedOn: '2026-06-29', outcome: 'job', reason: null });
    expect(problem).toMatchObject({ field: 'reason', rule: 'end_reason_required', values: { allowed: 'ready_for_active_offer, left_target_group', endedOn: '2026-06-29', end: '2026-06-30' } });
  });

  it('a holistic course does not end early because its goal is reached', () => {
    expect(checkEnd({ ...holistic, endedOn: '2026-03-15', outcome: 'job', reason: 'goal_reached' })).toEqual([
      expect.objectContaining({ field: 'reason', rule: 'end_reason_for_mentor_type', values: expect.objectContaining({ reason: 'goal_reached', mentorType: 'holistic' }) }),
    ]);
  });

  it('a holistic course ends early when the citizen is ready for an active offer, with that outcome', () => {
    expect(checkEnd({ ...holistic, endedOn: '2026-03-15', outcome: 'active_offer', reason: 'ready_for_active_offer' })).toEqual([]);
    expect(checkEnd({ ...holistic, endedOn: '2026-03-15', outcome: 'job', reason: 'ready_for_active_offer' })).toEqual([expect.objectContaining({ field: 'outcome', rule: 'end_reason_outcome' })]);
    expect(checkEnd({ ...holistic, endedOn: '2026-03-15', outcome: 'other_benefit', reason: 'left_target_group' })).toEqual([]);
  });

  it('a retention course ends early for any reason of the list, or none', () => {
    expect(checkEnd({ ruleSet, mentorType: 'retention', end: '2026-06-30', endedOn: '2026-02-01', outcome: 'job', reason: 'goal_reached' })).toEqual([]);
    expect(checkEnd({ ruleSet, mentorType: 'retention', end: '2026-06-30', endedOn: '2026-02-01', outcome: 'job', reason: null })).toEqual([]);
  });
});

describe('a holistic period asks for its successor', () => {
  const period = { mentorType: 'holistic' as const, status: 'active', start: '2026-01-01', end: '2026-06-30', endedOn: null, outcome: null };

  it('the next period runs from the day after for 6 months: 2026-07-01 to 2026-12-31', () => {
    expect(successorPeriod(ruleSet, '2026-06-30')).toEqual({ start: '2026-07-01', end: '2026-12-31' });
    expect(successorPeriod(ruleSet, '2026-08-31')).toEqual({ start: '2026-09-01', end: '2027-02-28' });
  });

  it('is needed while active and after a period that ran to its end; answered by an active offer or a next period', () => {
    expect(successorState(period, false)).toBe('needed');
    expect(successorState({ ...period, status: 'ended', endedOn: '2026-06-30', outcome: 'still_on_benefit' }, false)).toBe('needed');
    expect(successorState({ ...period, status: 'ended', endedOn: '2026-06-30', outcome: 'active_offer' }, false)).toBe('active_offer');
    expect(successorState({ ...period, status: 'ended', endedOn: '2026-04-10', outcome: 'other_benefit' }, false)).toBeNull();
    expect(successorState(period, true)).toBe('next_period');
    expect(successorState({ ...period, mentorType: 'retention' }, false)).toBeNull();
  });

  it('refuses a next period after another type, a linked one, or an early end', () => {
    expect(checkSuccessor({ ...period, mentorType: 'retention' }, false)).toMatchObject({ problem: { rule: 'successor_holistic_only' }, conflict: false });
    expect(checkSuccessor(period, true)).toMatchObject({ problem: { rule: 'successor_exists' }, conflict: true });
    expect(checkSuccessor({ ...period, status: 'ended', endedOn: '2026-04-10', outcome: 'active_offer' }, false)).toMatchObject({ problem: { rule: 'successor_not_after_early_end' }, conflict: true });
    expect(checkSuccessor(period, false)).toEqual({ problem: null, conflict: false });
  });
});
