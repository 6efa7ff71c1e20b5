import { join } from 'node:path';
import { loadCatalogues, translate } from './messages';
import { templatesDir } from '../web/view-engine';

const catalogues = { da: { hello: 'Hej {name}', only_da: 'Kun dansk' }, en: { hello: 'Hello {name}' } };

describe('translate', () => {
  it('uses the language and fills parameters', () => {
    expect(translate(catalogues, 'da', 'hello', { name: 'Anna' })).toBe('Hej Anna');
    expect(translate(catalogues, 'en', 'hello', { name: 'Anna' })).toBe('Hello Anna');
  });
  it('falls back to Danish, then to the key', () => {
    expect(translate(catalogues, 'en', 'only_da')).toBe('Kun dansk');
    expect(translate(catalogues, 'en', 'missing.key')).toBe('missing.key');
  });
  it('leaves unknown parameters visible', () => {
    expect(translate(catalogues, 'da', 'hello')).toBe('Hej {name}');
  });
});

describe('formatted placeholders', () => {
  const shipped = loadCatalogues(join(__dirname, '../../../templates'));
  const with_ = (da: string, en: string) => ({ da: { ...shipped.da, text: da }, en: { ...shipped.en, text: en } });

  it('show øre as kroner and minutes as the duration phrase, in the language', () => {
    const catalogues = with_('{amountOre:kroner} og {minutes:minutes}', '{amountOre:kroner} and {minutes:minutes}');
    expect(translate(catalogues, 'da', 'text', { amountOre: 123_456, minutes: 90 })).toBe('1.234,56 kr. og 1 t. 30 min.');
    expect(translate(catalogues, 'en', 'text', { amountOre: 123_456, minutes: 90 })).toBe('DKK 1,234.56 and 1 h 30 min');
  });

  it('show a service level by its band from the min and max beside it', () => {
    const catalogues = with_('{level:band}', '{level:band}');
    expect(translate(catalogues, 'da', 'text', { level: 2, min: 120, max: 180 })).toBe('Niveau 2: over 2 t. op til 3 t./uge');
    expect(translate(catalogues, 'da', 'text', { level: 4, min: 240, max: null })).toBe('Niveau 4: over 4 t./uge');
  });

  it('name a value by a catalogue prefix, and show it as it is where the catalogue has no name', () => {
    const catalogues = with_('»{status:invoice_status}«', '“{status:invoice_status}”');
    expect(translate(catalogues, 'da', 'text', { status: 'approved' })).toBe(`»${shipped.da['invoice_status.approved']}«`);
    expect(translate(catalogues, 'da', 'text', { status: 'odd' })).toBe('»odd«');
  });

  it('show a part in square brackets only when every placeholder in it is filled', () => {
    const catalogues = with_('ligger i fremtiden[ (i dag er {today})].', '');
    expect(translate(catalogues, 'da', 'text', { today: '2026-11-25' })).toBe('ligger i fremtiden (i dag er 2026-11-25).');
    expect(translate(catalogues, 'da', 'text', {})).toBe('ligger i fremtiden.');
  });

  it('leave a placeholder whose value is missing or cannot be formatted', () => {
    const catalogues = with_('{amountOre:kroner} {level:band}', '');
    expect(translate(catalogues, 'da', 'text', { amountOre: 1.5, level: 2 })).toBe('{amountOre:kroner} {level:band}');
  });
});

describe('the shipped catalogues', () => {
  it('have the same keys in Danish and English', () => {
    const shipped = loadCatalogues(join(__dirname, '../../../templates'));
    expect(Object.keys(shipped.en).sort()).toEqual(Object.keys(shipped.da).sort());
  });
});

describe('counts', () => {
  it('says one and many by the prefix’s singular and plural', () => {
    const texts = loadCatalogues(templatesDir());
    expect(translate(texts, 'da', 'invoices.counts', { errors: 1, warnings: 1 })).toBe('1 fejl, 1 advarsel');
    expect(translate(texts, 'da', 'invoices.counts', { errors: 0, warnings: 3 })).toBe('0 fejl, 3 advarsler');
    expect(translate(texts, 'en', 'invoices.counts', { errors: 1, warnings: 2 })).toBe('1 error, 2 warnings');
  });
});
