import { comparison, comparisonFigures, parseKroner, parseWholeCount, readComparisonFile } from './comparison.rules';
import { MUNICIPALITIES, municipalityOf } from '../common/municipalities';

describe('the municipalities', () => {
  it('are the 98, each code once', () => {
    expect(MUNICIPALITIES).toHaveLength(98);
    expect(new Set(MUNICIPALITIES.map((m) => m.code)).size).toBe(98);
  });

  it.each([
    ['751', '751'],
    ['0751', '751'],
    ['Aarhus', '751'],
    ['aarhus kommune', '751'],
    ['751 Aarhus', '751'],
    ['Århus', '751'],
    ['Københavns Kommune', '101'],
    ['840 Rebild', '840'],
  ])('knows %s', (text, code) => {
    expect(municipalityOf(text)?.code).toBe(code);
  });

  it.each(['411', 'Christiansø', '751 Aalborg', 'Hele landet', '999', ''])('refuses %j', (text) => {
    expect(municipalityOf(text)).toBeNull();
  });
});

describe('numbers as published', () => {
  it('reads whole persons with or without thousands points', () => {
    expect(['1234', '1.234', '12.345.678', '0'].map(parseWholeCount)).toEqual([1234, 1234, 12_345_678, 0]);
    expect(['1,5', '1.23', '12.34.567', '-3', '', '..'].map(parseWholeCount)).toEqual([null, null, null, null, null, null]);
  });

  it('reads kroner to whole øre without a float', () => {
    expect(['1.234.567,89', '1234567', '1234567,5', '0,01'].map(parseKroner)).toEqual([123_456_789, 123_456_700, 123_456_750, 1]);
    expect(['1.234,567', '12,3,4', '1234.56', 'abc'].map(parseKroner)).toEqual([null, null, null, null]);
  });
});

describe('readComparisonFile', () => {
  const header = 'Område;Periode;Personer med mentor;Befolkning;Udgift kr';

  it('reads a Jobindsats-shaped table', () => {
    const file = readComparisonFile(`\ufeff${header}\r\n751 Aarhus;2025;1.234;250.000;12.345.678,50\r\n\r\nRebild Kommune;2025;120;20.000;\r\n`);
    expect(file.problems).toEqual([]);
    expect(file.rows).toEqual([
      { row: 2, municipalityCode: '751', municipalityName: 'Aarhus', period: 2025, personsWithMentor: 1234, population: 250_000, costOre: 1_234_567_850 },
      { row: 4, municipalityCode: '840', municipalityName: 'Rebild', period: 2025, personsWithMentor: 120, population: 20_000, costOre: null },
    ]);
  });

  it('refuses the whole file, naming each bad row and column', () => {
    const file = readComparisonFile(`${header}\n751 Aarhus;2025;1.234;250.000;1000\nGotham;2025;12;100;\nAalborg;25;1,5;x;12.34\nOdense;2025;50;40;\n751;2025;1;2;\n`);
    expect(file.rows).toEqual([]);
    expect(file.problems.map((p) => [p.field, p.rule])).toEqual([
      ['rows[3].municipality', 'comparison_municipality'],
      ['rows[4].period', 'comparison_period'],
      ['rows[4].persons_with_mentor', 'comparison_number'],
      ['rows[4].population', 'comparison_number'],
      ['rows[4].cost', 'comparison_cost'],
      ['rows[5].population', 'comparison_population'],
      ['rows[6].municipality', 'comparison_row_duplicate'],
    ]);
    expect(file.problems[0]).toMatchObject({ values: { row: 3, column: 'municipality', value: 'Gotham' } });
  });

  it('names a missing column and an empty file', () => {
    expect(readComparisonFile('Område;Periode;Befolkning\nAarhus;2025;10\n').problems).toEqual([expect.objectContaining({ field: 'persons_with_mentor', rule: 'comparison_column_missing' })]);
    expect(readComparisonFile(`${header}\n`).problems).toEqual([expect.objectContaining({ field: 'file', rule: 'comparison_file_empty' })]);
  });
});

describe('comparison', () => {
  it('works out the share with a mentor and the cost per person in exact øre', () => {
    // 1,234 of 250,000 = 0.4936 % → 0.49; 12,345,678.50 kr. / 1,234 = 10,004.60 kr. (10,004.6017 → 10,004.60);
    // / 250,000 = 49.38 kr. (49.3827 → 49.38).
    expect(comparisonFigures({ municipalityCode: '751', municipalityName: 'Aarhus', personsWithMentor: 1234, population: 250_000, costOre: 1_234_567_850 })).toMatchObject({
      sharePercent: 0.49,
      costPerPersonWithMentorOre: 1_000_460,
      costPerInhabitantOre: 4_938,
    });
  });

  it('sets the portal’s own figures beside the others, the population from its published row', () => {
    const result = comparison({
      period: 2025,
      municipality: { code: '840', name: 'Rebild' },
      portal: { personsWithMentor: 150, costOre: 300_000_000 },
      published: [
        { municipalityCode: '751', municipalityName: 'Aarhus', personsWithMentor: 1234, population: 250_000, costOre: null },
        { municipalityCode: '840', municipalityName: 'Rebild', personsWithMentor: 120, population: 20_000, costOre: null },
        { municipalityCode: '851', municipalityName: 'Aalborg', personsWithMentor: 2000, population: 200_000, costOre: null },
      ],
    });
    // 150 / 20,000 = 0.75 %; 3,000,000 kr. / 150 = 20,000 kr.; / 20,000 = 150 kr.
    expect(result.own).toEqual({ municipalityCode: '840', municipalityName: 'Rebild', personsWithMentor: 150, population: 20_000, costOre: 300_000_000, sharePercent: 0.75, costPerPersonWithMentorOre: 2_000_000, costPerInhabitantOre: 15_000 });
    expect(result.ownPublished).toMatchObject({ personsWithMentor: 120, sharePercent: 0.6 });
    // Aalborg 1.00 % before Aarhus 0.49 %.
    expect(result.others.map((o) => [o.municipalityName, o.sharePercent])).toEqual([
      ['Aalborg', 1],
      ['Aarhus', 0.49],
    ]);
  });

  it('has no share for this municipality when its code is not set', () => {
    const result = comparison({ period: 2025, municipality: null, portal: { personsWithMentor: 3, costOre: 0 }, published: [] });
    expect(result.own).toMatchObject({ municipalityCode: null, population: null, sharePercent: null, costPerPersonWithMentorOre: 0 });
  });
});
