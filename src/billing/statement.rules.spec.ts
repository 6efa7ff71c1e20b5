import { AccountCodeRule, DEFAULT_RULE_SET, RuleSetValues } from '../rules/rule-set';
import {
  ApprovedDelivery,
  billingRunAction,
  buildStatement,
  correctionPlacement,
  MAX_PAYMENT_DUE_DAYS,
  paymentDueDays,
  StatementInput,
  statementDueDate,
  statementInputProblems,
  STATEMENT_TRANSITIONS,
  statementTotals,
  statementTransitionProblem,
} from './statement.rules';

// The account codes these tests book on: example rules by mentor type and target group (the shipped chart is dated and sparse).
const EXAMPLE_ACCOUNT_CODES: AccountCodeRule[] = [
  { mentorType: null, targetGroup: null, code: '5.68.90.1-001' },
  { mentorType: 'company', targetGroup: null, code: '5.68.90.1-002' },
  { mentorType: 'holistic', targetGroup: null, code: '5.68.90.1-003' },
  { mentorType: 'discharge', targetGroup: null, code: '5.68.90.1-004' },
  { mentorType: 'release', targetGroup: null, code: '5.68.90.1-005' },
  { mentorType: null, targetGroup: 'resource_course', code: '5.68.90.1-006' },
];
const EXAMPLE_RULE_SET: RuleSetValues = { ...DEFAULT_RULE_SET.values, accountCodes: EXAMPLE_ACCOUNT_CODES };

const ruleSet = EXAMPLE_RULE_SET;
const supplier = { id: 'sup-1', name: 'Mentorhuset Nordsjælland ApS', cvr: '12345674', vatRegistered: true };

let nextId = 1;
function delivery(grantReference: string, date: string, minutes: number, approvedOre: number, patch: Partial<ApprovedDelivery> = {}): ApprovedDelivery {
  return {
    deliveryId: `d-${String(nextId++).padStart(3, '0')}`,
    grantReference,
    date,
    minutes,
    approvedOre,
    vatBasisPoints: 2_500,
    mentorType: 'retention',
    targetGroupAtStart: 'sickness_benefit',
    invoiceNumber: 'INV-7',
    kind: 'delivery',
    ...patch,
  };
}

beforeEach(() => {
  nextId = 1;
});

function input(deliveries: ApprovedDelivery[], patch: Partial<StatementInput> = {}): StatementInput {
  return { supplier, month: '2026-03', issuedOn: '2026-04-02', ruleSet, deliveries, ...patch };
}

const rulesOf = (details: { rule: string }[]): string[] => details.map((d) => d.rule);

