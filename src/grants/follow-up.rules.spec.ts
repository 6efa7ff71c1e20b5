import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { checkFollowUpDay, followUpStateProblem, taskClosedBy } from './follow-up.rules';

const ruleSet = DEFAULT_RULE_SET.values;
const grant = { status: 'active', start: '2026-08-31', end: '2027-02-27' };

describe('follow-ups held by the caseworker', () => {
  it('are recorded on an active grant only (409 otherwise)', () => {
    expect(followUpStateProblem('active')).toBeNull();
    expect(followUpStateProblem('ended')).toMatchObject({ rule: 'follow_up_grant_active', values: { status: 'ended' } });
    expect(followUpStateProblem('proposed')).toMatchObject({ rule: 'follow_up_grant_active' });
  });
  it('are held inside the period and not after today', () => {
    expect(checkFollowUpDay({ grant, heldOn: '2026-11-25', today: '2026-11-25' })).toEqual([]);
    expect(checkFollowUpDay({ grant, heldOn: '2026-11-26', today: '2026-11-25' })).toEqual([
      expect.objectContaining({ field: 'heldOn', rule: 'follow_up_not_future', values: { heldOn: '2026-11-26', today: '2026-11-25' } }),
    ]);
    expect(checkFollowUpDay({ grant, heldOn: '2026-08-30', today: '2026-11-25' })).toEqual([
      expect.objectContaining({ rule: 'follow_up_in_period', values: { start: '2026-08-31', end: '2027-02-27', heldOn: '2026-08-30' } }),
    ]);
  });
  it('close the first open follow-up (due 13 weeks after the start, 2026-11-30), then the one 13 weeks after the last held', () => {
    expect(taskClosedBy('follow_up', { ...grant, ruleSet, held: [] })).toEqual({ kind: 'follow_up', due: '2026-11-30' });
    expect(taskClosedBy('follow_up', { ...grant, ruleSet, held: [{ kind: 'follow_up', heldOn: '2026-11-20', periodEnd: '2027-02-27' }] })).toEqual({ kind: 'follow_up', due: '2027-02-19' });
  });
  it('close the evaluation due 14 days before the end (2027-02-13); none once it is held for this end', () => {
    expect(taskClosedBy('evaluation', { ...grant, ruleSet, held: [] })).toEqual({ kind: 'evaluation', due: '2027-02-13' });
    expect(taskClosedBy('evaluation', { ...grant, ruleSet, held: [{ kind: 'evaluation', heldOn: '2027-02-10', periodEnd: '2027-02-27' }] })).toBeNull();
  });
});
