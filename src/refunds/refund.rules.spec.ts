import fc from 'fast-check';
import { compareText } from '../common/compare';
import { AccountCodeRule, DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSIONS, MENTOR_TYPES, MentorType, RefundRegime, RuleSetVersion, TARGET_GROUPS, TargetGroup } from '../rules/rule-set';
import {
  aggregateExpenses,
  computeRefundClaim,
  ExpenseAggregate,
  FrameUse,
  frameChanges,
  REFUND_CATEGORIES,
  REFUND_CLAIM_TRANSITIONS,
  refundClaimTransitionProblem,
  RefundClaimInput,
  refundClaimProblems,
  RefundExpense,
  RefundLine,
  refundOre,
  refundRegimeOn,
  refundTermsOn,
  ruleStretches,
  shareInProportion,
  stretchOf,
} from './refund.rules';

// The account codes these tests book on: example rules by mentor type and target group (the shipped chart is dated and sparse).
const EXAMPLE_ACCOUNT_CODES: AccountCodeRule[] = [
  { mentorType: null, targetGroup: null, code: '5.68.90.1-001' },
  { mentorType: 'company', targetGroup: null, code: '5.68.90.1-002' },
  { mentorType: 'holistic', targetGroup: null, code: '5.68.90.1-003' },
  { mentorType: 'discharge', targetGroup: null, code: '5.68.90.1-004' },
  { mentorType: 'release', targetGroup: null, code: '5.68.90.1-005' },
  { mentorType: null, targetGroup: 'resource_course', code: '5.68.90.1-006' },
];
const defaults = { ...DEFAULT_RULE_SET.values, accountCodes: EXAMPLE_ACCOUNT_CODES };
// The seeds' regime alone, as these tests compute with it (the shipped versions add the later regimes).
const SEEDS_VERSIONS: RuleSetVersion[] = [{ effectiveFrom: '2016-01-01', values: defaults }];
const SEEDS_REGIME = defaults.refundRegimes[0];

// 2019: refund mainly for unemployment-benefit recipients (a narrowed example regime).
const REGIME_2019: RefundRegime = { validFrom: '2019-01-01', insideFrame: ['unemployment_benefit', 'sickness_benefit'], outsideFrame: ['resource_course'], ratePercent: 50 };
const VERSION_2019: RuleSetVersion = { effectiveFrom: '2019-01-01', values: { ...defaults, refundRegimes: [SEEDS_REGIME, REGIME_2019] } };

let nextId = 1;
function expense(date: string, amountExclVatOre: number, targetGroupAtStart: TargetGroup = 'sickness_benefit', mentorType: MentorType = 'retention'): RefundExpense {
  return { deliveryId: `d-${String(nextId++).padStart(3, '0')}`, date, amountExclVatOre, targetGroupAtStart, mentorType };
}

beforeEach(() => {
  nextId = 1;
});

// The expenses summed as the service's SQL sums them, under the rule sets the claim is computed with.
function claim(from: string, to: string, expenses: RefundExpense[], patch: Partial<RefundClaimInput> = {}): RefundClaimInput {
  const ruleSets = patch.ruleSets ?? SEEDS_VERSIONS;
  return { from, to, aggregates: aggregateExpenses(expenses, ruleSets, from, to), ruleSets, frames: new Map([[2026, 10_000_000]]), claimedBefore: new Map(), ...patch };
}

function aggregated(from: string, to: string, aggregates: ExpenseAggregate[], patch: Partial<RefundClaimInput> = {}): RefundClaimInput {
  return { from, to, aggregates, ruleSets: SEEDS_VERSIONS, frames: new Map([[2026, 10_000_000]]), claimedBefore: new Map(), ...patch };
}

const rulesOf = (details: { rule: string }[]): string[] => details.map((d) => d.rule);

const JANUARY_SICK: ExpenseAggregate = { stretchFrom: '2026-01-01', targetGroupAtStart: 'sickness_benefit', mentorType: 'retention', expenses: 1, expenseOre: 100 };