describe('buildStatement: a month of sessions', () => {
  const holistic = { mentorType: 'holistic', targetGroupAtStart: 'activity_ready_cash_benefit' } as const;

  it('groups the lines by grant reference and date, with minutes, amounts, VAT, total and due date', () => {
    const statement = buildStatement(
      input([
        delivery('MS-2026-000200', '2026-03-10', 45, 18_750),
        delivery('MS-2026-000123', '2026-03-17', 60, 25_000, holistic),
        delivery('MS-2026-000123', '2026-03-03', 7, 2_917, holistic),
      ]),
    );

    expect(statement).toEqual({
      supplier,
      month: '2026-03',
      from: '2026-03-01',
      to: '2026-03-31',
      issuedOn: '2026-04-02',
      paymentDueDays: 30,
      dueOn: '2026-05-02',
      selfBilled: false,
      groups: [
        {
          grantReference: 'MS-2026-000123',
          mentorType: 'holistic',
          accountCode: '5.68.90.1-003',
          lines: [
            { deliveryId: 'd-003', kind: 'delivery', date: '2026-03-03', minutes: 7, netOre: 2_917, vatBasisPoints: 2_500, invoiceNumber: 'INV-7', accountCode: '5.68.90.1-003' },
            { deliveryId: 'd-002', kind: 'delivery', date: '2026-03-17', minutes: 60, netOre: 25_000, vatBasisPoints: 2_500, invoiceNumber: 'INV-7', accountCode: '5.68.90.1-003' },
          ],
          minutes: 67,
          netOre: 27_917,
        },
        {
          grantReference: 'MS-2026-000200',
          mentorType: 'retention',
          accountCode: '5.68.90.1-001',
          lines: [
            { deliveryId: 'd-001', kind: 'delivery', date: '2026-03-10', minutes: 45, netOre: 18_750, vatBasisPoints: 2_500, invoiceNumber: 'INV-7', accountCode: '5.68.90.1-001' },
          ],
          minutes: 45,
          netOre: 18_750,
        },
      ],
      hoursAnnex: [
        {
          grantReference: 'MS-2026-000123',
          mentorType: 'holistic',
          sessions: 2,
          credits: 0,
          minutes: 67,
          weeks: [
            { week: '2026-W10', minutes: 7 },
            { week: '2026-W12', minutes: 60 },
          ],
          earlierMinutes: null,
          netOre: 27_917,
        },
        { grantReference: 'MS-2026-000200', mentorType: 'retention', sessions: 1, credits: 0, minutes: 45, weeks: [{ week: '2026-W11', minutes: 45 }], earlierMinutes: null, netOre: 18_750 },
      ],
      // 46 667 × 25 % = 11 666.75 → 11 667
      vat: [{ vatBasisPoints: 2_500, netOre: 46_667, vatOre: 11_667 }],
      accounts: [
        { accountCode: '5.68.90.1-001', netOre: 18_750 },
        { accountCode: '5.68.90.1-003', netOre: 27_917 },
      ],
      totals: { minutes: 112, netOre: 46_667, vatOre: 11_667, totalOre: 58_334 },
    });
  });

  it('is empty, with zero totals, for a month without approved lines', () => {
    const statement = buildStatement(input([]));
    expect(statement.groups).toEqual([]);
    expect(statement.hoursAnnex).toEqual([]);
    expect(statement.vat).toEqual([]);
    expect(statement.accounts).toEqual([]);
    expect(statement.totals).toEqual({ minutes: 0, netOre: 0, vatOre: 0, totalOre: 0 });
  });

  it('takes the first and last day of the month, in a leap February too', () => {
    const statement = buildStatement(input([delivery('G-1', '2028-02-01', 30, 12_500), delivery('G-1', '2028-02-29', 30, 12_500)], { month: '2028-02', issuedOn: '2028-03-01' }));
    expect([statement.from, statement.to]).toEqual(['2028-02-01', '2028-02-29']);
    expect(statement.groups[0].lines.map((line) => line.date)).toEqual(['2028-02-01', '2028-02-29']);
    expect(statement.hoursAnnex[0].weeks).toEqual([
      { week: '2028-W05', minutes: 30 },
      { week: '2028-W09', minutes: 30 },
    ]);
  });

  it('orders references by their characters, not by locale, and same-day lines by delivery id', () => {
    const statement = buildStatement(
      input([
        delivery('MS-2026-000010', '2026-03-05', 30, 1),
        delivery('MS-2026-000009', '2026-03-05', 30, 2),
        delivery('MS-2026-000009', '2026-03-05', 15, 3, { deliveryId: 'd-000' }),
      ]),
    );
    expect(statement.groups.map((group) => [group.grantReference, group.lines.map((line) => line.deliveryId)])).toEqual([
      ['MS-2026-000009', ['d-000', 'd-002']],
      ['MS-2026-000010', ['d-001']],
    ]);
  });
});

