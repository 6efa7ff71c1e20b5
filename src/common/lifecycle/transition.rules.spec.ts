import { transitionProblem, type Transition } from './transition.rules';

type Door = 'open' | 'shut' | 'gone';
const DOOR: Transition<Door>[] = [
  { from: 'open', to: 'shut', roles: ['finance'] },
  { from: 'shut', to: 'open', roles: ['finance', 'system'] },
  { from: 'shut', to: 'gone', roles: ['system'] },
];

describe('transitionProblem', () => {
  it('allows a listed transition to a listed role', () => {
    expect(transitionProblem('door', DOOR, 'open', 'shut', 'finance')).toBeNull();
    expect(transitionProblem('door', DOOR, 'shut', 'open', 'system')).toBeNull();
  });

  it('names both states of a transition that is not in the table, and where the state may go', () => {
    expect(transitionProblem('door', DOOR, 'open', 'gone', 'system')).toEqual({
      field: 'status',
      rule: 'door_transition',
      message: 'a door that is open cannot become gone (from open only shut)',
      values: { from: 'open', to: 'gone' },
    });
    expect(transitionProblem('door', DOOR, 'gone', 'open', 'system')?.message).toBe('a door that is gone cannot become open (gone is final)');
  });

  it('names the role a transition is not for', () => {
    expect(transitionProblem('door', DOOR, 'shut', 'gone', 'finance')).toEqual({
      field: 'status',
      rule: 'door_transition_role',
      message: 'finance may not move a door from shut to gone',
      values: { from: 'shut', to: 'gone', role: 'finance' },
    });
  });
});
