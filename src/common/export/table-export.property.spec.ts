import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
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

/** The entries of a ZIP with stored (uncompressed) entries, each checked against its CRC. */
function unzipStored(zip: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    expect(zip.readUInt16LE(offset + 8)).toBe(0);
    const crc = zip.readUInt32LE(offset + 14);
    const size = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 30, offset + 30 + nameLength);
    const dataStart = offset + 30 + nameLength + extraLength;
    const data = zip.subarray(dataStart, dataStart + size);
    expect(crc32(data)).toBe(crc);
    files.set(name, data.toString('utf8'));
    offset = dataStart + size;
  }
  expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
  return files;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_whole, name: string) => XML_ENTITIES[name]);

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
function isXmlText(s: string): boolean {
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
    if (!ok) return false;
  }
  return true;
}

interface SheetCell {
  ref: string;
  kind: 'number' | 'text';
  value: string;
}

function sheetCells(sheet: string): SheetCell[][] {
  const rows = [...sheet.matchAll(/<row r="(\d+)">(.*?)<\/row>/gs)];
  return rows.map((row, r) => {
    expect(row[1]).toBe(String(r + 1));
    return [...row[2].matchAll(/<c r="([A-Z]+\d+)"(?: t="inlineStr")?>(?:<v>([^<]*)<\/v>|<is><t xml:space="preserve">([^<]*)<\/t><\/is>)<\/c>/gs)].map((m) =>
      m[2] !== undefined ? { ref: m[1], kind: 'number' as const, value: m[2] } : { ref: m[1], kind: 'text' as const, value: unescapeXml(m[3]) },
    );
  });
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

  it('XLSX: a valid stored ZIP whose sheet holds numbers as numbers and no text a spreadsheet would run', async () => {
    await checked(
      'toXlsx cells',
      fc.property(table, (t) => {
        const files = unzipStored(toXlsx(t));
        expect([...files.keys()]).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']);
        for (const [name, xml] of files) {
          expect({ name, valid: XMLValidator.validate(xml) }).toEqual({ name, valid: true });
          expect({ name, xmlChars: isXmlText(xml) }).toEqual({ name, xmlChars: true });
        }
        const rows = sheetCells(files.get('xl/worksheets/sheet1.xml') as string);
        const all = [t.columns, ...t.rows];
        expect(rows).toHaveLength(all.length);
        all.forEach((row, r) => {
          const written = row.map((value, c) => ({ value, c })).filter(({ value }) => value !== null);
          expect(rows[r]).toHaveLength(written.length);
          written.forEach(({ value, c }, i) => {
            const got = rows[r][i];
            expect(got.ref).toBe(`${String.fromCharCode(65 + c)}${r + 1}`);
            if (typeof value === 'number') expect(got).toEqual({ ref: got.ref, kind: 'number', value: String(value) });
            else {
              expect(got.kind).toBe('text');
              expect(FORMULA_START.test(got.value)).toBe(false);
            }
          });
        });
      }),
      300,
    );
  });
});