describe('computeRefundClaim: one month under the seeds’ regime', () => {
  it('splits the expenses by category, rate and account code, with 50 % refund inside and outside the frame and none for the rest', () => {
    const result = computeRefundClaim(
      claim('2026-01-01', '2026-01-31', [
        expense('2026-01-05', 40_001),
        expense('2026-01-12', 25_000, 'activity_ready_cash_benefit', 'holistic'),
        expense('2026-01-19', 30_000, 'resource_course'),
        expense('2026-01-26', 18_750, 'unemployment_benefit'),
      ]),
    );

    expect(result.lines).toEqual([
      // 40 001 × 50 % = 20 000.5 → 20 001
      { year: 2026, category: 'inside_frame', ratePercent: 50, accountCode: '5.68.90.1-001', expenses: 1, expenseOre: 40_001, refundOre: 20_001, cappedOffOre: 0, claimedOre: 20_001 },
      { year: 2026, category: 'inside_frame', ratePercent: 50, accountCode: '5.68.90.1-003', expenses: 1, expenseOre: 25_000, refundOre: 12_500, cappedOffOre: 0, claimedOre: 12_500 },
      { year: 2026, category: 'outside_frame', ratePercent: 50, accountCode: '5.68.90.1-006', expenses: 1, expenseOre: 30_000, refundOre: 15_000, cappedOffOre: 0, claimedOre: 15_000 },
      { year: 2026, category: 'none', ratePercent: 0, accountCode: '5.68.90.1-001', expenses: 1, expenseOre: 18_750, refundOre: 0, cappedOffOre: 0, claimedOre: 0 },
    ]);
    expect(result.frames).toEqual([
      { year: 2026, frameOre: 10_000_000, claimedBeforeOre: 0, leftBeforeOre: 10_000_000, refundOre: 32_501, cappedOffOre: 0, claimedOre: 32_501, leftAfterOre: 9_967_499 },
    ]);
    expect(result.totals).toEqual({ expenseOre: 113_751, refundOre: 47_501, cappedOffOre: 0, claimedOre: 47_501 });
  });

  it('rounds the refund once per line, not per expense', () => {
    // Per expense 3 × 50 % = 1.5 → 2, twice 4; on the line 6 × 50 % = 3.
    const result = computeRefundClaim(claim('2026-01-01', '2026-01-31', [expense('2026-01-05', 3), expense('2026-01-06', 3)]));
    expect(result.lines.map((line) => [line.expenses, line.expenseOre, line.refundOre])).toEqual([[2, 6, 3]]);
  });

  it('nets a credit against the expenses of its line', () => {
    const result = computeRefundClaim(claim('2026-01-01', '2026-01-31', [expense('2026-01-05', 30_001), expense('2026-01-20', -10_000)]));
    // 20 001 × 50 % = 10 000.5 → 10 001
    expect(result.lines.map((line) => [line.expenses, line.expenseOre, line.refundOre, line.claimedOre])).toEqual([[2, 20_001, 10_001, 10_001]]);
  });

  it('has no lines, no frames and zero totals for an empty period', () => {
    expect(computeRefundClaim(claim('2026-02-01', '2026-02-28', [], { frames: new Map() }))).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      lines: [],
      frames: [],
      totals: { expenseOre: 0, refundOre: 0, cappedOffOre: 0, claimedOre: 0 },
    });
  });
});

describe('computeRefundClaim: the frame cap', () => {
  const frames = new Map([[2026, 100_000]]);

  it('gives a second claim only what the first left of the frame, shared among its account codes', () => {
    const january = computeRefundClaim(claim('2026-01-01', '2026-01-31', [expense('2026-01-05', 150_000)], { frames }));
    expect(january.frames).toEqual([
      { year: 2026, frameOre: 100_000, claimedBeforeOre: 0, leftBeforeOre: 100_000, refundOre: 75_000, cappedOffOre: 0, claimedOre: 75_000, leftAfterOre: 25_000 },
    ]);

    const february = computeRefundClaim(
      claim(
        '2026-02-01',
        '2026-02-28',
        [expense('2026-02-02', 30_000), expense('2026-02-09', 50_001, 'activity_ready_cash_benefit', 'holistic'), expense('2026-02-16', 20_000, 'resource_course')],
        { frames, claimedBefore: new Map([[2026, january.frames[0].claimedOre]]) },
      ),
    );
    // Inside the frame 15 000 + 25 001 = 40 001 is asked and 25 000 is left: 15 000 × 25 000 / 40 001 = 9 374.77
    // and 25 001 × 25 000 / 40 001 = 15 625.23; the odd øre goes to the larger remainder.
    expect(february.lines).toEqual([
      { year: 2026, category: 'inside_frame', ratePercent: 50, accountCode: '5.68.90.1-001', expenses: 1, expenseOre: 30_000, refundOre: 15_000, cappedOffOre: 5_625, claimedOre: 9_375 },
      { year: 2026, category: 'inside_frame', ratePercent: 50, accountCode: '5.68.90.1-003', expenses: 1, expenseOre: 50_001, refundOre: 25_001, cappedOffOre: 9_376, claimedOre: 15_625 },
      { year: 2026, category: 'outside_frame', ratePercent: 50, accountCode: '5.68.90.1-006', expenses: 1, expenseOre: 20_000, refundOre: 10_000, cappedOffOre: 0, claimedOre: 10_000 },
    ]);
    expect(february.frames).toEqual([
      { year: 2026, frameOre: 100_000, claimedBeforeOre: 75_000, leftBeforeOre: 25_000, refundOre: 40_001, cappedOffOre: 15_001, claimedOre: 25_000, leftAfterOre: 0 },
    ]);
    expect(february.totals).toEqual({ expenseOre: 100_001, refundOre: 50_001, cappedOffOre: 15_001, claimedOre: 35_000 });
  });

  it('claims nothing inside a used-up frame, and still the refund outside it', () => {
    const march = computeRefundClaim(
      claim('2026-03-01', '2026-03-31', [expense('2026-03-02', 10_000), expense('2026-03-03', 10_000, 'resource_course')], { frames, claimedBefore: new Map([[2026, 100_000]]) }),
    );
    expect(march.lines.map((line) => [line.category, line.refundOre, line.cappedOffOre, line.claimedOre])).toEqual([
      ['inside_frame', 5_000, 5_000, 0],
      ['outside_frame', 5_000, 0, 5_000],
    ]);
    expect(march.frames[0]).toMatchObject({ leftBeforeOre: 0, cappedOffOre: 5_000, claimedOre: 0, leftAfterOre: 0 });
  });

  it('counts nothing as left when earlier claims took more than a frame later lowered', () => {
    const result = computeRefundClaim(claim('2026-03-01', '2026-03-31', [expense('2026-03-02', 10_000)], { frames: new Map([[2026, 50_000]]), claimedBefore: new Map([[2026, 60_000]]) }));
    expect(result.frames[0]).toEqual({ year: 2026, frameOre: 50_000, claimedBeforeOre: 60_000, leftBeforeOre: 0, refundOre: 5_000, cappedOffOre: 5_000, claimedOre: 0, leftAfterOre: 0 });
  });

  it('claims all of exactly what is left', () => {
    const result = computeRefundClaim(claim('2026-03-01', '2026-03-31', [expense('2026-03-02', 50_000)], { frames, claimedBefore: new Map([[2026, 75_000]]) }));
    expect(result.frames[0]).toMatchObject({ leftBeforeOre: 25_000, refundOre: 25_000, cappedOffOre: 0, claimedOre: 25_000, leftAfterOre: 0 });
  });
});

