import fc from 'fast-check';
import { loadCatalogues } from '../common/i18n/messages';
import { isCalendarDate } from '../common/time/calendar-date';
import { templatesDir } from '../common/web/view-engine';
import { CSV_MAX_CELL_LENGTH, parseCsvInvoice } from './csv-invoice.parser';
import { describeFault } from './intake-fault';
import { lineAmountOre } from './invoice-amounts';
import { CONTACT_FORMS, GRANT_REFERENCE, parseExactDecimal, TRANSPORT_KINDS, type ParseResult } from './parsed-invoice';

// Hostile input for the CSV parser: it never throws, it answers lines that are whole and in range or errors that
// name their row, it refuses every cell that starts like a formula, and it reads back what a spreadsheet writes.

async function checked<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>, runs: number): Promise<void> {
  const details = fc.check(property, { numRuns: runs });
  process.stdout.write(`property "${name}": ${details.numRuns} cases tried\n`);
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
}

const META = { invoiceNumber: 'F-2026-0042', issueDate: '2026-03-31', sellerCvr: '12345674' };
const catalogues = loadCatalogues(templatesDir());
const FORMULA = /^[=+\-@]/;

/** What every answer of the parser must be, whatever it was given. */
function expectWellFormed(result: ParseResult): void {
  if (!result.ok) {
    expect(result.faults.length).toBeGreaterThan(0);
    for (const fault of result.faults) {
      const error = { ...fault, message: describeFault(catalogues, 'en', fault) };
      expect(typeof error.field).toBe('string');
      expect(typeof error.rule).toBe('string');
      expect(typeof error.message).toBe('string');
      const row = /^rows\[(\d+)\]\./.exec(error.field);
      if (row) {
        // a row's error names the row as in the file (the header being row 1)
        expect(error.line).toBe(Number(row[1]));
        expect(error.line).toBeGreaterThanOrEqual(2);
        expect(error.message).toContain(`Row ${row[1]}`);
      }
    }
    return;
  }
  const { invoice } = result;
  expect(invoice.lines.length).toBeGreaterThan(0);
  invoice.lines.forEach((line, i) => {
    expect(line.lineNo).toBe(i + 1);
    expect(GRANT_REFERENCE.test(line.grantReference ?? '')).toBe(true);
    expect(isCalendarDate(line.date)).toBe(true);
    expect(Number.isSafeInteger(line.minutes) && (line.minutes as number) >= 1 && (line.minutes as number) <= 1440).toBe(true);
    expect(Number.isSafeInteger(line.rateOre) && line.rateOre >= 0).toBe(true);
    expect(Number.isSafeInteger(line.amountOre)).toBe(true);
    expect(line.contactForm === null || CONTACT_FORMS.includes(line.contactForm)).toBe(true);
    expect(line.transport === undefined || line.transport === null || TRANSPORT_KINDS.includes(line.transport)).toBe(true);
    if (line.description !== null) {
      expect(line.description.length).toBeLessThanOrEqual(CSV_MAX_CELL_LENGTH);
      expect(FORMULA.test(line.description) && parseExactDecimal(line.description, 'either') === null).toBe(false);
    }
  });
}

// ---- arbitraries ----

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const grantReference = fc.tuple(digits(4), digits(6)).map(([year, n]) => `MS-${year}-${n}`);
const isoDate = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const kroner = fc
  .tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 99 }), fc.constantFrom(',', '.'))
  .map(([kr, ore, sep]) => `${kr}${sep}${String(ore).padStart(2, '0')}`);
const absurdNumber = fc.constantFrom(
  '90000000000000',
  '9007199254740991',
  '99999999999999999999999999999',
  '1e5',
  '-0',
  '0',
  '-1',
  '+60',
  '60.0',
  '1441',
  '-99999999999999999999',
  '0,001',
  '450,005',
  'NaN',
  'Infinity',
  '١٢٣',
);
const formula = fc
  .tuple(fc.constantFrom('=', '+', '-', '@'), fc.constantFrom("cmd|' /C calc'!A0", 'HYPERLINK("http://x")', 'SUM(A1:A9)', 'x', '', '1+1', ' 2'))
  .map(([start, rest]) => start + rest);
