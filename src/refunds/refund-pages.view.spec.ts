import { DomainException } from '../common/errors/domain.exception';
import { budgetBodyFromForm, budgetYearOf, kronerField } from './refund-pages.view';

describe('the budget form', () => {
  it('reads kroner into øre, an empty frame as none, and a note when given', () => {
    expect(budgetBodyFromForm({ budget: '6.500.000', frame: '2249000,50', note: ' Vedtaget budget ' })).toEqual({ budgetOre: 650_000_000, frameOre: 224_900_050, note: 'Vedtaget budget' });
    expect(budgetBodyFromForm({ budget: '100000', frame: '', note: '' })).toEqual({ budgetOre: 10_000_000, frameOre: null });
  });

  it('names each field that is not kroner', () => {
    const read = () => budgetBodyFromForm({ budget: '1.5 mio', frame: '-3' });
    expect(read).toThrow(DomainException);
    try {
      read();
    } catch (error) {
      expect((error as DomainException).details.map((d) => [d.field, d.rule])).toEqual([
        ['budget', 'kroner'],
        ['frame', 'kroner'],
      ]);
    }
    expect(() => budgetBodyFromForm({ budget: '' })).toThrow('The form has invalid fields');
  });

  it('puts saved øre back into the fields as typed kroner', () => {
    expect(kronerField(650_000_000)).toBe('6500000');
    expect(kronerField(224_900_050)).toBe('2249000,50');
    expect(kronerField(5)).toBe('0,05');
    expect(kronerField(null)).toBe('');
  });

  it('takes a year from 2000 to 2100 from the path', () => {
    expect(budgetYearOf('2026')).toBe(2026);
    expect(budgetYearOf('2000')).toBe(2000);
    expect(budgetYearOf('2100')).toBe(2100);
    for (const bad of ['1999', '2101', '26', '2026.0', 'abcd']) expect(() => budgetYearOf(bad)).toThrow('The year is out of range');
  });
});