describe('buildStatement: VAT', () => {
  it('rounds VAT once per rate on the rate’s net, not per line', () => {
    // Per line 1 001 × 25 % = 250.25 → 250, twice 500; on the sum 2 002 × 25 % = 500.5 → 501.
    const statement = buildStatement(input([delivery('G-1', '2026-03-02', 3, 1_001), delivery('G-1', '2026-03-09', 3, 1_001)]));
    expect(statement.vat).toEqual([{ vatBasisPoints: 2_500, netOre: 2_002, vatOre: 501 }]);
    expect(statement.totals).toEqual({ minutes: 6, netOre: 2_002, vatOre: 501, totalOre: 2_503 });
  });

  it('keeps one VAT amount per rate, lowest rate first', () => {
    const statement = buildStatement(
      input([
        delivery('G-1', '2026-03-02', 60, 25_000),
        delivery('G-2', '2026-03-02', 45, 18_751, { vatBasisPoints: 0 }),
        delivery('G-3', '2026-03-03', 7, 2_917, { vatBasisPoints: 1_250 }),
      ]),
    );
    expect(statement.vat).toEqual([
      { vatBasisPoints: 0, netOre: 18_751, vatOre: 0 },
      // 2 917 × 12.5 % = 364.625 → 365
      { vatBasisPoints: 1_250, netOre: 2_917, vatOre: 365 },
      { vatBasisPoints: 2_500, netOre: 25_000, vatOre: 6_250 },
    ]);
    expect(statement.totals).toEqual({ minutes: 112, netOre: 46_668, vatOre: 6_615, totalOre: 53_283 });
  });

  it('pays no VAT to a supplier not registered for VAT', () => {
    const statement = buildStatement(input([delivery('G-1', '2026-03-02', 60, 25_000)], { supplier: { ...supplier, vatRegistered: false } }));
    expect(statement.groups[0].lines[0].vatBasisPoints).toBe(0);
    expect(statement.vat).toEqual([{ vatBasisPoints: 0, netOre: 25_000, vatOre: 0 }]);
    expect(statement.totals).toEqual({ minutes: 60, netOre: 25_000, vatOre: 0, totalOre: 25_000 });
  });

  it('rounds the VAT of a negative net away from zero', () => {
    // -2 918 × 25 % = -729.5 → -730
    const credit = delivery('G-1', '2026-02-10', -7, -2_918, { kind: 'credit' });
    expect(buildStatement(input([credit])).totals).toEqual({ minutes: -7, netOre: -2_918, vatOre: -730, totalOre: -3_648 });
  });
});

describe('buildStatement: credit lines', () => {
  it('nets a credit for a session of an earlier, final month in the grant’s group, after the same day’s sessions', () => {
    const statement = buildStatement(
      input([
        delivery('G-1', '2026-03-02', 60, 25_000),
        delivery('G-1', '2026-02-23', -15, -6_250, { kind: 'credit', invoiceNumber: 'CN-2' }),
        delivery('G-1', '2026-03-02', -60, -25_000, { kind: 'credit', invoiceNumber: 'CN-2' }),
      ]),
    );
    expect(statement.groups[0].lines.map((line) => [line.date, line.kind, line.minutes, line.netOre])).toEqual([
      ['2026-02-23', 'credit', -15, -6_250],
      ['2026-03-02', 'delivery', 60, 25_000],
      ['2026-03-02', 'credit', -60, -25_000],
    ]);
    expect(statement.hoursAnnex).toEqual([
      {
        grantReference: 'G-1',
        mentorType: 'retention',
        sessions: 1,
        credits: 2,
        minutes: -15,
        // The credit of February's session is no hour in March's weeks.
        weeks: [{ week: '2026-W10', minutes: 0 }],
        earlierMinutes: -15,
        netOre: -6_250,
      },
    ]);
    // -6 250 × 25 % = -1 562.5 → -1 563
    expect(statement.totals).toEqual({ minutes: -15, netOre: -6_250, vatOre: -1_563, totalOre: -7_813 });
  });
});