describe('computeRefundClaim: the rules in force on each expense’s date', () => {
  it('uses the narrower 2019 regime from its first day inside one claim, each year under its own frame', () => {
    const result = computeRefundClaim(
      claim(
        '2018-12-01',
        '2019-01-31',
        [
          expense('2018-12-10', 10_000, 'activity_ready_cash_benefit'),
          expense('2018-12-31', 10_000, 'unemployment_benefit'),
          expense('2019-01-01', 10_000, 'activity_ready_cash_benefit'),
          expense('2019-01-14', 10_001, 'unemployment_benefit'),
          expense('2019-01-21', 8_000, 'resource_course'),
        ],
        { ruleSets: [SEEDS_VERSIONS[0], VERSION_2019], frames: new Map([[2018, 1_000_000], [2019, 2_000_000]]), claimedBefore: new Map([[2018, 990_000]]) },
      ),
    );
    expect(result.lines).toEqual([
      { year: 2018, category: 'inside_frame', ratePercent: 50, accountCode: '5.68.90.1-001', expenses: 1, expenseOre: 10_000, refundOre: 5_000, cappedOffOre: 0, claimedOre: 5_000 },
      { year: 2018, category: 'none', ratePercent: 0, accountCode: '5.68.90.1-001', expenses: 1, expenseOre: 10_000, refundOre: 0, cappedOffOre: 0, claimedOre: 0 },
      // 10 001 × 50 % = 5 000.5 → 5 001
      { year: 2019, category: 'inside_frame', ratePercent: 50, accountCode: '5.68.90.1-001', expenses: 1, expenseOre: 10_001, refundOre: 5_001, cappedOffOre: 0, claimedOre: 5_001 },
      { year: 2019, category: 'outside_frame', ratePercent: 50, accountCode: '5.68.90.1-006', expenses: 1, expenseOre: 8_000, refundOre: 4_000, cappedOffOre: 0, claimedOre: 4_000 },
      { year: 2019, category: 'none', ratePercent: 0, accountCode: '5.68.90.1-001', expenses: 1, expenseOre: 10_000, refundOre: 0, cappedOffOre: 0, claimedOre: 0 },
    ]);
    expect(result.frames).toEqual([
      { year: 2018, frameOre: 1_000_000, claimedBeforeOre: 990_000, leftBeforeOre: 10_000, refundOre: 5_000, cappedOffOre: 0, claimedOre: 5_000, leftAfterOre: 5_000 },
      { year: 2019, frameOre: 2_000_000, claimedBeforeOre: 0, leftBeforeOre: 2_000_000, refundOre: 5_001, cappedOffOre: 0, claimedOre: 5_001, leftAfterOre: 1_994_999 },
    ]);
  });

  it('caps each year by its own frame in a claim across New Year', () => {
    const result = computeRefundClaim(
      claim('2025-12-01', '2026-01-31', [expense('2025-12-15', 30_000), expense('2026-01-05', 30_000)], {
        frames: new Map([[2025, 100_000], [2026, 500_000]]),
        claimedBefore: new Map([[2025, 90_000]]),
      }),
    );
    expect(result.frames).toEqual([
      { year: 2025, frameOre: 100_000, claimedBeforeOre: 90_000, leftBeforeOre: 10_000, refundOre: 15_000, cappedOffOre: 5_000, claimedOre: 10_000, leftAfterOre: 0 },
      { year: 2026, frameOre: 500_000, claimedBeforeOre: 0, leftBeforeOre: 500_000, refundOre: 15_000, cappedOffOre: 0, claimedOre: 15_000, leftAfterOre: 485_000 },
    ]);
    expect(result.lines.map((line) => [line.year, line.refundOre, line.cappedOffOre, line.claimedOre])).toEqual([
      [2025, 15_000, 5_000, 10_000],
      [2026, 15_000, 0, 15_000],
    ]);
    expect(result.totals).toEqual({ expenseOre: 60_000, refundOre: 30_000, cappedOffOre: 5_000, claimedOre: 25_000 });
  });

  it('takes a regime change inside one rule-set version: resource courses without refund from mid-2022', () => {
    const regime2022: RefundRegime = { ...SEEDS_REGIME, validFrom: '2022-07-01', outsideFrame: [] };
    const versions: RuleSetVersion[] = [{ effectiveFrom: '2016-01-01', values: { ...defaults, refundRegimes: [SEEDS_REGIME, regime2022] } }];
    const result = computeRefundClaim(
      claim('2022-06-01', '2022-07-31', [expense('2022-06-30', 20_000, 'resource_course'), expense('2022-07-01', 20_000, 'resource_course')], { ruleSets: versions, frames: new Map() }),
    );
    expect(result.lines.map((line) => [line.category, line.ratePercent, line.expenseOre, line.claimedOre])).toEqual([
      ['outside_frame', 50, 20_000, 10_000],
      ['none', 0, 20_000, 0],
    ]);
    expect(result.frames).toEqual([]);
  });

  it('keeps lines of different rates apart and shares a capped frame among them', () => {
    const regime30: RefundRegime = { ...SEEDS_REGIME, validFrom: '2026-07-01', ratePercent: 30 };
    const versions: RuleSetVersion[] = [{ effectiveFrom: '2016-01-01', values: { ...defaults, refundRegimes: [SEEDS_REGIME, regime30] } }];
    const result = computeRefundClaim(
      claim('2026-06-01', '2026-07-31', [expense('2026-06-30', 10_000), expense('2026-07-01', 10_001)], { ruleSets: versions, frames: new Map([[2026, 6_000]]) }),
    );
    // 30 % of 10 001 = 3 000.3 → 3 000; 8 000 asked, 6 000 left: 5 000 × 6 000 / 8 000 = 3 750, 3 000 × 6 000 / 8 000 = 2 250.
    expect(result.lines.map((line) => [line.ratePercent, line.expenseOre, line.refundOre, line.cappedOffOre, line.claimedOre])).toEqual([
      [30, 10_001, 3_000, 750, 2_250],
      [50, 10_000, 5_000, 1_250, 3_750],
    ]);
  });

  it('books each expense on the account code of the version in force on its date', () => {
    const recoded: RuleSetVersion = { effectiveFrom: '2026-07-01', values: { ...defaults, accountCodes: [{ mentorType: null, targetGroup: null, code: '5.68.90.2-100' }] } };
    const result = computeRefundClaim(claim('2026-06-01', '2026-07-31', [expense('2026-06-30', 10_000), expense('2026-07-01', 10_000)], { ruleSets: [...SEEDS_VERSIONS, recoded] }));
    expect(result.lines.map((line) => [line.accountCode, line.claimedOre])).toEqual([
      ['5.68.90.1-001', 5_000],
      ['5.68.90.2-100', 5_000],
    ]);
  });
});

