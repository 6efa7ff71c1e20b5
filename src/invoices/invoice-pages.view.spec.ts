import { DomainException } from '../common/errors/domain.exception';
import { approvalView, formTotalOre, invoiceBodyFromForm, invoiceCsvTemplate, invoiceErrorText, invoiceFormFields, lineRowsOf, prefillRates, rateOn, rowCountOf, uploadContentType, weekTable } from './invoice-pages.view';
import { parseCsvInvoice } from './csv-invoice.parser';
import type { ApprovalRecord } from './invoices.service';

const GRANT = '8b0f3c52-59c5-4f57-9b37-2a4c1d1d0c01';
const grants = new Map([[GRANT, 'MS-2026-000123']]);

function form(rows: Array<Record<string, string>>, extra: Record<string, string> = { invoiceNumber: 'F-1', issueDate: '2026-11-20' }): Record<string, string> {
  const body: Record<string, string> = { ...extra };
  rows.forEach((row, i) => {
    for (const [name, value] of Object.entries(row)) body[`lines.${i + 1}.${name}`] = value;
  });
  return body;
}

function problemsOf(run: () => unknown): Array<{ field?: string; rule: string }> {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainException) return error.details.map(({ field, rule }) => ({ field, rule }));
    throw error;
  }
  throw new Error('expected the form to be refused');
}

describe('invoiceBodyFromForm', () => {
  it('turns rows into the API body: references for grant ids, kroner into øre exactly, blank rows skipped', () => {
    const body = form([
      { grantId: GRANT, date: '2026-10-05', minutes: '45', contactForm: 'phone', rateKr: '1.234,56' },
      { grantId: '', date: '', minutes: '', contactForm: 'in_person', rateKr: '' },
      { grantId: GRANT, date: '2026-10-07', minutes: '30', contactForm: 'in_person', rateKr: '0,1' },
    ]);
    expect(invoiceBodyFromForm(body, lineRowsOf(body, 3), grants)).toEqual({
      invoiceNumber: 'F-1',
      issueDate: '2026-11-20',
      lines: [
        { grantReference: 'MS-2026-000123', date: '2026-10-05', minutes: 45, rateOre: 123_456, contactForm: 'phone' },
        { grantReference: 'MS-2026-000123', date: '2026-10-07', minutes: 30, rateOre: 10, contactForm: 'in_person' },
      ],
    });
  });

  it('names every field it cannot read by its row', () => {
    const body = form([{ grantId: 'someone-else', date: '2026-02-30', minutes: '1441', contactForm: 'in_person', rateKr: '450.50' }], {});
    expect(problemsOf(() => invoiceBodyFromForm(body, lineRowsOf(body, 1), grants))).toEqual([
      { field: 'invoiceNumber', rule: 'required' },
      { field: 'issueDate', rule: 'required' },
      { field: 'lines[1].grantId', rule: 'own_active_grant' },
      { field: 'lines[1].date', rule: 'calendar_date' },
      { field: 'lines[1].minutes', rule: 'minutes_in_day' },
      { field: 'lines[1].rateKr', rule: 'kroner' },
    ]);
  });

  it('passes a line\'s "to" day on as periodTo, so the line covers the logged sessions of its period, and names a bad one', () => {
    const body = form([
      { grantId: GRANT, date: '2026-11-01', periodTo: '2026-11-30', minutes: '240', contactForm: 'in_person', rateKr: '450' },
      { grantId: GRANT, date: '2026-11-03', periodTo: '', minutes: '60', contactForm: 'in_person', rateKr: '450' },
    ]);
    expect(invoiceBodyFromForm(body, lineRowsOf(body, 2), grants).lines).toEqual([
      { grantReference: 'MS-2026-000123', date: '2026-11-01', periodTo: '2026-11-30', minutes: 240, rateOre: 45_000, contactForm: 'in_person' },
      { grantReference: 'MS-2026-000123', date: '2026-11-03', minutes: 60, rateOre: 45_000, contactForm: 'in_person' },
    ]);
    const bad = form([
      { grantId: GRANT, date: '2026-11-10', periodTo: '2026-11-09', minutes: '60', contactForm: 'in_person', rateKr: '450' },
      { grantId: GRANT, date: '2026-11-10', periodTo: '30.11.2026', minutes: '60', contactForm: 'in_person', rateKr: '450' },
      { grantId: '', date: '', periodTo: '2026-11-30', minutes: '', contactForm: 'in_person', rateKr: '' },
    ]);
    expect(problemsOf(() => invoiceBodyFromForm(bad, lineRowsOf(bad, 3), grants))).toEqual([
      { field: 'lines[1].periodTo', rule: 'period_to_before_date' },
      { field: 'lines[2].periodTo', rule: 'calendar_date' },
      { field: 'lines[3].grantId', rule: 'own_active_grant' },
      { field: 'lines[3].date', rule: 'calendar_date' },
      { field: 'lines[3].minutes', rule: 'minutes_in_day' },
      { field: 'lines[3].rateKr', rule: 'kroner' },
    ]);
  });

  it('refuses a form without lines', () => {
    const body = form([]);
    expect(problemsOf(() => invoiceBodyFromForm(body, lineRowsOf(body, 5), grants))).toEqual([{ field: 'lines', rule: 'no_lines' }]);
  });

  it('keeps the row count within bounds', () => {
    expect([rowCountOf(undefined), rowCountOf('12'), rowCountOf('0'), rowCountOf('999'), rowCountOf('x')]).toEqual([5, 12, 1, 30, 5]);
  });
});