describe('buildStatement: account codes', () => {
  const codes: RuleSetValues = {
    ...ruleSet,
    accountCodes: [...ruleSet.accountCodes, { mentorType: 'holistic', targetGroup: 'resource_course', code: '5.68.90.1-007' }],
  };

  it.each([
    ['mentor type and target group both match', 'holistic', 'resource_course', '5.68.90.1-007'],
    ['mentor type matches', 'holistic', 'sickness_benefit', '5.68.90.1-003'],
    ['target group matches', 'retention', 'resource_course', '5.68.90.1-006'],
    ['neither: the catch-all', 'retention', 'sickness_benefit', '5.68.90.1-001'],
  ] as const)('takes the most specific rule (%s)', (_, mentorType, targetGroupAtStart, code) => {
    const statement = buildStatement(input([delivery('G-1', '2026-03-02', 60, 25_000, { mentorType, targetGroupAtStart })], { ruleSet: codes }));
    expect(statement.groups[0].accountCode).toBe(code);
    expect(statement.groups[0].lines[0].accountCode).toBe(code);
  });

  it('leaves the code empty, and totals it last, when no rule matches', () => {
    const noCatchAll: RuleSetValues = { ...ruleSet, accountCodes: [{ mentorType: 'company', targetGroup: null, code: '5.68.90.1-002' }] };
    const statement = buildStatement(
      input([delivery('G-1', '2026-03-02', 60, 25_000), delivery('G-2', '2026-03-02', 30, 12_500, { mentorType: 'company' })], { ruleSet: noCatchAll }),
    );
    expect(statement.accounts).toEqual([
      { accountCode: '5.68.90.1-002', netOre: 12_500 },
      { accountCode: null, netOre: 25_000 },
    ]);
  });
});

describe('buildStatement: self-billing', () => {
  it('bills a partner company from its registered hours, without invoice numbers', () => {
    const hours = [delivery('G-1', '2026-03-02', 60, 25_000, { mentorType: 'company', invoiceNumber: null, vatBasisPoints: 0 })];
    expect(rulesOf(statementInputProblems(input(hours)))).toEqual(['invoice_number_required']);
    const statement = buildStatement(input(hours, { selfBilled: true }));
    expect(statement.selfBilled).toBe(true);
    expect(statement.groups[0].accountCode).toBe('5.68.90.1-002');
    expect(statement.totals).toEqual({ minutes: 60, netOre: 25_000, vatOre: 0, totalOre: 25_000 });
  });
});

describe('payment terms', () => {
  it.each([
    ['2026-04-02', 30, '2026-05-02'],
    ['2026-01-31', 30, '2026-03-02'],
    ['2028-01-31', 30, '2028-03-01'],
    ['2026-12-15', 30, '2027-01-14'],
    ['2026-04-02', 14, '2026-04-16'],
    ['2026-04-02', 45, '2026-05-02'],
  ])('a statement issued on %s with %i payment days is due on %s', (issuedOn, days, dueOn) => {
    expect(statementDueDate(issuedOn, { ...ruleSet, paymentDueDays: days })).toBe(dueOn);
  });

  it('never allows more than 30 days, whatever the rule set says', () => {
    expect(MAX_PAYMENT_DUE_DAYS).toBe(30);
    expect(paymentDueDays({ ...ruleSet, paymentDueDays: 31 })).toBe(30);
    expect(paymentDueDays({ ...ruleSet, paymentDueDays: 30 })).toBe(30);
    expect(paymentDueDays({ ...ruleSet, paymentDueDays: 1 })).toBe(1);
    expect(buildStatement(input([], { ruleSet: { ...ruleSet, paymentDueDays: 60 } }))).toMatchObject({ paymentDueDays: 30, dueOn: '2026-05-02' });
  });

  it.each([0, -5, 7.5, Number.NaN])('refuses %p payment days', (days) => {
    expect(() => paymentDueDays({ ...ruleSet, paymentDueDays: days })).toThrow(`paymentDueDays must be a whole number above 0, got ${days}`);
    expect(rulesOf(statementInputProblems(input([], { ruleSet: { ...ruleSet, paymentDueDays: days } })))).toEqual(['positive_integer']);
  });
});