describe('refundTermsOn and refundRegimeOn', () => {
  it('picks the regime with the latest start on or before the date, whatever the list order', () => {
    const regimes = [REGIME_2019, SEEDS_REGIME];
    expect(refundRegimeOn(regimes, '2018-12-31')).toBe(SEEDS_REGIME);
    expect(refundRegimeOn(regimes, '2019-01-01')).toBe(REGIME_2019);
    expect(refundRegimeOn(regimes, '2015-12-31')).toBeNull();
    expect(refundRegimeOn([], '2026-01-01')).toBeNull();
  });

  it('gives no refund before any regime starts', () => {
    const early: RuleSetVersion = { effectiveFrom: '2015-01-01', values: defaults };
    expect(refundTermsOn([early], '2015-06-01', 'sickness_benefit', 'retention')).toEqual({ category: 'none', ratePercent: 0, regimeFrom: null, accountCode: '5.68.90.1-001' });
  });

  it('throws when no rule set is in force on the date', () => {
    expect(() => refundTermsOn(SEEDS_VERSIONS, '2015-12-31', 'sickness_benefit', 'retention')).toThrow('No rule set is in force on 2015-12-31');
  });

  it.each([
    ['activity_ready_cash_benefit', 'inside_frame', 50],
    ['psychiatric_discharge', 'inside_frame', 50],
    ['resource_course', 'outside_frame', 50],
    ['unemployment_benefit', 'none', 0],
    ['job_ready_cash_benefit', 'none', 0],
    ['employed', 'none', 0],
  ] as const)('puts %s in %s at %i % under the seeds’ regime', (group, category, ratePercent) => {
    expect(refundTermsOn(SEEDS_VERSIONS, '2026-03-01', group, 'retention')).toMatchObject({ category, ratePercent, regimeFrom: '2016-01-01' });
  });
});

describe('refundOre', () => {
  it.each([
    [40_001, 50, 20_001],
    [3, 50, 2],
    [1, 50, 1],
    [1, 49, 0],
    [10_001, 30, 3_000],
    [10_005, 30, 3_002],
    [-3, 50, -2],
    [0, 50, 0],
    [12_345, 0, 0],
    [12_345, 100, 12_345],
  ])('%i øre at %i % is %i øre', (expense, percent, refund) => {
    expect(refundOre(expense, percent)).toBe(refund);
  });

  it('refuses a fractional amount or rate', () => {
    expect(() => refundOre(1.5, 50)).toThrow('the expense must be a whole number of øre, got 1.5');
    expect(() => refundOre(100, 50.5)).toThrow('the refund rate must be a whole percent from 0 to 100, got 50.5');
    expect(() => refundOre(100, 101)).toThrow('got 101');
  });
});

