import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { describeFault, fault, faultDetail, INTAKE_FAULT_CODES } from './intake-fault';

const catalogues = loadCatalogues(templatesDir());
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const HEADINGS = ['intake.refused.csv', 'intake.refused.csv_query', 'intake.refused.ubl', 'intake.refused.invoice'];

describe('the intake catalogue', () => {
  it('has the text of every fault code, and every refusal heading, in Danish and English with the same placeholders', () => {
    for (const key of [...INTAKE_FAULT_CODES.map((code) => `intake.${code}`), ...HEADINGS]) {
      expect({ key, da: typeof catalogues.da[key], en: typeof catalogues.en[key] }).toEqual({ key, da: 'string', en: 'string' });
      expect({ key, placeholders: placeholders(catalogues.en[key]) }).toEqual({ key, placeholders: placeholders(catalogues.da[key]) });
    }
  });

  it('holds no intake text that no fault uses', () => {
    const used = new Set([...INTAKE_FAULT_CODES.map((code) => `intake.${code}`), ...HEADINGS]);
    for (const lang of ['da', 'en'] as const) expect(Object.keys(catalogues[lang]).filter((key) => key.startsWith('intake.') && !used.has(key))).toEqual([]);
  });
});

describe('a fault told', () => {
  it('fills its values and its row in the language asked for', () => {
    const f = fault('csv_date_format', 'rows[3].date', { value: '02-03-2026' }, 3);
    expect(f).toEqual({ code: 'csv_date_format', rule: 'date_format', field: 'rows[3].date', line: 3, values: { value: '02-03-2026' } });
    expect(describeFault(catalogues, 'en', f)).toBe("Row 3: the date '02-03-2026' is not a date YYYY-MM-DD.");
    expect(describeFault(catalogues, 'da', f)).toBe("Række 3: datoen '02-03-2026' er ikke en dato på formen ÅÅÅÅ-MM-DD.");
  });

  it('names its field in the text where the text says where', () => {
    const f = fault('date_window', 'lines[2].date', { date: '1999-12-31', from: '2000-01-01', to: '2099-12-31' });
    expect(describeFault(catalogues, 'en', f)).toBe('lines[2].date: 1999-12-31 is not from 2000-01-01 to 2099-12-31');
  });

  it('carries in the API’s detail the values its rule has always shown, and no others', () => {
    expect(faultDetail(catalogues, 'en', fault('csv_formula', 'rows[4].description', { column: 'description', first: '=' }, 4))).toEqual({
      field: 'rows[4].description',
      rule: 'formula',
      message: "Row 4: the cell 'description' starts with '=' and is not a number; formulas are refused.",
      values: { line: 4 },
    });
    expect(faultDetail(catalogues, 'en', fault('ubl_encoding_unknown', 'document', { encoding: 'x-klingon' }))).toEqual({
      field: 'document',
      rule: 'xml_encoding',
      message: "The XML declaration names the encoding 'x-klingon', which cannot be read; send UTF-8, ISO-8859-1 or windows-1252.",
    });
    expect(faultDetail(catalogues, 'en', fault('minutes_in_day', 'lines[1].minutes', { minutes: 1441 }, 1))).toEqual({
      field: 'lines[1].minutes',
      rule: 'minutes_in_day',
      message: 'line 1: 1441 minutes; a session lasts 1 to 1440 minutes',
      values: { minutes: 1441 },
    });
  });
});