describe('statementInputProblems', () => {
  it('accepts a clean month', () => {
    expect(statementInputProblems(input([delivery('G-1', '2026-03-31', 60, 25_000), delivery('G-1', '2026-01-05', -60, -25_000, { kind: 'credit' })]))).toEqual([]);
  });

  it('refuses a session outside the month with the numbers', () => {
    expect(statementInputProblems(input([delivery('G-1', '2026-04-01', 60, 25_000)]))).toEqual([
      {
        field: 'deliveries[0].date',
        rule: 'delivery_in_month',
        message: 'deliveries[0] is a session on 2026-04-01, outside the month 2026-03',
        values: { date: '2026-04-01', month: '2026-03' },
      },
    ]);
    expect(rulesOf(statementInputProblems(input([delivery('G-1', '2026-02-28', 60, 25_000)])))).toEqual(['delivery_in_month']);
  });

  it('takes a session of an earlier, closed month approved after its close, and no other earlier session', () => {
    const late = delivery('G-1', '2026-02-27', 60, 25_000);
    expect(statementInputProblems({ ...input([late]), closedMonths: ['2026-02'] })).toEqual([]);
    expect(rulesOf(statementInputProblems({ ...input([late]), closedMonths: ['2026-01'] }))).toEqual(['delivery_in_month']);
    expect(rulesOf(statementInputProblems({ ...input([delivery('G-1', '2026-04-01', 60, 25_000)]), closedMonths: ['2026-04'] }))).toEqual(['delivery_in_month']);
    const statement = buildStatement({ ...input([late, delivery('G-1', '2026-03-02', 30, 12_500)]), closedMonths: ['2026-02'] });
    expect(statement.totals).toMatchObject({ minutes: 90, netOre: 37_500 });
    expect(statement.hoursAnnex[0]).toMatchObject({ minutes: 90, earlierMinutes: 60, weeks: [{ week: '2026-W10', minutes: 30 }] });
  });

  it('refuses a credit for a session after the month', () => {
    expect(rulesOf(statementInputProblems(input([delivery('G-1', '2026-04-01', -60, -25_000, { kind: 'credit' })])))).toEqual(['credit_date']);
  });

  it.each([
    ['a negative session amount', { approvedOre: -1 }, 'line_amount'],
    ['a fractional amount', { approvedOre: 12.5 }, 'line_amount'],
    ['negative session minutes', { minutes: -1 }, 'line_minutes'],
    ['fractional minutes', { minutes: 0.5 }, 'line_minutes'],
    ['a VAT rate above 100 %', { vatBasisPoints: 10_001 }, 'vat_rate'],
    ['a negative VAT rate', { vatBasisPoints: -1 }, 'vat_rate'],
    ['no invoice number', { invoiceNumber: ' ' }, 'invoice_number_required'],
    ['a date that does not exist', { date: '2026-02-30' }, 'calendar_date'],
    ['an unknown kind', { kind: 'refund' as never }, 'line_kind'],
  ])('refuses %s', (_, patch: Partial<ApprovedDelivery>, rule) => {
    expect(rulesOf(statementInputProblems(input([delivery('G-1', '2026-03-02', 60, 25_000, patch)])))).toEqual([rule]);
  });

  it.each([
    ['a positive amount', 60, 25_000, ['line_minutes', 'line_amount']],
    ['a positive amount only', -60, 1, ['line_amount']],
    ['nothing taken back', 0, 0, ['credit_empty']],
  ])('refuses a credit line with %s', (_, minutes, approvedOre, rules) => {
    expect(rulesOf(statementInputProblems(input([delivery('G-1', '2026-03-02', minutes, approvedOre, { kind: 'credit' })])))).toEqual(rules);
  });

  it('accepts a credit line that corrects only the amount or only the minutes', () => {
    expect(statementInputProblems(input([delivery('G-1', '2026-03-02', 0, -1_250, { kind: 'credit' }), delivery('G-2', '2026-03-02', -15, 0, { kind: 'credit' })]))).toEqual([]);
  });

  it('refuses a delivery paid twice', () => {
    const line = delivery('G-1', '2026-03-02', 60, 25_000);
    expect(statementInputProblems(input([line, { ...line }]))).toEqual([
      { field: 'deliveries[1].deliveryId', rule: 'unique', message: 'delivery d-001 appears more than once; a delivery is paid at most once', values: { deliveryId: 'd-001' } },
    ]);
  });

  it('refuses a grant whose lines disagree on mentor type or target group', () => {
    const lines = [
      delivery('G-1', '2026-03-02', 60, 25_000),
      delivery('G-1', '2026-03-09', 60, 25_000, { mentorType: 'company' }),
      delivery('G-1', '2026-03-16', 60, 25_000, { targetGroupAtStart: 'resource_course' }),
    ];
    expect(rulesOf(statementInputProblems(input(lines)))).toEqual(['grant_consistent', 'grant_consistent']);
  });

  it('refuses a malformed month and an issue date before the month', () => {
    expect(rulesOf(statementInputProblems(input([], { month: '2026-13' })))).toEqual(['calendar_month']);
    expect(rulesOf(statementInputProblems(input([], { issuedOn: '2026-02-28' })))).toEqual(['issued_before_month']);
    expect(rulesOf(statementInputProblems(input([], { issuedOn: '2026-3-1' })))).toEqual(['calendar_date']);
    expect(statementInputProblems(input([], { issuedOn: '2026-03-01' }))).toEqual([]);
  });

  it('makes buildStatement throw with every problem', () => {
    const lines = [delivery('G-1', '2026-04-01', 60, 25_000), delivery('G-1', '2026-03-02', 60, -1)];
    expect(() => buildStatement(input(lines))).toThrow(
      'The statement of supplier sup-1 for 2026-03 cannot be built: deliveries[0] is a session on 2026-04-01, outside the month 2026-03; deliveries[1].approvedOre of a delivery line must be a whole number of øre of 0 or more, got -1',
    );
  });
});

