import { Workbook } from 'exceljs';
import { columnTotal, KRONER_FORMAT, neutralise, toCsv, toReadableCsv, toReadableXlsx, toXlsx, type ReadableTable } from './table-export';

const table = { name: 'Refusion', columns: ['kategori', 'beløb'], rows: [['=cmd|\' /C calc\'!A0', 12_345], ['Søren; "Ærø"', -5], ['@SUM(A1)', null]] };

describe('table export', () => {
  it('neutralises formula starts in text, never in numbers', () => {
    expect(neutralise('=1+1')).toBe("'=1+1");
    expect(neutralise('+45 12345678')).toBe("'+45 12345678");
    expect(neutralise('-2')).toBe("'-2");
    expect(neutralise('@A1')).toBe("'@A1");
    expect(neutralise('\tx')).toBe("'\tx");
    expect(neutralise('MS-2026-000001')).toBe('MS-2026-000001');
  });

  it('writes CSV with ; CRLF, a BOM, quoted where needed', () => {
    expect(toCsv(table)).toBe(`\ufeffkategori;beløb\r\n'=cmd|' /C calc'!A0;12345\r\n"Søren; ""Ærø""";-5\r\n'@SUM(A1);\r\n`);
  });

  it('names a sheet as Excel allows: no apostrophe first or last, never empty', async () => {
    for (const [name, expected] of [["'", 'Ark1'], ["'Refusion'", 'Refusion'], ['a/b', 'a b']] as const) {
      const workbook = new Workbook();
      await workbook.xlsx.load((await toXlsx({ name, columns: ['x'], rows: [] })) as unknown as Parameters<Workbook['xlsx']['load']>[0]);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([expected]);
    }
  });

  it('writes an XLSX that exceljs reads back with the cells, formulas neutralised', async () => {
    const workbook = new Workbook();
    await workbook.xlsx.load(await toXlsx(table) as unknown as Parameters<Workbook['xlsx']['load']>[0]);
    const sheet = workbook.getWorksheet('Refusion');
    expect(sheet?.getRow(1).values).toEqual([undefined, 'kategori', 'beløb']);
    expect(sheet?.getCell('A2').value).toBe("'=cmd|' /C calc'!A0");
    expect(sheet?.getCell('B2').value).toBe(12_345);
    expect(sheet?.getCell('A3').value).toBe('Søren; "Ærø"');
    expect(sheet?.getCell('B3').value).toBe(-5);
    expect(sheet?.getCell('A4').value).toBe("'@SUM(A1)");
  });

  const readable: ReadableTable = {
    name: 'Refusion',
    title: '=Refusionsanmodning',
    about: [['Periode', '01-01-2026 – 31-03-2026']],
    columns: [
      { header: 'Kategori', kind: 'text' },
      { header: 'Dato', kind: 'date' },
      { header: 'Sats (%)', kind: 'percent' },
      { header: 'Beløb (kr.)', kind: 'kroner' },
    ],
    rows: [
      ['Inden for rammen', '2026-02-03', 5000, 123_456],
      ['-2', null, 2850, -5],
    ],
    totals: ['I alt', null, null, 123_451],
    language: 'da',
  };

  it('writes the CSV for people: title, period, headers, Danish decimals and dates, a totals row', () => {
    expect(toReadableCsv(readable)).toBe(
      `\ufeff'=Refusionsanmodning\r\nPeriode;01-01-2026 – 31-03-2026\r\n\r\nKategori;Dato;Sats (%);Beløb (kr.)\r\nInden for rammen;03-02-2026;50;1234,56\r\n'-2;;28,50;-0,05\r\nI alt;;;1234,51\r\n`,
    );
    expect(toReadableCsv({ ...readable, language: 'en' })).toContain('Inden for rammen;2026-02-03;50;1234.56\r\n');
  });

  it('writes the XLSX for people: kroner as numbers in #,##0.00, dates as dates, the totals row last', async () => {
    const workbook = new Workbook();
    await workbook.xlsx.load(await toReadableXlsx(readable) as unknown as Parameters<Workbook['xlsx']['load']>[0]);
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A1').value).toBe("'=Refusionsanmodning");
    expect(sheet.getCell('B2').value).toBe('01-01-2026 – 31-03-2026');
    expect(sheet.getRow(4).values).toEqual([undefined, 'Kategori', 'Dato', 'Sats (%)', 'Beløb (kr.)']);
    expect(sheet.getCell('B5').value).toEqual(new Date('2026-02-03T00:00:00Z'));
    expect(sheet.getCell('B5').numFmt).toBe('dd-mm-yyyy');
    expect(sheet.getCell('D5').value).toBe(1234.56);
    expect(sheet.getCell('D5').numFmt).toBe(KRONER_FORMAT);
    expect(sheet.getCell('A6').value).toBe("'-2");
    expect(sheet.getCell('D6').value).toBe(-0.05);
    expect(sheet.getRow(7).values).toEqual([undefined, 'I alt', undefined, undefined, 1234.51]);
    expect(sheet.getCell('D7').font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(7);
  });

  it('sums a column exactly', () => {
    expect(columnTotal(readable.rows, 3)).toBe(123_451);
  });
});
