import fc from 'fast-check';
import { Workbook } from 'exceljs';
import { neutralise, toCsv, toXlsx, type Cell, type Table } from './table-export';

// Properties of the CSV and XLSX exports over random tables: no text cell reaches a spreadsheet as a formula,
// numbers stay numbers, and the CSV reads back to the cells written.

const FORMULA_START = /^[=+\-@\t\r]/;

async function checked<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>, runs: number): Promise<void> {
  const details = fc.check(property, { numRuns: runs });
  process.stdout.write(`property "${name}": ${details.numRuns} cases tried\n`);
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
}

const formulaText = fc
  .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '=cmd|\' /C calc\'!A0', '=HYPERLINK("http://x")', '@SUM(A1)', '-2+3', '+45 '), fc.string({ maxLength: 20, unit: 'binary' }))
  .map(([start, rest]) => start + rest);
const hostileText = fc
  .tuple(fc.constantFrom('', '\u0001', '\u0000', '\ufffe', '\ufeff', '\u000b', ' ', '"', ';'), formulaText)
  .map(([prefix, formula]) => prefix + formula);
const text = fc.oneof(fc.string({ maxLength: 40, unit: 'binary' }), fc.string({ maxLength: 40, unit: 'grapheme' }), formulaText, hostileText, fc.constantFrom('', '"', ';', '\r\n', '""', '\n', 'æøå ÆØÅ'));
const number = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, -1, 1e21, -5e-7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER));
const cell: fc.Arbitrary<Cell> = fc.oneof({ weight: 4, arbitrary: text }, { weight: 2, arbitrary: number }, { weight: 1, arbitrary: fc.constant(null) });
const table: fc.Arbitrary<Table> = fc.integer({ min: 1, max: 6 }).chain((width) =>
  fc.record({
    name: fc.string({ maxLength: 40 }),
    columns: fc.array(fc.string({ maxLength: 12 }), { minLength: width, maxLength: width }),
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }),
  }),
);

/** RFC 4180 with ';', CRLF records and "" for a quote: how a spreadsheet reads the file. */
function readCsv(file: string): string[][] {
  expect(file.startsWith('\ufeff')).toBe(true);
  expect(file.endsWith('\r\n')).toBe(true);
  const text = file.slice(1);
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      // a quote only opens a field at its start
      expect(field).toBe('');
      quoted = true;
    } else if (c === ';') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      // a bare CR or LF outside quotes would split the record in a spreadsheet
      expect(c === '\r' || c === '\n').toBe(false);
      field += c;
    }
  }
  expect(quoted).toBe(false);
  expect(field).toBe('');
  return records;
}

describe('table export properties', () => {
  it('neutralises exactly the text that starts like a formula', async () => {
    await checked(
      'neutralise',
      fc.property(fc.oneof(text, hostileText), (s) => {
        const out = neutralise(s);
        if (FORMULA_START.test(s)) expect(out).toBe(`'${s}`);
        else expect(out).toBe(s);
        expect(FORMULA_START.test(out)).toBe(false);
      }),
      2000,
    );
  });

  it('CSV: every cell reads back as written, text starting like a formula behind an apostrophe, numbers as numbers', async () => {
    await checked(
      'toCsv round trip',
      fc.property(table, (t) => {
        const records = readCsv(toCsv(t));
        expect(records).toHaveLength(t.rows.length + 1);
        expect(records[0]).toEqual(t.columns.map(neutralise));
        t.rows.forEach((row, r) => {
          const read = records[r + 1];
          expect(read).toHaveLength(row.length);
          row.forEach((value, c) => {
            if (value === null) expect(read[c]).toBe('');
            else if (typeof value === 'number') {
              expect(read[c]).toBe(String(value));
              expect(Number(read[c])).toBe(value === 0 ? 0 : value);
            } else {
              expect(read[c]).toBe(FORMULA_START.test(value) ? `'${value}` : value);
              expect(FORMULA_START.test(read[c])).toBe(false);
            }
          });
        });
      }),
      500,
    );
  });

  it('XLSX: a workbook exceljs reads back, numbers as numbers and no text a spreadsheet would run', async () => {
    const details = await fc.check(
      fc.asyncProperty(table, async (t) => {
        const workbook = new Workbook();
        await workbook.xlsx.load(await toXlsx(t) as unknown as Parameters<Workbook['xlsx']['load']>[0]);
        const sheet = workbook.worksheets[0];
        [t.columns, ...t.rows].forEach((row, r) => {
          row.forEach((value, c) => {
            const got = sheet.getRow(r + 1).getCell(c + 1).value;
            if (value === null) expect(got ?? null).toBeNull();
            else if (typeof value === 'number') expect(got).toBe(value === 0 ? 0 : value);
            else {
              expect(typeof (got ?? '')).toBe('string');
              expect(FORMULA_START.test(String(got ?? ''))).toBe(false);
            }
          });
        });
      }),
      { numRuns: 60 },
    );
    process.stdout.write(`property "toXlsx cells": ${details.numRuns} cases tried\n`);
    if (details.failed) throw new Error(fc.defaultReportMessage(details));
  });
});