describe('shareInProportion', () => {
  it.each([
    [[15_000, 25_001], 25_000, [9_375, 15_625]],
    [[1, 1, 1], 2, [1, 1, 0]],
    [[2, 2], 3, [2, 1]],
    [[5_000, 3_000], 6_000, [3_750, 2_250]],
    [[10, 0, 30], 20, [5, 0, 15]],
    [[10, 30], 0, [0, 0]],
    [[10, 30], 40, [10, 30]],
    [[10, 30], 50, [10, 30]],
    [[0, 0], 0, [0, 0]],
    [[], 100, []],
  ])('shares among %p what is left of %i: %p', (wanted, available, shares) => {
    expect(shareInProportion(wanted, available)).toEqual(shares);
  });

  it('adds up exactly and never gives a line more than it asks', () => {
    const wanted = [333_333, 1, 7, 250_000, 99_999];
    const shares = shareInProportion(wanted, 123_457);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(123_457);
    shares.forEach((share, i) => expect(share).toBeLessThanOrEqual(wanted[i]));
    // 60 222.28, 0.18, 1.26, 45 166.75, 18 066.52: the two øre left go to the two largest remainders.
    expect(shares).toEqual([60_222, 0, 1, 45_167, 18_067]);
  });

  it('refuses negative amounts', () => {
    expect(() => shareInProportion([1, -1], 1)).toThrow('the amounts to share among must be whole numbers of øre of 0 or more, got 1, -1');
    expect(() => shareInProportion([1], -1)).toThrow('the amount to share must be a whole number of øre of 0 or more, got -1');
  });
});

describe('refundClaimProblems', () => {
  it('accepts a clean claim', () => {
    expect(refundClaimProblems(claim('2026-01-01', '2026-01-31', [expense('2026-01-01', 100), expense('2026-01-31', 100)]))).toEqual([]);
  });

  it('wants the frame of a year with refund inside the frame, and only then', () => {
    const input = claim('2025-12-01', '2026-01-31', [expense('2025-12-15', 10_000), expense('2026-01-05', 10_000, 'resource_course')], { frames: new Map([[2025, null]]) });
    expect(refundClaimProblems(input)).toEqual([
      { field: 'frames.2025', rule: 'frame_missing', message: 'the refund frame of 2025 must be entered before refund inside the frame can be claimed', values: { year: 2025 } },
    ]);
    expect(() => computeRefundClaim(input)).toThrow('The refund claim for 2025-12-01 to 2026-01-31 cannot be computed: the refund frame of 2025 must be entered');
    const outsideOnly = claim('2026-01-01', '2026-01-31', [expense('2026-01-05', 10_000, 'resource_course'), expense('2026-01-06', 10_000, 'employed')], { frames: new Map() });
    expect(refundClaimProblems(outsideOnly)).toEqual([]);
  });

  it('refuses credits that outweigh the expenses of a line', () => {
    expect(refundClaimProblems(claim('2026-01-01', '2026-01-31', [expense('2026-01-05', 100), expense('2026-01-06', -101)]))).toEqual([
      {
        field: 'expenses',
        rule: 'line_not_negative',
        message: 'credits outweigh the expenses of 2026, inside_frame, 50 %, account 5.68.90.1-001: -1 øre',
        values: { year: 2026, category: 'inside_frame', expenseOre: -1 },
      },
    ]);
  });

  it('refuses an aggregate that does not start a rule stretch of the period, with the numbers', () => {
    const input = aggregated('2026-01-01', '2026-01-31', [{ stretchFrom: '2026-01-05', targetGroupAtStart: 'sickness_benefit', mentorType: 'retention', expenses: 1, expenseOre: 100 }]);
    expect(refundClaimProblems(input)).toEqual([
      {
        field: 'aggregates[0].stretchFrom',
        rule: 'stretch_start',
        message: 'aggregates[0] starts on 2026-01-05, which is not the first day of a rule stretch of the period 2026-01-01 to 2026-01-31',
        values: { stretchFrom: '2026-01-05', from: '2026-01-01', to: '2026-01-31' },
      },
    ]);
  });

  it.each([
    ['a period that ends before it starts', aggregated('2026-02-01', '2026-01-31', []), ['period_order']],
    ['a malformed date', aggregated('2026-02-30', '2026-03-31', []), ['calendar_date']],
    ['a fractional sum', aggregated('2026-01-01', '2026-01-31', [{ ...JANUARY_SICK, expenseOre: 0.5 }]), ['whole_ore']],
    ['a sum of no expenses', aggregated('2026-01-01', '2026-01-31', [{ ...JANUARY_SICK, expenses: 0 }]), ['positive_integer']],
    ['a malformed stretch', aggregated('2026-01-01', '2026-01-31', [{ ...JANUARY_SICK, stretchFrom: '2026-1-1' }]), ['calendar_date']],
    ['a stretch of another period', aggregated('2026-01-01', '2026-01-31', [{ ...JANUARY_SICK, stretchFrom: '2025-12-01' }]), ['stretch_start']],
    ['the same stretch, target group and mentor type twice', aggregated('2026-01-01', '2026-01-31', [JANUARY_SICK, JANUARY_SICK]), ['unique']],
    ['a negative frame', claim('2026-01-01', '2026-01-31', [], { frames: new Map([[2026, -1]]) }), ['non_negative_integer']],
    ['a negative earlier claim', claim('2026-01-01', '2026-01-31', [], { claimedBefore: new Map([[2026, -1]]) }), ['non_negative_integer']],
  ])('refuses %s', (_, input, rules) => {
    expect(rulesOf(refundClaimProblems(input))).toEqual(rules);
  });
});