describe('uploadContentType', () => {
  it('goes by the extension first, then by the type the browser sent', () => {
    expect(uploadContentType({ originalname: 'Faktura.CSV', mimetype: 'application/vnd.ms-excel' })).toBe('text/csv');
    expect(uploadContentType({ originalname: 'efaktura.xml', mimetype: 'application/octet-stream' })).toBe('application/xml');
    expect(uploadContentType({ originalname: 'upload', mimetype: 'text/xml; charset=utf-8' })).toBe('application/xml');
    expect(uploadContentType({ originalname: 'noter.txt', mimetype: 'text/plain' })).toBeNull();
  });
});

describe('weekTable', () => {
  const t = (key: string, params: Record<string, unknown> = {}) => `${key}:${JSON.stringify(params)}`;
  it('marks a week over the grant and leaves weeks outside the period empty', () => {
    const table = weekTable(
      [{ id: GRANT, reference: 'MS-2026-000123', minutesPerWeek: 60, start: '2026-10-07', end: '2027-01-31' }],
      [
        {
          grantId: GRANT,
          weeks: [
            { week: '2026-W40', monday: '2026-09-28', sunday: '2026-10-04', minutes: 0 },
            { week: '2026-W41', monday: '2026-10-05', sunday: '2026-10-11', minutes: 75 },
            { week: '2026-W42', monday: '2026-10-12', sunday: '2026-10-18', minutes: 60 },
          ],
        },
      ],
      t,
    );
    expect(table.weeks.map((w) => w.week)).toEqual(['2026-W40', '2026-W41', '2026-W42']);
    expect(table.rows[0].cells).toEqual([
      { inPeriod: false, over: false, text: '–' },
      { inPeriod: true, over: true, text: 'invoices.week.cell:{"used":75,"granted":60}' },
      { inPeriod: true, over: false, text: 'invoices.week.cell:{"used":60,"granted":60}' },
    ]);
  });
});

