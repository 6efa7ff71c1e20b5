import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { CSV_MAX_LINES, parseCsvInvoice, splitCsv } from './csv-invoice.parser';
import { describeFault } from './intake-fault';
import type { ParseResult, ParsedInvoice } from './parsed-invoice';

const catalogues = loadCatalogues(templatesDir());

const META = { invoiceNumber: 'F-2026-0042', issueDate: '2026-03-31', sellerCvr: '12345674' };

function invoiceOf(result: ParseResult): ParsedInvoice {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.faults)}`);
  return result.invoice;
}

// The faults as the API names them: field, rule, the English text and the row.
function errorsOf(result: ParseResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result.faults.map((f) => ({ field: f.field, rule: f.rule, message: describeFault(catalogues, 'en', f), ...(f.line === undefined ? {} : { line: f.line }) }));
}

describe('parseCsvInvoice', () => {
  it('reads Danish headers, ";" and decimal commas', () => {
    const csv = 'Bevilling;Dato;Minutter;Kontaktform;Timepris;Beløb\nMS-2026-000123;2026-03-02;45;fremmøde;250,00;187,50\nMS-2026-000123;2026-03-09;60;telefon;250,00;250,00\n';
    const invoice = invoiceOf(parseCsvInvoice(csv, META));
    expect(invoice).toMatchObject({
      source: 'csv',
      documentType: 'invoice',
      invoiceNumber: 'F-2026-0042',
      issueDate: '2026-03-31',
      currency: 'DKK',
      seller: { cvr: '12345674', gln: null, name: null },
      totals: null,
      billingReferences: [],
    });
    expect(invoice.lines).toEqual([
      {
        lineNo: 1,
        grantReference: 'MS-2026-000123',
        date: '2026-03-02',
        minutes: 45,
        quantityText: '45',
        unitCode: 'MIN',
        rateOre: 25_000,
        amountOre: 18_750,
        contactForm: 'in_person',
        description: null,
      },
      expect.objectContaining({ lineNo: 2, minutes: 60, contactForm: 'phone', amountOre: 25_000 }),
    ]);
  });

  it('reads English headers, "," with quoted decimal commas and doubled quotes, BOM and CRLF', () => {
    const csv =
      '\uFEFFgrant_reference,DATE,minutes,rate,amount,contact_form,description\r\n' +
      'MS-2026-000123,2026-03-02,30,"250,00",125.00,video,"Samtale om ""job"", CV"\r\n' +
      'MS-2026-000456,2026-03-03,90,250.5,,,"to\r\nlinjer"\r\n';
    const invoice = invoiceOf(parseCsvInvoice(csv, META));
    expect(invoice.lines).toHaveLength(2);
    expect(invoice.lines[0]).toMatchObject({ rateOre: 25_000, amountOre: 12_500, contactForm: 'video', description: 'Samtale om "job", CV' });
    // amount absent: 90 × 25 050 / 60 = 37 575
    expect(invoice.lines[1]).toMatchObject({ rateOre: 25_050, amountOre: 37_575, contactForm: null, description: 'to\r\nlinjer' });
  });

  it('rounds amounts with more than 2 decimals half up', () => {
    const csv = 'bevilling;dato;minutter;timepris;beløb\nMS-2026-000123;2026-03-02;7;250,005;29,175\n';
    expect(invoiceOf(parseCsvInvoice(csv, META)).lines[0]).toMatchObject({ rateOre: 25_001, amountOre: 2_918 });
  });

  it('names the row as in the file (header = row 1) in date errors', () => {
    const csv = 'bevilling;dato;minutter;timepris\nMS-2026-000123;2026-03-02;45;250\nMS-2026-000123;02-03-2026;45;250\n';
    expect(errorsOf(parseCsvInvoice(csv, META))).toEqual([
      { field: 'rows[3].date', rule: 'date_format', message: expect.stringContaining('Row 3'), line: 3 },
    ]);
  });

  it('skips blank rows but keeps counting them', () => {
    const csv = 'bevilling;dato;minutter;timepris\n\nMS-2026-000123;2026-02-30;45;250\n';
    expect(errorsOf(parseCsvInvoice(csv, META))[0]).toMatchObject({ field: 'rows[3].date', line: 3 });
  });

  it('reports every bad field of a row', () => {
    const csv = 'bevilling;dato;minutter;timepris;beløb;kontaktform\nMS-26-1;2026-03-02;4.5;abc;1.2.3;brev\n';
    expect(errorsOf(parseCsvInvoice(csv, META)).map((e) => `${e.field}:${e.rule}`)).toEqual([
      'rows[2].grant_reference:grant_reference_format',
      'rows[2].minutes:minutes_format',
      'rows[2].rate:amount_format',
      'rows[2].amount:amount_format',
      'rows[2].contact_form:contact_form',
    ]);
  });

  it('refuses formula injection but accepts signed numbers', () => {
    const csv = 'bevilling;dato;minutter;timepris;beløb;beskrivelse\nMS-2026-000123;2026-03-02;45;250;-12,50;+45\nMS-2026-000123;2026-03-02;45;250;187,50;=HYPERLINK("x")\nMS-2026-000123;2026-03-02;45;250;187,50;@SUM(A1)\n';
    const errors = errorsOf(parseCsvInvoice(csv, META));
    expect(errors.map((e) => `${e.field}:${e.rule}:${e.line}`)).toEqual(['rows[3].description:formula:3', 'rows[4].description:formula:4']);
    const ok = invoiceOf(parseCsvInvoice(csv.split('\n').slice(0, 2).join('\n'), META));
    expect(ok.lines[0]).toMatchObject({ amountOre: -1_250, description: '+45' });
  });

  it('requires the header columns', () => {
    expect(errorsOf(parseCsvInvoice('bevilling;dato\nMS-2026-000123;2026-03-02\n', META)).map((e) => e.field)).toEqual([
      'header.minutes',
      'header.rate',
    ]);
    expect(errorsOf(parseCsvInvoice('', META))[0].rule).toBe('required');
    expect(errorsOf(parseCsvInvoice('bevilling;dato;minutter;timepris\n', META))[0]).toMatchObject({ field: 'rows', rule: 'required' });
  });

  it('checks the parameters', () => {
    const csv = 'bevilling;dato;minutter;timepris\nMS-2026-000123;2026-03-02;45;250\n';
    expect(errorsOf(parseCsvInvoice(csv, { ...META, issueDate: '2026-13-01', invoiceNumber: ' ' })).map((e) => e.rule)).toEqual([
      'date_format',
      'required',
    ]);
  });

  it('limits lines and cell length', () => {
    const row = 'MS-2026-000123;2026-03-02;45;250\n';
    const tooMany = `bevilling;dato;minutter;timepris\n${row.repeat(CSV_MAX_LINES + 1)}`;
    expect(errorsOf(parseCsvInvoice(tooMany, META))).toEqual([expect.objectContaining({ rule: 'max_lines' })]);
    expect(invoiceOf(parseCsvInvoice(`bevilling;dato;minutter;timepris\n${row.repeat(CSV_MAX_LINES)}`, META)).lines).toHaveLength(CSV_MAX_LINES);
    const longCell = `bevilling;dato;minutter;timepris;beskrivelse\nMS-2026-000123;2026-03-02;45;250;${'x'.repeat(501)}\n`;
    expect(errorsOf(parseCsvInvoice(longCell, META))[0]).toMatchObject({ field: 'rows[2].description', rule: 'max_cell_length', line: 2 });
  });

  // Speed is measured by `npm run bench:invoices`, not here.
  it('parses 5,000 lines with quoted separators, every one of them', () => {
    const rows: string[] = ['bevilling;dato;minutter;kontaktform;timepris;beløb;beskrivelse'];
    for (let i = 0; i < 5000; i++) rows.push(`MS-2026-${String(i).padStart(6, '0')};2026-03-02;45;video;250,00;187,50;"Samtale nr. ${i}; opfølgning"`);
    const lines = invoiceOf(parseCsvInvoice(rows.join('\r\n'), META)).lines;
    expect(lines).toHaveLength(5000);
    expect(lines[4999]).toMatchObject({ grantReference: 'MS-2026-004999', minutes: 45, rateOre: 25_000, amountOre: 18_750, description: 'Samtale nr. 4999; opfølgning' });
  });
});

describe('splitCsv', () => {
  it('splits quoted fields, embedded separators and both line endings', () => {
    const { records } = splitCsv('a;"b;c";"d""e"\r\n1;;3\n"x"', 59, 10);
    expect(records).toEqual([
      { rowNo: 1, cells: ['a', 'b;c', 'd"e'] },
      { rowNo: 2, cells: ['1', '', '3'] },
      { rowNo: 3, cells: ['x'] },
    ]);
  });
});