describe('ruleStretches and stretchOf', () => {
  it('starts a stretch on the period’s first day, each version’s and regime’s first day and each 1 January inside the period', () => {
    const regime2022: RefundRegime = { ...SEEDS_REGIME, validFrom: '2022-07-01', outsideFrame: [] };
    const versions: RuleSetVersion[] = [SEEDS_VERSIONS[0], { effectiveFrom: '2022-03-15', values: { ...defaults, refundRegimes: [SEEDS_REGIME, regime2022] } }, VERSION_2019];
    expect(ruleStretches(versions, '2018-11-10', '2022-12-31')).toEqual(['2018-11-10', '2019-01-01', '2020-01-01', '2021-01-01', '2022-01-01', '2022-03-15', '2022-07-01']);
    // A change on the period's first day or after its last adds nothing.
    expect(ruleStretches(versions, '2019-01-01', '2019-12-31')).toEqual(['2019-01-01']);
    expect(ruleStretches(versions, '2022-07-02', '2022-07-31')).toEqual(['2022-07-02']);
    expect(ruleStretches(versions, '2022-06-01', '2022-07-01')).toEqual(['2022-06-01', '2022-07-01']);
  });

  it.each([
    ['2018-11-10', '2018-11-10'],
    ['2018-12-31', '2018-11-10'],
    ['2019-01-01', '2019-01-01'],
    ['2022-03-14', '2022-01-01'],
    ['2022-03-15', '2022-03-15'],
    ['2022-12-31', '2022-07-01'],
  ])('puts %s in the stretch from %s', (date, from) => {
    expect(stretchOf(['2018-11-10', '2019-01-01', '2022-01-01', '2022-03-15', '2022-07-01'], date)).toBe(from);
  });
});

describe('aggregateExpenses', () => {
  it('sums the expenses by rule stretch, target group and mentor type, credits included, in the order first met', () => {
    const versions = [SEEDS_VERSIONS[0], VERSION_2019];
    expect(
      aggregateExpenses(
        [
          expense('2018-12-10', 10_000),
          expense('2019-01-14', 10_001),
          expense('2018-12-31', 5_000),
          expense('2018-12-20', -2_000),
          expense('2018-12-20', 7_000, 'sickness_benefit', 'holistic'),
          expense('2019-01-01', 3_000, 'resource_course'),
        ],
        versions,
        '2018-12-01',
        '2019-01-31',
      ),
    ).toEqual([
      { stretchFrom: '2018-12-01', targetGroupAtStart: 'sickness_benefit', mentorType: 'retention', expenses: 3, expenseOre: 13_000 },
      { stretchFrom: '2019-01-01', targetGroupAtStart: 'sickness_benefit', mentorType: 'retention', expenses: 1, expenseOre: 10_001 },
      { stretchFrom: '2018-12-01', targetGroupAtStart: 'sickness_benefit', mentorType: 'holistic', expenses: 1, expenseOre: 7_000 },
      { stretchFrom: '2019-01-01', targetGroupAtStart: 'resource_course', mentorType: 'retention', expenses: 1, expenseOre: 3_000 },
    ]);
  });

  it('refuses an expense outside the period, a fraction of an øre and a delivery twice', () => {
    expect(() => aggregateExpenses([expense('2026-02-01', 100)], SEEDS_VERSIONS, '2026-01-01', '2026-01-31')).toThrow("delivery d-001 is dated 2026-02-01, outside the claim's period 2026-01-01 to 2026-01-31");
    expect(() => aggregateExpenses([expense('2026-01-05', 0.5)], SEEDS_VERSIONS, '2026-01-01', '2026-01-31')).toThrow('delivery d-002 must be a whole number of øre, got 0.5');
    const once = expense('2026-01-05', 1);
    expect(() => aggregateExpenses([once, { ...once }], SEEDS_VERSIONS, '2026-01-01', '2026-01-31')).toThrow('delivery d-003 appears more than once; an expense is claimed once');
  });

  it('refuses a sum beyond the safe integer range instead of rounding it', () => {
    expect(() => aggregateExpenses([expense('2026-01-05', Number.MAX_SAFE_INTEGER), expense('2026-01-06', 1)], SEEDS_VERSIONS, '2026-01-01', '2026-01-31')).toThrow(
      'the expenses from 2026-01-01 9007199254740992 is beyond the safe integer range',
    );
  });
});

