import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStatementTexts, renderStatement } from '../documents/statement.document';
import { AccountCodeRule, DEFAULT_RULE_SET, RuleSetValues } from '../rules/rule-set';
import { ApprovedDelivery, buildStatement } from './statement.rules';
import { formatMinutes, hoursAndMinutes, longDate, monthText, statementView } from './statement.view';

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

const templatesDir = join(__dirname, '../../templates');
const da = loadStatementTexts('da', templatesDir);
const en = loadStatementTexts('en', templatesDir);

const supplier = { id: 'sup-1', name: 'Mentorhuset Nordsjælland ApS', cvr: '12345674', vatRegistered: true };

function delivery(deliveryId: string, grantReference: string, date: string, minutes: number, approvedOre: number, patch: Partial<ApprovedDelivery> = {}): ApprovedDelivery {
  return {
    deliveryId,
    grantReference,
    date,
    minutes,
    approvedOre,
    vatBasisPoints: 2_500,
    mentorType: 'retention',
    targetGroupAtStart: 'sickness_benefit',
    invoiceNumber: 'F-2026-0042',
    kind: 'delivery',
    ...patch,
  };
}

// March 2026: two grants, a credit of a February session, VAT 25 %.
const march = buildStatement({
  supplier,
  month: '2026-03',
  issuedOn: '2026-04-02',
  ruleSet: EXAMPLE_RULE_SET,
  deliveries: [
    delivery('d-1', 'MS-2026-000123', '2026-03-03', 7, 2_917, { mentorType: 'holistic' }),
    delivery('d-2', 'MS-2026-000123', '2026-03-17', 60, 25_000, { mentorType: 'holistic' }),
    delivery('d-3', 'MS-2026-000200', '2026-03-10', 90, 37_500),
    delivery('d-4', 'MS-2026-000200', '2026-02-23', -15, -6_250, { kind: 'credit', invoiceNumber: 'KN-2026-0003' }),
  ],
});

describe('the statement’s wording', () => {
  it.each([
    [0, '0:00'],
    [7, '0:07'],
    [90, '1:30'],
    [600, '10:00'],
    [-15, '-0:15'],
    [-135, '-2:15'],
  ])('%i minutes is %s', (minutes, text) => {
    expect(hoursAndMinutes(minutes)).toBe(text);
  });

  it('groups the thousands of minutes the language’s way', () => {
    expect([formatMinutes(12_345, 'da'), formatMinutes(12_345, 'en'), formatMinutes(-1_000, 'da'), formatMinutes(999, 'da')]).toEqual(['12.345', '12,345', '-1.000', '999']);
  });

  it('names months and dates in Danish and English', () => {
    expect([monthText('2026-03', da), monthText('2026-12', en)]).toEqual(['marts 2026', 'December 2026']);
    expect([longDate('2026-05-02', da), longDate('2026-05-02', en), longDate('2027-01-31', da)]).toEqual(['2. maj 2026', '2 May 2026', '31. januar 2027']);
  });
});