const padded = (value: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', ' ', '\t', '  '), value, fc.constantFrom('', ' ', '\t')).map(([before, v, after]) => before + v + after);
const junk = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12, unit: 'binary' }), fc.constantFrom('', '"', '""', ';', ',', '\n', '\r\n', 'ø', '\u0000'));
const hostile = fc.oneof(formula, padded(formula), absurdNumber, junk);
const longCell = fc.integer({ min: CSV_MAX_CELL_LENGTH - 2, max: CSV_MAX_CELL_LENGTH + 2 }).map((n) => 'x'.repeat(n));

const COLUMN_VALUES: Record<string, fc.Arbitrary<string>> = {
  grant_reference: fc.oneof({ weight: 6, arbitrary: grantReference }, { weight: 1, arbitrary: hostile }),
  date: fc.oneof({ weight: 6, arbitrary: isoDate }, { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '02-03-2026', '2026-1-1', '') }, { weight: 1, arbitrary: hostile }),
  minutes: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -5, max: 1500 }).map(String) }, { weight: 1, arbitrary: hostile }),
  rate: fc.oneof({ weight: 6, arbitrary: kroner }, { weight: 2, arbitrary: absurdNumber }, { weight: 1, arbitrary: hostile }),
  amount: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 3, arbitrary: kroner }, { weight: 2, arbitrary: absurdNumber }, { weight: 1, arbitrary: hostile }),
  contact_form: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('', 'fremmøde', 'telefon', 'video', 'in_person', 'PHONE') }, { weight: 1, arbitrary: hostile }),
  transport: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('', 'offentlig', 'bil', 'cykel', 'gang', 'car') }, { weight: 1, arbitrary: hostile }),
  description: fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 30 }) }, { weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: longCell }),
  note: fc.oneof(fc.string({ maxLength: 10 }), hostile),
};

const HEADER_NAMES: Record<string, string[]> = {
  grant_reference: ['grant_reference', 'bevilling', 'Bevilling'],
  date: ['date', 'dato', 'DATO'],
  minutes: ['minutes', 'minutter'],
  rate: ['rate', 'timepris', 'Timepris'],
  amount: ['amount', 'beløb', 'belob'],
  contact_form: ['contact_form', 'kontaktform'],
  transport: ['transport'],
  description: ['description', 'beskrivelse'],
  note: ['note', 'bemærkning', '=HYPERLINK("x")'],
};

interface CsvCase {
  separator: ';' | ',';
  bom: boolean;
  newline: '\n' | '\r\n';
  columns: string[];
  header: string[];
  rows: string[][];
  quoteAll: boolean;
}

const csvCase: fc.Arbitrary<CsvCase> = fc
  .record({
    columns: fc.shuffledSubarray(Object.keys(COLUMN_VALUES), { minLength: 1 }),
    separator: fc.constantFrom(';' as const, ',' as const),
    bom: fc.boolean(),
    newline: fc.constantFrom('\n' as const, '\r\n' as const),
    quoteAll: fc.boolean(),
    rowCount: fc.integer({ min: 0, max: 6 }),
  })
  .chain(({ columns, rowCount, ...rest }) =>
    fc.record({
      header: fc.tuple(...columns.map((c) => fc.constantFrom(...HEADER_NAMES[c]))),
      rows: fc.array(fc.tuple(...columns.map((c) => COLUMN_VALUES[c])), { minLength: rowCount, maxLength: rowCount }),
      columns: fc.constant(columns),
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, fc.constant(v)])),
    } as unknown as { [K in keyof CsvCase]: fc.Arbitrary<CsvCase[K]> }),
  );