describe('computeRefundClaim over aggregates: the same lines as judging every expense on its own date', () => {
  // The rule as it reads: every expense judged on its own date and added to its line, the refund rounded once per line.
  function linesOneByOne(expenses: RefundExpense[], ruleSets: RuleSetVersion[]): Array<Omit<RefundLine, 'cappedOffOre' | 'claimedOre'>> {
    const lines = new Map<string, Omit<RefundLine, 'cappedOffOre' | 'claimedOre'>>();
    for (const e of expenses) {
      const year = Number(e.date.slice(0, 4));
      const terms = refundTermsOn(ruleSets, e.date, e.targetGroupAtStart, e.mentorType);
      const key = JSON.stringify([year, terms.category, terms.ratePercent, terms.accountCode]);
      const line = lines.get(key) ?? { year, category: terms.category, ratePercent: terms.ratePercent, accountCode: terms.accountCode, expenses: 0, expenseOre: 0, refundOre: 0 };
      line.expenses += 1;
      line.expenseOre += e.amountExclVatOre;
      lines.set(key, line);
    }
    return [...lines.values()]
      .map((line) => ({ ...line, refundOre: refundOre(line.expenseOre, line.ratePercent) }))
      .sort(
        (a, b) =>
          a.year - b.year ||
          REFUND_CATEGORIES.indexOf(a.category) - REFUND_CATEGORIES.indexOf(b.category) ||
          a.ratePercent - b.ratePercent ||
          (a.accountCode === b.accountCode ? 0 : a.accountCode === null ? 1 : b.accountCode === null ? -1 : compareText(a.accountCode, b.accountCode)),
      );
  }

  const regime2022: RefundRegime = { ...SEEDS_REGIME, validFrom: '2022-07-01', outsideFrame: [], ratePercent: 30 };
  const VERSIONS: RuleSetVersion[] = [
    SEEDS_VERSIONS[0],
    VERSION_2019,
    { effectiveFrom: '2021-03-15', values: { ...defaults, refundRegimes: [SEEDS_REGIME, REGIME_2019, regime2022], accountCodes: [{ mentorType: 'holistic', targetGroup: null, code: '5.68.90.2-200' }, ...defaults.accountCodes] } },
  ];
  const day = fc.integer({ min: 0, max: 6 * 366 }).map((n) => new Date(Date.UTC(2017, 11, 1) + n * 86_400_000).toISOString().slice(0, 10));

  it('for any expenses over any period from 2017 to 2023', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ date: day, amountExclVatOre: fc.integer({ min: -50_000, max: 2_000_000 }), targetGroupAtStart: fc.constantFrom(...TARGET_GROUPS), mentorType: fc.constantFrom(...MENTOR_TYPES) }), { maxLength: 60 }),
        day,
        day,
        (drawn, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const expenses = drawn.map((e, i) => ({ ...e, deliveryId: `d-${i}`, date: e.date < from ? from : e.date > to ? to : e.date }));
          const input = claim(from, to, expenses, { ruleSets: VERSIONS, frames: new Map([2017, 2018, 2019, 2020, 2021, 2022, 2023].map((year) => [year, Number.MAX_SAFE_INTEGER])) });
          const expected = linesOneByOne(expenses, VERSIONS);
          if (expected.some((line) => line.expenseOre < 0)) {
            expect(rulesOf(refundClaimProblems(input))).toContain('line_not_negative');
            return;
          }
          expect(computeRefundClaim(input).lines).toEqual(expected.map((line) => ({ ...line, cappedOffOre: 0, claimedOre: line.refundOre })));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('frameChanges', () => {
  const used: FrameUse[] = [
    { year: 2025, frameOre: 100_000, claimedBeforeOre: 90_000, leftBeforeOre: 10_000, refundOre: 15_000, cappedOffOre: 5_000, claimedOre: 10_000, leftAfterOre: 0 },
    { year: 2026, frameOre: 500_000, claimedBeforeOre: 0, leftBeforeOre: 500_000, refundOre: 15_000, cappedOffOre: 0, claimedOre: 15_000, leftAfterOre: 485_000 },
  ];

  it('finds nothing when the frames and the earlier claims are as they were', () => {
    expect(frameChanges(used, new Map([[2025, 100_000], [2026, 500_000], [2027, 1]]), new Map([[2025, 90_000], [2027, 5]]))).toEqual([]);
    expect(frameChanges([], new Map(), new Map())).toEqual([]);
  });

  it('names the year of a frame entered anew and of a claim submitted meanwhile', () => {
    expect(frameChanges(used, new Map([[2025, 100_000], [2026, 400_000]]), new Map([[2025, 95_000]]))).toEqual([
      { field: 'frames.2025', rule: 'claim_stale', message: 'claims submitted since took 95000 øre of the frame of 2025, not 90000', values: { year: 2025 } },
      { field: 'frames.2026', rule: 'claim_stale', message: 'the frame of 2026 is 400000 øre now, 500000 when the claim was computed', values: { year: 2026 } },
    ]);
    expect(frameChanges(used.slice(1), new Map(), new Map())).toEqual([
      { field: 'frames.2026', rule: 'claim_stale', message: 'the frame of 2026 is none øre now, 500000 when the claim was computed', values: { year: 2026 } },
    ]);
  });
});

describe('refund claim lifecycle', () => {
  it('lets a worker take, store and fail a claim, and finance submit a draft or send it back to be computed', () => {
    expect(REFUND_CLAIM_TRANSITIONS.map((t) => `${t.from}→${t.to}: ${t.roles.join(', ')}`)).toEqual([
      'queued→computing: system',
      'computing→computing: system',
      'computing→draft: system',
      'queued→failed: system',
      'computing→failed: system',
      'draft→queued: finance',
      'draft→submitted: finance',
    ]);
    expect(refundClaimTransitionProblem('draft', 'submitted', 'finance')).toBeNull();
    expect(refundClaimTransitionProblem('computing', 'draft', 'system')).toBeNull();
  });

  it('names both states when a claim cannot make the move, and the role when it may not', () => {
    expect(refundClaimTransitionProblem('submitted', 'submitted', 'finance')).toEqual({
      field: 'status',
      rule: 'refund_claim_transition',
      message: 'a refund claim that is submitted cannot become submitted (submitted is final)',
      values: { from: 'submitted', to: 'submitted' },
    });
    expect(refundClaimTransitionProblem('queued', 'draft', 'system')).toEqual({
      field: 'status',
      rule: 'refund_claim_transition',
      message: 'a refund claim that is queued cannot become draft (from queued only computing or failed)',
      values: { from: 'queued', to: 'draft' },
    });
    expect(refundClaimTransitionProblem('failed', 'computing', 'system')?.rule).toBe('refund_claim_transition');
    expect(refundClaimTransitionProblem('draft', 'submitted', 'admin')).toEqual({
      field: 'status',
      rule: 'refund_claim_transition_role',
      message: 'admin may not move a refund claim from draft to submitted',
      values: { from: 'draft', to: 'submitted', role: 'admin' },
    });
    expect(refundClaimTransitionProblem('computing', 'draft', 'finance')?.rule).toBe('refund_claim_transition_role');
  });
});

describe('the refund regimes as enacted (the shipped versions), in exact øre', () => {
  const enacted = (from: string, to: string, expenses: RefundExpense[], frames: Array<[number, number]>) =>
    computeRefundClaim(claim(from, to, expenses, { ruleSets: DEFAULT_RULE_SET_VERSIONS, frames: new Map(frames) }));
  const lineOf = (result: ReturnType<typeof computeRefundClaim>) => result.lines.map(({ year, category, ratePercent, accountCode, expenseOre, refundOre, claimedOre }) => ({ year, category, ratePercent, accountCode, expenseOre, refundOre, claimedOre }));

  it('2016 merged frame: 50 % inside the frame, rounded half up per line; ressourceforløb outside the frame on 095', () => {
    const result = enacted('2016-03-01', '2016-03-31', [expense('2016-03-07', 100_001), expense('2016-03-08', 30_001, 'resource_course')], [[2016, 1_000_000]]);
    expect(lineOf(result)).toEqual([
      { year: 2016, category: 'inside_frame', ratePercent: 50, accountCode: null, expenseOre: 100_001, refundOre: 50_001, claimedOre: 50_001 },
      { year: 2016, category: 'outside_frame', ratePercent: 50, accountCode: '5.68.90.1-095', expenseOre: 30_001, refundOre: 15_001, claimedOre: 15_001 },
    ]);
    expect(result.totals).toEqual({ expenseOre: 130_002, refundOre: 65_002, cappedOffOre: 0, claimedOre: 65_002 });
  });

  it('no refund for insured unemployed and job-ready persons, booked on 018', () => {
    const result = enacted('2019-05-01', '2019-05-31', [expense('2019-05-02', 40_000, 'unemployment_benefit'), expense('2019-05-03', 12_345, 'job_ready_cash_benefit', 'holistic')], []);
    expect(lineOf(result)).toEqual([{ year: 2019, category: 'none', ratePercent: 0, accountCode: '5.68.90.1-018', expenseOre: 52_345, refundOre: 0, claimedOre: 0 }]);
  });

  it('a ressourceforløb claim over 31 December 2021 and 1 January 2022: refund before on 095, none after on 114', () => {
    const result = enacted('2021-12-01', '2022-01-31', [expense('2021-12-31', 12_345, 'resource_course'), expense('2022-01-01', 20_000, 'resource_course')], []);
    expect(lineOf(result)).toEqual([
      { year: 2021, category: 'outside_frame', ratePercent: 50, accountCode: '5.68.90.1-095', expenseOre: 12_345, refundOre: 6_173, claimedOre: 6_173 },
      { year: 2022, category: 'none', ratePercent: 0, accountCode: '5.68.90.1-114', expenseOre: 20_000, refundOre: 0, claimedOre: 0 },
    ]);
    expect(result.totals).toEqual({ expenseOre: 32_345, refundOre: 6_173, cappedOffOre: 0, claimedOre: 6_173 });
  });

  it('keeps the frame for the other target groups from 2022, and in 2026 under the budget-guarantee limit', () => {
    const result = enacted('2026-01-01', '2026-01-31', [expense('2026-01-15', 99_999, 'activity_ready_cash_benefit')], [[2026, 10_000]]);
    expect(lineOf(result)).toEqual([{ year: 2026, category: 'inside_frame', ratePercent: 50, accountCode: null, expenseOre: 99_999, refundOre: 50_000, claimedOre: 10_000 }]);
  });
});