describe('invoiceErrorText', () => {
  const catalogue: Record<string, string> = {
    'invoices.field.expectedApprovableOre': '',
    'invoices.field.line': 'Linje {n}',
    'invoices.field.row': 'Række {n} i filen',
    'invoices.field.minutes': 'Minutter',
    'invoices.field.date': 'Dato',
  };
  const t = (key: string, params: Record<string, unknown> = {}) => (catalogue[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
  const body = (statusCode: number) => ({ statusCode, error: '', message: '', details: [] });

  it('heads an error by what was tried, or by the file’s size or type', () => {
    const text = invoiceErrorText('approve', t);
    const heading = text.heading as (b: ReturnType<typeof body>) => string;
    expect([heading(body(409)), heading(body(413)), heading(body(415))]).toEqual(['invoices.error.approve', 'invoices.error.too_large', 'invoices.error.file_type']);
  });

  it('labels a line, a row of the file and a hidden field', () => {
    const label = invoiceErrorText('submit', t).fieldLabel!;
    expect([label('lines[2].minutes'), label('rows[2].date'), label('expectedApprovableOre'), label('somethingElse')]).toEqual(['Linje 2 · Minutter', 'Række 2 i filen · Dato', '', 'somethingElse']);
  });
});

describe('the invoice form’s rates and total', () => {
  const schedule = {
    rates: [
      { validFrom: '2026-01-01', validTo: null, rateOre: 45_000 },
      { validFrom: '2026-07-01', validTo: '2026-12-31', rateOre: 46_250 },
    ],
    fallback: null,
  };

  it('takes the latest begun card rate in force, else the default rate within its period', () => {
    expect(rateOn(schedule, '2026-06-30')).toBe(45_000);
    expect(rateOn(schedule, '2026-07-01')).toBe(46_250);
    expect(rateOn(schedule, '2027-01-01')).toBe(45_000);
    expect(rateOn(schedule, '2025-12-31')).toBeNull();
    const partnership = { rates: [], fallback: { validFrom: '2026-01-01', validTo: '2026-12-31', rateOre: 25_000 } };
    expect(rateOn(partnership, '2026-12-31')).toBe(25_000);
    expect(rateOn(partnership, '2027-01-01')).toBeNull();
  });

  it('fills in only blank rates of rows with a grant and a date', () => {
    const rows = lineRowsOf({ 'lines.1.grantId': 'g', 'lines.1.date': '2026-07-02', 'lines.2.grantId': 'g', 'lines.2.date': '2026-07-02', 'lines.2.rateKr': '400', 'lines.3.grantId': 'g' }, 4);
    const filled = prefillRates(rows, new Map([['g', schedule]]));
    expect(filled.map((row) => row.rateKr)).toEqual(['462,50', '400', '', '']);
  });

  it('sums minutes × rate / 60 rounded half up per line, in whole øre', () => {
    const rows = lineRowsOf({ 'lines.1.minutes': '90', 'lines.1.rateKr': '450', 'lines.2.minutes': '45', 'lines.2.rateKr': '462,50', 'lines.3.minutes': '1,5', 'lines.3.rateKr': '450', 'lines.4.minutes': '10', 'lines.4.rateKr': '' }, 5);
    // 67.500 + 34.687,5 → 34.688 øre; rows 3 and 4 cannot be read yet.
    expect(formTotalOre(rows)).toBe(102_188);
    expect(formTotalOre(lineRowsOf({}, 5))).toBeNull();
    expect(formTotalOre(lineRowsOf({ 'lines.1.minutes': '1', 'lines.1.rateKr': '0,01' }, 1))).toBe(0);
    expect(formTotalOre(lineRowsOf({ 'lines.1.minutes': '1', 'lines.1.rateKr': '0,30' }, 1))).toBe(1);
  });

  it('names each row’s fields by the ids the page gives them', () => {
    const { ids } = invoiceFormFields(2);
    expect(ids['lines[2].minutes']).toBe('l2-minutes');
    expect(ids['lines[1].rateKr']).toBe('l1-rate');
    expect(ids.invoiceNumber).toBe('f-number');
    expect(ids['lines[3].minutes']).toBeUndefined();
  });

  it('writes a CSV template the CSV intake reads', () => {
    const csv = invoiceCsvTemplate({ grantReference: 'MS-2026-000123', date: '2026-10-05', rateOre: 46_250 });
    expect(csv).toBe('\uFEFFbevilling;dato;minutter;timepris;kontaktform;transport;beskrivelse\r\nMS-2026-000123;2026-10-05;60;462,50;fremmøde;;Samtale om jobsøgning\r\n');
    const parsed = parseCsvInvoice(csv, { invoiceNumber: 'T-1', issueDate: '2026-11-20', sellerCvr: '12345674' });
    expect(parsed.ok && parsed.invoice.lines.map((line) => ({ minutes: line.minutes, rateOre: line.rateOre, amountOre: line.amountOre, contactForm: line.contactForm }))).toEqual([{ minutes: 60, rateOre: 46_250, amountOre: 46_250, contactForm: 'in_person' }]);
  });
});

describe('approvalView', () => {
  const record = (over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
    status: 'validated', heldFrom: null, submittedBy: 's', firstApprovedBy: null, firstApprovedAt: null, approvedBy: null, approvedAt: null,
    secondApprovalRequired: false, approvableOre: 5_400_000, netOre: 5_400_000, ...over,
  });
  const names = (id: string) => ({ f1: 'Økonomi Hansen', f2: 'Økonomi Jensen' })[id] ?? '–';
  const at = (iso: string | null) => iso ?? '–';

  it('names both approvers after the second approval and no longer waits', () => {
    const view = approvalView(record({ status: 'approved', firstApprovedBy: 'f1', firstApprovedAt: 'T1', approvedBy: 'f2', approvedAt: 'T2', secondApprovalRequired: true }), 5_000_000, names, at);
    expect(view).toEqual({
      stage: 'decided', waiting: false, shown: true, twoApprovers: true,
      steps: [
        { id: 'first-approver', label: 'invoices.approvals.first', name: 'Økonomi Hansen', at: 'T1' },
        { id: 'second-approver', label: 'invoices.approvals.second', name: 'Økonomi Jensen', at: 'T2' },
      ],
    });
  });

  it('names a single approver as such, and the first while the second is awaited', () => {
    expect(approvalView(record({ status: 'partly_approved', approvableOre: 100, approvedBy: 'f2', approvedAt: 'T2' }), 5_000_000, names, at).steps).toEqual([{ id: 'final-approver', label: 'invoices.approvals.single', name: 'Økonomi Jensen', at: 'T2' }]);
    const waiting = approvalView(record({ firstApprovedBy: 'f1', firstApprovedAt: 'T1', secondApprovalRequired: true }), 5_000_000, names, at);
    expect(waiting).toMatchObject({ stage: 'awaiting_second_approver', waiting: true, steps: [{ id: 'first-approver', name: 'Økonomi Hansen' }] });
  });
});
