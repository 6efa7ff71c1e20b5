import { RuleError } from '../common/errors/rule-error';
import { BILLING_RUN_TRANSITIONS, batches, billingMonthProblems, billingRunTransitionProblem, progressPercent, statementNumber } from './billing-run.rules';

describe('billingMonthProblems', () => {
  it('lets a month that has begun be billed as drafts, and made final only once it has ended', () => {
    expect(billingMonthProblems('2026-11', '2026-11-25', 'build')).toEqual([]);
    expect(billingMonthProblems('2026-10', '2026-11-25', 'build')).toEqual([]);
    expect(billingMonthProblems('2026-10', '2026-11-01', 'finalise')).toEqual([]);
    expect(billingMonthProblems('2026-10', '2026-10-31', 'finalise')).toMatchObject([{ rule: 'month_ended' }]);
    expect(billingMonthProblems('2026-11', '2026-11-25', 'finalise')).toMatchObject([{ rule: 'month_ended' }]);
  });

  it('refuses a future or malformed month', () => {
    expect(billingMonthProblems('2026-12', '2026-11-30', 'build')).toMatchObject([{ field: 'month', rule: 'not_in_future', values: { month: '2026-12', today: '2026-11-30' } }]);
    for (const month of ['2026-13', '2026-1', '26-01', '', null, 202601]) {
      expect(billingMonthProblems(month, '2026-11-30', 'build')).toMatchObject([{ field: 'month', rule: 'calendar_month' }]);
    }
  });
});

describe('billingMonthProblems: the first month', () => {
  it('bills from 2000-01, the first month of the date window, and refuses the month before', () => {
    expect(billingMonthProblems('2000-01', '2026-11-25', 'build')).toEqual([]);
    expect(billingMonthProblems('2000-01', '2026-11-25', 'finalise')).toEqual([]);
    expect(billingMonthProblems('1999-12', '2026-11-25', 'build')).toEqual([
      { field: 'month', rule: 'date_window', message: '1999-12 is before 2000-01, the first month the portal holds', values: { month: '1999-12', from: '2000-01' } },
    ]);
    expect(billingMonthProblems('1000-01', '2026-11-25', 'finalise')).toMatchObject([{ rule: 'date_window' }]);
  });
});

describe('batches, progress and numbers', () => {
  it('splits in order with a short last batch', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
    expect(() => batches([1], 0)).toThrow('the batch size must be a whole number of at least 1, got 0');
  });

  it('reports whole percent rounded down; an empty run is done', () => {
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(2, 3)).toBe(66);
    expect(progressPercent(3, 3)).toBe(100);
    expect(progressPercent(0, 0)).toBe(100);
  });

  it('numbers statements per year with six digits', () => {
    expect(statementNumber(2026, 1)).toBe('AF-2026-000001');
    expect(statementNumber(2026, 999_999)).toBe('AF-2026-999999');
    expect(() => statementNumber(2026, 0)).toThrow(RuleError);
    expect(() => statementNumber(2026, 1_000_000)).toThrow(expect.objectContaining({ code: 'statement_number_range', values: { year: 2026, sequence: 1_000_000, max: 999_999 } }));
  });
});

describe('billing run lifecycle', () => {
  it('lets a worker plan, plan again, complete and fail a run, and nothing leave completed or failed', () => {
    expect(BILLING_RUN_TRANSITIONS.map((t) => `${t.from}→${t.to}`)).toEqual(['queued→running', 'running→running', 'running→completed', 'queued→failed', 'running→failed']);
    expect(billingRunTransitionProblem('queued', 'running', 'system')).toBeNull();
    expect(billingRunTransitionProblem('running', 'completed', 'system')).toBeNull();
    expect(billingRunTransitionProblem('completed', 'running', 'system')).toEqual({
      field: 'status',
      rule: 'billing_run_transition',
      message: 'a billing run that is completed cannot become running (completed is final)',
      values: { from: 'completed', to: 'running' },
    });
    expect(billingRunTransitionProblem('queued', 'completed', 'system')?.message).toBe('a billing run that is queued cannot become completed (from queued only running or failed)');
    expect(billingRunTransitionProblem('running', 'completed', 'finance')).toMatchObject({ rule: 'billing_run_transition_role' });
  });
});