describe('statement lifecycle', () => {
  it('creates a missing statement, replaces a draft and keeps a final one', () => {
    expect([billingRunAction(null), billingRunAction('draft'), billingRunAction('final')]).toEqual(['create', 'replace', 'keep']);
  });

  it('lets finance (through a worker) rebuild a draft and make it final, and nothing change a final statement', () => {
    expect(STATEMENT_TRANSITIONS.map((t) => `${t.from}→${t.to}: ${t.roles.join(', ')}`)).toEqual(['draft→draft: finance, system', 'draft→final: finance, system', 'final→paid: finance, service']);
    for (const role of ['finance', 'system'] as const) {
      expect(statementTransitionProblem('draft', 'draft', role)).toBeNull();
      expect(statementTransitionProblem('draft', 'final', role)).toBeNull();
    }
    expect(statementTransitionProblem('final', 'draft', 'system')).toEqual({
      field: 'status',
      rule: 'statement_transition',
      message: 'a statement that is final cannot become draft (from final only paid)',
      values: { from: 'final', to: 'draft' },
    });
    expect(statementTransitionProblem('final', 'final', 'finance')?.rule).toBe('statement_transition');
    expect(statementTransitionProblem('draft', 'final', 'supplier')).toMatchObject({ rule: 'statement_transition_role', values: { from: 'draft', to: 'final', role: 'supplier' } });
  });

  it('lets finance or the finance system mark a final statement paid once, and nothing leave paid', () => {
    expect(statementTransitionProblem('final', 'paid', 'finance')).toBeNull();
    expect(statementTransitionProblem('final', 'paid', 'service')).toBeNull();
    expect(statementTransitionProblem('final', 'paid', 'admin')).toMatchObject({ rule: 'statement_transition_role', values: { from: 'final', to: 'paid', role: 'admin' } });
    expect(statementTransitionProblem('draft', 'paid', 'finance')).toMatchObject({ rule: 'statement_transition', values: { from: 'draft', to: 'paid' } });
    expect(statementTransitionProblem('paid', 'paid', 'finance')).toMatchObject({ rule: 'statement_transition', message: 'a statement that is paid cannot become paid (paid is final)' });
    expect(billingRunAction('paid')).toBe('keep');
  });
});

