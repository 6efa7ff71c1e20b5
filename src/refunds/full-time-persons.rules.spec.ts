import { budgetGuaranteeLimitOre, parseFullTimePersons, parseFullTimePersonsCsv } from './full-time-persons.rules';

describe('full-time persons and the budget-guarantee limit', () => {
  it.each([
    ['1234,56', 123_456],
    ['1234.5', 123_450],
    [' 12 ', 1_200],
    ['12,345', null],
    ['-1', null],
    ['', null],
  ] as const)('reads %j as %j hundredths', (text, hundredths) => {
    expect(parseFullTimePersons(text)).toBe(hundredths);
  });

  it('gives the limit in exact øre, rounded half up', () => {
    // 1,234.56 × 10,602.00 kr. = 13,088,805.12 kr.
    expect(budgetGuaranteeLimitOre(123_456, 1_060_200)).toBe(1_308_880_512);
    // 0.01 × 0.50 kr. = 0.005 kr. → 1 øre; 0.01 × 0.49 kr. → 0 øre.
    expect(budgetGuaranteeLimitOre(1, 50)).toBe(1);
    expect(budgetGuaranteeLimitOre(1, 49)).toBe(0);
  });

  it('reads a CSV with a header, and names every bad row', () => {
    expect(parseFullTimePersonsCsv('year;full_time_persons\r\n2026;1234,56\n2027;10\n')).toEqual({ rows: [{ year: 2026, hundredths: 123_456 }, { year: 2027, hundredths: 1_000 }], problems: [] });
    const bad = parseFullTimePersonsCsv('2026;1\n1999;5\n2027;x\n2026;2');
    expect(bad.problems.map((p) => [p.field, p.rule])).toEqual([
      ['row 2.year', 'year_range'],
      ['row 3.fullTimePersons', 'type'],
      ['row 4.year', 'unique'],
    ]);
    expect(parseFullTimePersonsCsv('year;x\n').problems.map((p) => p.rule)).toEqual(['required']);
  });
});