describe('statementView', () => {
  const view = statementView(march, '2026-000017', da, 'da');

  it('formats the header, the totals and the VAT', () => {
    expect(view).toMatchObject({
      number: '2026-000017',
      issuer: { name: 'Gribskov Kommune', jobCentre: 'Jobcenter Gribskov' },
      supplier: { name: 'Mentorhuset Nordsjælland ApS', cvr: '12345674' },
      month: 'marts 2026',
      issuedDate: '2. april 2026',
      dueDate: '2. maj 2026',
      selfBilled: false,
      // 2 917 + 25 000 + 37 500 − 6 250 = 59 167; VAT 14 791.75 → 14 792; total 73 959
      net: '591,67 kr.',
      vat: [{ rate: '25', net: '591,67 kr.', amount: '147,92 kr.' }],
      total: '739,59 kr.',
      hours: '2:22',
      accounts: [
        { code: '5.68.90.1-001', amount: '312,50 kr.' },
        { code: '5.68.90.1-003', amount: '279,17 kr.' },
      ],
    });
  });

  it('shows the lines by grant, a credit by its credit note', () => {
    expect(view.groups).toEqual([
      {
        grantReference: 'MS-2026-000123',
        mentorType: 'Helhedsorienteret mentor',
        accountCode: '5.68.90.1-003',
        lines: [
          { date: '2026-03-03', source: 'F-2026-0042', minutes: '7', amount: '29,17 kr.' },
          { date: '2026-03-17', source: 'F-2026-0042', minutes: '60', amount: '250,00 kr.' },
        ],
        minutes: '67',
        amount: '279,17 kr.',
      },
      {
        grantReference: 'MS-2026-000200',
        mentorType: 'Fastholdelsesmentor',
        accountCode: '5.68.90.1-001',
        lines: [
          { date: '2026-02-23', source: 'Kreditering KN-2026-0003', minutes: '-15', amount: '-62,50 kr.' },
          { date: '2026-03-10', source: 'F-2026-0042', minutes: '90', amount: '375,00 kr.' },
        ],
        minutes: '75',
        amount: '312,50 kr.',
      },
    ]);
  });

  it('lays the annex out by the weeks March touches, after a column for credits of earlier months', () => {
    expect(view.annexWeeks).toEqual(['Før', 'Uge\n9', 'Uge\n10', 'Uge\n11', 'Uge\n12', 'Uge\n13', 'Uge\n14']);
    expect(view.annex).toEqual([
      { grantReference: 'MS-2026-000123', sessions: '2', weekHours: ['', '', '0:07', '', '1:00', '', ''], hours: '1:07', amount: '279,17 kr.' },
      { grantReference: 'MS-2026-000200', sessions: '1 (1)', weekHours: ['-0:15', '', '', '1:30', '', '', ''], hours: '1:15', amount: '312,50 kr.' },
    ]);
  });

  it('has no column for earlier months when nothing reaches back, and a draft has no number', () => {
    const april = buildStatement({
      supplier,
      month: '2026-04',
      issuedOn: '2026-04-15',
      ruleSet: EXAMPLE_RULE_SET,
      deliveries: [delivery('d-9', 'MS-2026-000123', '2026-04-06', 45, 18_750)],
    });
    const draft = statementView(april, null, da, 'da');
    expect(draft.number).toBeNull();
    expect(draft.annexWeeks).toEqual(['Uge\n14', 'Uge\n15', 'Uge\n16', 'Uge\n17', 'Uge\n18']);
    expect(draft.annex[0].weekHours).toEqual(['', '0:45', '', '', '']);
  });

  it('writes English with English amounts', () => {
    const english = statementView(march, '2026-000017', en, 'en');
    expect(english).toMatchObject({ month: 'March 2026', dueDate: '2 May 2026', net: 'DKK 591.67', total: 'DKK 739.59', annexWeeks: ['Prior', 'Week\n9', 'Week\n10', 'Week\n11', 'Week\n12', 'Week\n13', 'Week\n14'] });
    expect(english.groups[1].lines[0].source).toBe('Credit KN-2026-0003');
  });

  it('names registered hours for a self-billed line and a missing account code', () => {
    const hours = buildStatement({
      supplier: { ...supplier, vatRegistered: false },
      month: '2026-03',
      issuedOn: '2026-04-02',
      ruleSet: { ...DEFAULT_RULE_SET.values, accountCodes: [] },
      selfBilled: true,
      deliveries: [delivery('d-1', 'MS-2026-000300', '2026-03-04', 60, 25_000, { mentorType: 'company', invoiceNumber: null, vatBasisPoints: 0 })],
    });
    const selfBilled = statementView(hours, '2026-000018', da, 'da');
    expect(selfBilled.selfBilled).toBe(true);
    expect(selfBilled.groups[0]).toMatchObject({ accountCode: 'Ingen kontering', lines: [{ source: 'Registrerede timer' }] });
    expect(selfBilled.vat).toEqual([{ rate: '0', net: '250,00 kr.', amount: '0,00 kr.' }]);
  });
});

describe('a statement from the rules to the PDF', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'statement-view-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('prints the statement’s exact totals', async () => {
    const pdf = await renderStatement(statementView(march, '2026-000017', da, 'da'), { createdAt: new Date('2026-04-02T08:00:00Z') });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(workDir, 'march.pdf');
    writeFileSync(file, pdf);
    const result = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (result.error) throw new Error('pdftotext is not installed; the PDF tests read documents back with it: apt-get install -y poppler-utils');
    const text = result.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Beløb ekskl. moms 591,67 kr. Moms 25 % af 591,67 kr. 147,92 kr. I alt inkl. moms 739,59 kr.');
    expect(text).toContain('Betalingsfrist 2. maj 2026');
    expect(text).toContain('I alt 67 279,17 kr.');
    expect(text).toContain('2026-02-23 Kreditering KN-2026-0003 -15 -62,50 kr.');
  });
});
