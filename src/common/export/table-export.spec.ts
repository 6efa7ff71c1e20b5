import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neutralise, toCsv, toXlsx } from './table-export';

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

  it('writes an XLSX that unzips to a worksheet with the cells, formulas neutralised', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
    try {
      const file = join(dir, 'a.xlsx');
      writeFileSync(file, toXlsx(table));
      const listing = execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.read("xl/worksheets/sheet1.xml").decode())', file], { encoding: 'utf8' });
      expect(listing).toContain('<c r="B2"><v>12345</v></c>');
      expect(listing).toContain(`<t xml:space="preserve">'=cmd|' /C calc'!A0</t>`);
      expect(listing).toContain('Søren; &quot;Ærø&quot;');
      expect(listing).toContain('<c r="B3"><v>-5</v></c>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