describe('corrections', () => {
  it('bills a month again while its statement is missing or a draft', () => {
    expect(correctionPlacement('2026-02', null, '2026-03')).toEqual({ action: 'rerun', month: '2026-02' });
    expect(correctionPlacement('2026-02', 'draft', '2026-03')).toEqual({ action: 'rerun', month: '2026-02' });
  });

  it('puts a correction of a final month on a later month’s statement, across New Year too', () => {
    expect(correctionPlacement('2026-02', 'final', '2026-03')).toEqual({ action: 'credit', month: '2026-03' });
    expect(correctionPlacement('2026-12', 'final', '2027-01')).toEqual({ action: 'credit', month: '2027-01' });
    expect(() => correctionPlacement('2026-02', 'final', '2026-02')).toThrow('a correction of the final statement for 2026-02 goes in a later month, not 2026-02');
    expect(() => correctionPlacement('2026-02', 'final', '2026-01')).toThrow('not 2026-01');
    expect(() => correctionPlacement('2026-02', 'final', '2026-01')).toThrow(expect.objectContaining({ code: 'correction_month', conflict: true, values: { deliveryMonth: '2026-02', openMonth: '2026-01' } }));
  });

  it('nets a credit line, dated on the session it corrects, in a later statement', () => {
    const credit = { ...delivery('G-1', '2026-02-10', -15, -6_250), deliveryId: 'cr-1', kind: 'credit' as const };
    const march = buildStatement(input([delivery('G-1', '2026-03-02', 60, 25_000), credit]));
    expect(march.groups[0].lines.map((line) => [line.deliveryId, line.kind, line.minutes, line.netOre])).toEqual([
      ['cr-1', 'credit', -15, -6_250],
      ['d-002', 'delivery', 60, 25_000],
    ]);
    // 18 750 × 25 % = 4 687.5 → 4 688
    expect(march.totals).toEqual({ minutes: 45, netOre: 18_750, vatOre: 4_688, totalOre: 23_438 });
  });
});

describe('statementTotals', () => {
  it('totals lines summed per VAT rate exactly as the statement built from the lines does', () => {
    const lines = [
      delivery('G-1', '2026-03-02', 45, 18_751, { vatBasisPoints: 2_500 }),
      delivery('G-1', '2026-03-03', 30, 12_501, { vatBasisPoints: 2_500 }),
      delivery('G-2', '2026-03-04', 60, 25_003, { vatBasisPoints: 1_250 }),
      { ...delivery('G-2', '2026-02-10', -15, -6_251, { vatBasisPoints: 1_250 }), kind: 'credit' as const },
    ];
    const built = buildStatement(input(lines));
    const rates = [
      { vatBasisPoints: 2_500, minutes: 75, netOre: 31_252 },
      { vatBasisPoints: 1_250, minutes: 60, netOre: 25_003 },
      { vatBasisPoints: 1_250, minutes: -15, netOre: -6_251 },
    ];
    // 31 252 × 25 % = 7 813; 18 752 × 12.5 % = 2 344
    expect(statementTotals(rates, true)).toEqual({ minutes: 120, netOre: 50_004, vatOre: 10_157, totalOre: 60_161 });
    expect(statementTotals(rates, true)).toEqual(built.totals);
    expect(statementTotals(rates, false)).toEqual({ minutes: 120, netOre: 50_004, vatOre: 0, totalOre: 50_004 });
  });
});
