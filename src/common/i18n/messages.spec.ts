import { join } from 'node:path';
import { loadCatalogues, translate } from './messages';

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

describe('the shipped catalogues', () => {
  it('have the same keys in Danish and English', () => {
    const shipped = loadCatalogues(join(__dirname, '../../../templates'));
    expect(Object.keys(shipped.en).sort()).toEqual(Object.keys(shipped.da).sort());
  });
});
