import { buyerEndpointFault } from './invoice-intake';
import { validateInvoice, type GrantFacts } from './invoice-validation.rules';
import type { ReceivedInvoice, ReceivedLine } from './received-invoice';
import { checkSession, duplicateRows, matchSessionLog, parseSessionCsv, storedLogParts, type LoggedSession } from './session-log.rules';
import { DEFAULT_RULE_SET } from '../rules/rule-set';

const REF = 'MS-2026-000001';

function monthlyLine(minutes: number, patch: Partial<ReceivedLine> = {}): ReceivedLine {
  return { lineNo: 1, grantReference: REF, date: '2026-11-01', periodTo: '2026-11-30', minutes, rateOre: 45_000, amountOre: (minutes * 45_000) / 60, contactForm: null, transport: null, description: 'November', ...patch };
}

function invoice(lines: ReceivedLine[]): ReceivedInvoice {
  return { source: 'ubl', documentType: 'invoice', invoiceNumber: 'F-1', issueDate: '2026-11-25', currency: 'DKK', seller: { cvr: null, gln: null, name: null }, period: { from: '2026-11-01', to: '2026-11-30' }, lines, totals: null, billingReferences: [] };
}

const session = (id: string, date: string, minutes = 60, invoiced = false): LoggedSession => ({ id, grantReference: REF, date, minutes, contactForm: 'in_person', invoiced });
const FOUR = [session('a', '2026-11-03'), session('b', '2026-11-10'), session('c', '2026-11-17'), session('d', '2026-11-24')];

describe('matching a monthly line against the session log', () => {
  it('makes one line per logged session, dated from the log, the amount kept', () => {
    const lines = matchSessionLog(invoice([monthlyLine(240)]), FOUR);
    expect(lines.map((l) => [l.lineNo, l.date, l.minutes, l.amountOre, l.mentorSessionId])).toEqual([
      [1, '2026-11-03', 60, 45_000, 'a'],
      [2, '2026-11-10', 60, 45_000, 'b'],
      [3, '2026-11-17', 60, 45_000, 'c'],
      [4, '2026-11-24', 60, 45_000, 'd'],
    ]);
    expect(lines[0].fromLog).toEqual({ invoiceLineNo: 1, whole: { minutes: 240, amountOre: 180_000 }, beyondLog: null });
    expect(lines[1].fromLog).toEqual({ invoiceLineNo: 1, whole: null, beyondLog: null });
  });

  it('puts minutes beyond the log on lines of their own, at most 1440 each, on the last logged day', () => {
    const lines = matchSessionLog(invoice([monthlyLine(240 + 1500)]), FOUR);
    expect(lines.slice(4).map((l) => [l.date, l.minutes, l.mentorSessionId, l.fromLog?.beyondLog])).toEqual([
      ['2026-11-24', 1440, null, { invoicedMinutes: 1740, loggedMinutes: 240 }],
      ['2026-11-24', 60, null, { invoicedMinutes: 1740, loggedMinutes: 240 }],
    ]);
    expect(lines.reduce((sum, l) => sum + l.amountOre, 0)).toBe(1740 * 750);
  });

  it('covers fewer hours than logged with the first sessions, the last in part', () => {
    const lines = matchSessionLog(invoice([monthlyLine(90)]), FOUR);
    expect(lines.map((l) => [l.date, l.minutes, l.mentorSessionId])).toEqual([
      ['2026-11-03', 60, 'a'],
      ['2026-11-10', 30, 'b'],
    ]);
  });

  it('leaves sessions invoiced before out, but counts them as a log', () => {
    const lines = matchSessionLog(invoice([monthlyLine(120)]), [session('a', '2026-11-03', 60, true), session('b', '2026-11-10')]);
    expect(lines.map((l) => [l.date, l.minutes, l.mentorSessionId, l.fromLog?.beyondLog ?? null])).toEqual([
      ['2026-11-10', 60, 'b', null],
      ['2026-11-10', 60, null, { invoicedMinutes: 120, loggedMinutes: 60 }],
    ]);
  });

  it('keeps a line without a log, a line of one day and a credit note as they are', () => {
    const none = monthlyLine(240, { grantReference: 'MS-2026-000002' });
    const oneDay = monthlyLine(60, { lineNo: 2, date: '2026-11-03', periodTo: null });
    expect(matchSessionLog(invoice([none, oneDay]), FOUR).map((l) => [l.lineNo, l.date, l.minutes, l.fromLog])).toEqual([
      [1, '2026-11-01', 240, undefined],
      [2, '2026-11-03', 60, undefined],
    ]);
    expect(matchSessionLog({ ...invoice([monthlyLine(240)]), documentType: 'credit_note' }, FOUR)).toHaveLength(1);
  });

  it('gives the rounding rest to the last part, so the line still adds up', () => {
    // 100 minutes at 449.99 kr. = 74,998.33… → 74,998 øre; parts of 50 minutes are 37,499.17 → 37,499 each.
    const lines = matchSessionLog(invoice([monthlyLine(100, { rateOre: 44_999, amountOre: 74_998 })]), [session('a', '2026-11-03', 50), session('b', '2026-11-10', 50)]);
    expect(lines.map((l) => l.amountOre)).toEqual([37_499, 37_499]);
  });
});

