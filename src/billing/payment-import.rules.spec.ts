import { parsePaidAmount, paymentPlan, PAYMENT_FILE_MAX_BYTES, readPaymentFile, type PayableStatement } from './payment-import.rules';

const TODAY = '2026-11-25';

describe('the payment file', () => {
  it('reads kroner to the øre, never through a float', () => {
    expect(['1828,13', '1.828,13', '1828.13', '1828', '0,1', '12.345.678,90', '0.29'].map(parsePaidAmount)).toEqual([182_813, 182_813, 182_813, 182_800, 10, 1_234_567_890, 29]);
    expect(['', '1,234', '1.2.3', '12,3456', 'abc', '1e3', '-5', '1 828,13'].map(parsePaidAmount)).toEqual([null, null, null, null, null, null, null, null]);
  });

  it('reads rows with Danish or English headers, ";" or ",", a BOM and blank rows', () => {
    const danish = readPaymentFile('\ufeffafregningsnummer;beløb;betalingsdato\r\nAF-2026-000001;1.828,13;2026-11-20\r\n\r\nAF-2026-000002;437,50;2026-11-21\r\n', 100, TODAY);
    expect(danish).toEqual({
      rows: [
        { row: 2, statementNumber: 'AF-2026-000001', paidOre: 182_813, paidOn: '2026-11-20' },
        { row: 4, statementNumber: 'AF-2026-000002', paidOre: 43_750, paidOn: '2026-11-21' },
      ],
      problems: [],
    });
    const english = readPaymentFile('paid_on,statement_number,paid_amount,note\n2026-11-20,AF-2026-000001,"1828,13",x\n', 100, TODAY);
    expect(english.rows).toEqual([{ row: 2, statementNumber: 'AF-2026-000001', paidOre: 182_813, paidOn: '2026-11-20' }]);
  });

  it('names the row and the column of every problem, and keeps no row of a file that has one', () => {
    const file = [
      'statement_number;paid_amount;paid_on',
      'AF-2026-000001;-100,00;2026-11-20',
      'AF-2026-000002;12,345;2026-11-20',
      'AF-2026-000003;100,00;2026-13-01',
      'AF-2026-000004;100,00;2026-11-26',
      ';100,00;2026-11-20',
      'AF-2026-000005;0;2026-11-20',
      'AF-2026-000006;100,00;2026-11-20',
      'AF-2026-000006;100,00;2026-11-20',
    ].join('\n');
    const read = readPaymentFile(file, file.length, TODAY);
    expect(read.problems.map((p) => [p.field, p.rule])).toEqual([
      ['rows[2].paid_amount', 'payment_amount_positive'],
      ['rows[3].paid_amount', 'payment_amount'],
      ['rows[4].paid_on', 'payment_date'],
      ['rows[5].paid_on', 'payment_date_future'],
      ['rows[6].statement_number', 'payment_statement_number'],
      ['rows[7].paid_amount', 'payment_amount_positive'],
      ['rows[9].statement_number', 'payment_row_duplicate'],
    ]);
    expect(read.problems[6]).toMatchObject({ values: { row: 9, firstRow: 8, statementNumber: 'AF-2026-000006' } });
  });

  it('refuses a file over the size limit before reading it, an empty one, and one without a needed column', () => {
    expect(readPaymentFile('x', PAYMENT_FILE_MAX_BYTES + 1, TODAY).problems).toEqual([
      { field: 'file', rule: 'payment_file_size', message: `the file has ${PAYMENT_FILE_MAX_BYTES + 1} bytes; at most ${PAYMENT_FILE_MAX_BYTES} are taken`, values: { bytes: PAYMENT_FILE_MAX_BYTES + 1, max: PAYMENT_FILE_MAX_BYTES } },
    ]);
    expect(readPaymentFile('statement_number;paid_amount;paid_on\n', 40, TODAY).problems.map((p) => p.rule)).toEqual(['payment_file_empty']);
    expect(readPaymentFile('statement_number;paid_on\nAF-2026-000001;2026-11-20\n', 50, TODAY).problems).toMatchObject([{ field: 'paid_amount', rule: 'payment_column_missing' }]);
    expect(readPaymentFile('statement_number;paid_amount;paid_on\n"AF-2026;1;2026-11-20\n', 50, TODAY).problems.map((p) => p.rule)).toEqual(['payment_file_format']);
  });
});

describe('the payment plan', () => {
  const statement = (number: string, status: PayableStatement['status'], totalOre: number, paid: { on: string; ore: number } | null = null): PayableStatement => ({
    id: `id-${number}`,
    number,
    supplierId: 's',
    status,
    totalOre,
    paidOn: paid?.on ?? null,
    paidOre: paid?.ore ?? null,
  });
  const statements = new Map([
    ['AF-1', statement('AF-1', 'final', 182_813)],
    ['AF-2', statement('AF-2', 'final', 43_750)],
    ['AF-3', statement('AF-3', 'paid', 10_000, { on: '2026-11-20', ore: 10_000 })],
    ['AF-4', statement('AF-4', 'paid', 10_000, { on: '2026-11-20', ore: 10_000 })],
  ]);

  it('pays a final statement with its total, leaves a paid one paid the same unchanged, and makes every other difference a finding', () => {
    const plan = paymentPlan(
      [
        { row: 2, statementNumber: 'AF-1', paidOre: 182_813, paidOn: '2026-11-20' },
        { row: 3, statementNumber: 'AF-2', paidOre: 43_700, paidOn: '2026-11-20' },
        { row: 4, statementNumber: 'AF-3', paidOre: 10_000, paidOn: '2026-11-20' },
        { row: 5, statementNumber: 'AF-4', paidOre: 10_000, paidOn: '2026-11-21' },
      ],
      statements,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.actions.map((a) => [a.row.row, a.kind, a.kind === 'finding' ? a.code : null])).toEqual([
      [2, 'pay', null],
      [3, 'finding', 'payment_amount_differs'],
      [4, 'unchanged', null],
      [5, 'finding', 'payment_after_paid'],
    ]);
  });

  it('refuses a number that is no final statement, naming the row', () => {
    const plan = paymentPlan([{ row: 7, statementNumber: 'AF-9', paidOre: 1, paidOn: '2026-11-20' }], statements);
    expect(plan.problems).toEqual([
      { field: 'rows[7].statement_number', rule: 'payment_statement_unknown', message: 'row 7, statement_number: AF-9 is no final statement', values: { row: 7, column: 'statement_number', statementNumber: 'AF-9' } },
    ]);
  });
});