function encodeCell(value: string, separator: string, quoteAll: boolean): string {
  const needsQuotes = quoteAll || value.includes(separator) || value.includes('"') || value.includes('\n') || value.includes('\r');
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

function encodeCsv(c: CsvCase): string {
  const records = [c.header, ...c.rows].map((cells) => cells.map((cell) => encodeCell(cell, c.separator, c.quoteAll)).join(c.separator));
  return `${c.bom ? '\ufeff' : ''}${records.join(c.newline)}${c.newline}`;
}

// ---- properties ----

describe('CSV invoice parser properties', () => {
  it('never throws on arbitrary text, and answers ok lines or errors naming their row', async () => {
    await checked(
      'csv arbitrary text',
      fc.property(
        fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }), fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8'))),
        fc.record({ invoiceNumber: fc.string({ maxLength: 70 }), issueDate: fc.oneof(isoDate, fc.string({ maxLength: 12 })) }),
        (text, meta) => {
          const header = 'bevilling;dato;minutter;timepris;beskrivelse\n';
          for (const input of [text, header + text]) expectWellFormed(parseCsvInvoice(input, { ...META, ...meta }));
        },
      ),
      1000,
    );
  });

  it('never throws on CSV-shaped files with hostile cells, and refuses every row with a cell that starts like a formula', async () => {
    await checked(
      'csv hostile cells',
      fc.property(csvCase, (c) => {
        const result = parseCsvInvoice(encodeCsv(c), META);
        expectWellFormed(result);
        c.rows.forEach((row, r) => {
          const rowNo = r + 2;
          const formulaCell = row.some((cell) => {
            const value = cell.trim();
            return FORMULA.test(value) && parseExactDecimal(value, 'either') === null;
          });
          if (formulaCell) {
            expect(result.ok).toBe(false);
            // with the header complete, the refusal names the row (a file refused for its header is not read further)
            const headerRefused = !result.ok && result.faults.some((e) => e.field.startsWith('header.'));
            if (!result.ok && !headerRefused) expect(result.faults.some((e) => e.line === rowNo)).toBe(true);
          }
        });
      }),
      1500,
    );
  });

  it('reads back the lines a spreadsheet writes, in either separator, with or without BOM and quotes', async () => {
    const validLine = fc.record({
      grantReference: grantReference,
      date: isoDate,
      minutes: fc.integer({ min: 1, max: 1440 }),
      rateOre: fc.integer({ min: 0, max: 10_000_000 }),
      amountOre: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: undefined }),
      contactForm: fc.constantFrom(...CONTACT_FORMS),
      description: fc.option(fc.string({ maxLength: 40 }).filter((s) => s.trim() === s && s !== '' && !FORMULA.test(s)), { nil: null }),
    });
    await checked(
      'csv round trip',
      fc.property(fc.array(validLine, { minLength: 1, maxLength: 8 }), fc.constantFrom(';' as const, ',' as const), fc.boolean(), fc.boolean(), (lines, separator, bom, quoteAll) => {
        const kr = (ore: number) => `${Math.floor(ore / 100)}${separator === ';' ? ',' : '.'}${String(ore % 100).padStart(2, '0')}`;
        const c: CsvCase = {
          separator,
          bom,
          newline: '\r\n',
          quoteAll,
          columns: [],
          header: ['bevilling', 'dato', 'minutter', 'timepris', 'beløb', 'kontaktform', 'beskrivelse'],
          rows: lines.map((l) => [l.grantReference, l.date, String(l.minutes), kr(l.rateOre), l.amountOre === undefined ? '' : kr(l.amountOre), l.contactForm, l.description ?? '']),
        };
        const result = parseCsvInvoice(encodeCsv(c), META);
        if (!result.ok) throw new Error(JSON.stringify(result.faults));
        expect(result.invoice.lines).toEqual(
          lines.map((l, i) => ({
            lineNo: i + 1,
            grantReference: l.grantReference,
            date: l.date,
            minutes: l.minutes,
            quantityText: String(l.minutes),
            unitCode: 'MIN',
            rateOre: l.rateOre,
            amountOre: l.amountOre ?? lineAmountOre(l.minutes, l.rateOre),
            contactForm: l.contactForm,
            description: l.description,
          })),
        );
      }),
      500,
    );
  });
});