describe('validating the matched lines', () => {
  const grant: GrantFacts = { reference: REF, supplierId: 's', status: 'active', activeFrom: '2026-09-01', start: '2026-09-01', end: '2027-02-28', minutesPerWeek: 60, mentorType: 'retention', serviceLevel: 1, targetGroup: 'sickness_benefit', agreementId: 'ag' };
  const validate = (lines: ReceivedLine[]) =>
    validateInvoice({
      supplierId: 's',
      ruleSet: DEFAULT_RULE_SET.values,
      lines: lines.map((l) => ({ index: l.lineNo, grantReference: l.grantReference, date: l.date, minutes: l.minutes, rateOre: l.rateOre, amountOre: l.amountOre, ...(l.fromLog ? { fromLog: l.fromLog } : {}) })),
      grants: new Map([[REF, grant]]),
      agreements: new Map([['ag', { id: 'ag', validFrom: '2026-01-01', validTo: null, ceilingOre: null, consumedOre: 0 }]]),
      rates: new Map([['ag', [{ mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', validTo: null, rateOre: 45_000 }]]]),
      earlierDeliveries: [],
      today: '2026-11-25',
    });

  it('approves each logged week against its granted minutes, and nothing of the minutes beyond the log', () => {
    const result = validate(matchSessionLog(invoice([monthlyLine(360)]), FOUR));
    expect(result.lines.map((l) => [l.index, l.approvableOre, l.findings.map((f) => f.code)])).toEqual([
      [1, 45_000, []],
      [2, 45_000, []],
      [3, 45_000, []],
      [4, 45_000, []],
      [5, 0, ['hours_beyond_log']],
    ]);
    expect(result.lines[4].findings[0]).toMatchObject({ field: 'lines[5].minutes', values: { grantReference: REF, invoiceLineNo: 1, invoicedMinutes: 360, loggedMinutes: 240, lineMinutes: 120 } });
  });

  it('checks the line amount once, as sent, and again the same way from the stored deliveries', () => {
    const matched = matchSessionLog(invoice([monthlyLine(240, { amountOre: 179_000 })]), FOUR);
    const codes = validate(matched).lines.map((l) => l.findings.map((f) => f.code));
    expect(codes).toEqual([['line_amount'], [], [], []]);
    const stored = matched.map((l) => ({ lineNo: l.lineNo, invoiceLineNo: l.fromLog?.invoiceLineNo ?? null, minutes: l.minutes, amountOre: l.amountOre, findings: [] }));
    expect(storedLogParts(stored).get(1)).toEqual({ invoiceLineNo: 1, whole: { minutes: 240, amountOre: 179_000 }, beyondLog: null });
    expect(storedLogParts(stored).get(2)).toEqual({ invoiceLineNo: 1, whole: null, beyondLog: null });
  });
});

describe('a session as the supplier logs it', () => {
  const context = { today: '2026-11-25', grantStart: '2026-09-01', grantEnd: '2027-02-28' };
  it('is refused after today, outside the grant and with malformed fields, each naming its field', () => {
    const rules = (input: Record<string, unknown>) => {
      const result = checkSession({ date: '2026-11-03', minutes: 60, contactForm: 'phone', withWhom: 'citizen', ...input }, context);
      return result.ok ? [] : result.problems.map((p) => `${p.field}:${p.rule}`);
    };
    expect(rules({})).toEqual([]);
    expect(rules({ date: '2026-11-26' })).toEqual(['date:not_in_future']);
    expect(rules({ date: '2026-08-31' })).toEqual(['date:session_in_grant']);
    expect(rules({ date: '2026-02-30' })).toEqual(['date:date_format']);
    expect(rules({ minutes: 0 })).toEqual(['minutes:minutes_in_day']);
    expect(rules({ minutes: 1441 })).toEqual(['minutes:minutes_in_day']);
    expect(rules({ minutes: 1.5 })).toEqual(['minutes:minutes_in_day']);
    expect(rules({ contactForm: 'mail', withWhom: 'Jens 010203-1234' })).toEqual(['contactForm:contact_form', 'withWhom:with_whom']);
  });
});

describe('a session log file', () => {
  it('reads Danish and English headers and words, and refuses formulas and missing columns', () => {
    const read = parseSessionCsv(`bevilling;dato;minutter;kontaktform;med_hvem\r\n${REF};2026-11-03;60;Fremmøde;Borger og netværk\r\n`);
    expect(read).toEqual({ ok: true, rows: [{ rowNo: 2, grantReference: REF, input: { date: '2026-11-03', minutes: 60, contactForm: 'in_person', withWhom: 'citizen_and_network' } }] });
    const english = parseSessionCsv(`grant_reference,date,minutes,contact_form,with_whom\n${REF},2026-11-03,45,phone,citizen\n`);
    expect(english.ok && english.rows[0].input).toEqual({ date: '2026-11-03', minutes: 45, contactForm: 'phone', withWhom: 'citizen' });
    const formula = parseSessionCsv(`bevilling;dato;minutter;kontaktform;med_hvem\n=HYPERLINK("x");2026-11-03;60;telefon;borger\n`);
    expect(formula.ok ? [] : formula.problems.map((p) => `${p.field}:${p.rule}`)).toEqual(['rows[2].row:formula']);
    const missing = parseSessionCsv(`bevilling;dato;minutter\n${REF};2026-11-03;60\n`);
    expect(missing.ok ? [] : missing.problems.map((p) => p.field)).toEqual(['columns.contactForm', 'columns.withWhom']);
  });

  it('names each duplicate row after the first', () => {
    const s = { date: '2026-11-03', minutes: 60, contactForm: 'phone' as const, withWhom: 'citizen' as const };
    expect(duplicateRows([{ rowNo: 2, grantReference: REF, session: s }, { rowNo: 3, grantReference: REF, session: { ...s, minutes: 45 } }, { rowNo: 4, grantReference: REF, session: s }])).toEqual([
      expect.objectContaining({ field: 'rows[4].date', rule: 'session_duplicate', values: { date: '2026-11-03', minutes: 60, row: 2 } }),
    ]);
  });
});

describe("the e-invoice's buyer", () => {
  const allowed = ['5798000000001', '5790001234560'];
  it('accepts the job centre’s location numbers and an e-invoice naming no buyer endpoint', () => {
    expect(buyerEndpointFault({ endpoint: { scheme: '0088', id: '5798000000001' }, reference: null }, allowed)).toBeNull();
    expect(buyerEndpointFault({ endpoint: { scheme: 'GLN', id: '5790001234560' }, reference: null }, allowed)).toBeNull();
    expect(buyerEndpointFault({ endpoint: null, reference: 'x' }, allowed)).toBeNull();
    expect(buyerEndpointFault({ endpoint: { scheme: '0088', id: '5790000000005' }, reference: null }, undefined)).toBeNull();
  });

  it('refuses another location number, or the right number under another scheme', () => {
    expect(buyerEndpointFault({ endpoint: { scheme: '0088', id: '5790000000005' }, reference: null }, allowed)).toMatchObject({ code: 'ubl_buyer_endpoint', rule: 'buyer_endpoint', field: 'buyer.endpoint', values: { endpoint: '5790000000005', scheme: '0088' } });
    expect(buyerEndpointFault({ endpoint: { scheme: '0184', id: '5798000000001' }, reference: null }, allowed)?.rule).toBe('buyer_endpoint');
  });
});
