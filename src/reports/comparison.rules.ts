import { parse } from 'csv-parse/sync';
import type { ErrorDetail } from '../common/errors/domain.exception';
import { divideRoundingHalfUp } from '../invoices/invoice-amounts';
import { municipalityOf } from '../common/municipalities';
import { ReportsErrorCode } from './reports.errors';

/**
 * Comparison with other municipalities (STAR's analysis 002): the figures Jobindsats publishes per municipality
 * and year (its mentor tables: persons with a mentor, the population or target group they are counted in, the
 * expenses), imported from a CSV in the shape of a Jobindsats export, and set beside this municipality's own.
 * Pure: reading the file, and the figures compared. A file with any problem is refused whole; each problem
 * names the row (the file's line, the header being row 1) and the column.
 *
 *     område | kommune | municipality            '751 Aarhus', 'Aarhus', 'Aarhus Kommune' or '751'
 *     kommunekode | municipality_code (optional) '751'; must agree with the name when both are given
 *     periode | period | år                       the year, 2007–2100 ('2025')
 *     personer_med_mentor | persons_with_mentor   whole persons: 1234 or 1.234
 *     befolkning | målgruppe | population         whole persons, at least the persons with a mentor
 *     udgift_kr | udgifter | cost (optional)      kroner: 1.234.567,89 or 1234567; empty when not published
 *
 * Separator ';' or ',' (from the header; ';' wins); UTF-8 with or without BOM; blank rows skipped; unknown
 * columns ignored.
 */

export const COMPARISON_FILE_MAX_BYTES = 512 * 1024;
export const COMPARISON_FILE_MAX_ROWS = 5_000;
const MAX_PROBLEMS = 200;
/** More than Denmark's population is no municipality's figure. */
const MAX_PERSONS = 10_000_000;
/** 100 billion kr. */
const MAX_COST_ORE = 10_000_000_000_000;

const COLUMNS = {
  municipality: ['område', 'omraade', 'kommune', 'kommunenavn', 'municipality', 'area'],
  municipalityCode: ['kommunekode', 'kommune_kode', 'municipality_code', 'code'],
  period: ['periode', 'period', 'år', 'aar', 'year'],
  personsWithMentor: ['personer_med_mentor', 'antal_personer_med_mentor', 'personer', 'antal_personer', 'persons_with_mentor', 'persons'],
  population: ['befolkning', 'målgruppe', 'maalgruppe', 'antal_i_målgruppen', 'population', 'target_group_size', 'target_group'],
  cost: ['udgift_kr', 'udgifter_kr', 'udgift', 'udgifter', 'cost_kr', 'cost'],
} as const;

type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['municipality', 'period', 'personsWithMentor', 'population'];

/** The column names the errors use. */
export const COMPARISON_COLUMN_FIELDS: Record<Column, string> = {
  municipality: 'municipality',
  municipalityCode: 'municipality_code',
  period: 'period',
  personsWithMentor: 'persons_with_mentor',
  population: 'population',
  cost: 'cost',
};

export interface MunicipalityFigureRow {
  row: number;
  municipalityCode: string;
  municipalityName: string;
  period: number;
  personsWithMentor: number;
  population: number;
  costOre: number | null;
}

export interface ComparisonFile {
  rows: MunicipalityFigureRow[];
  problems: ErrorDetail[];
}

function problem(code: ReportsErrorCode, field: string, message: string, values: Record<string, string | number>): ErrorDetail {
  return { field, rule: code, message, values };
}

function rowProblem(code: ReportsErrorCode, row: number, column: Column, message: string, values: Record<string, string | number> = {}): ErrorDetail {
  const field = COMPARISON_COLUMN_FIELDS[column];
  return problem(code, `rows[${row}].${field}`, `row ${row}, ${field}: ${message}`, { row, column: field, ...values });
}

/** Whole persons as published: 1234 or 1.234 (thousands grouped with '.'); null when it is no such number. */
export function parseWholeCount(text: string): number | null {
  const value = text.trim();
  if (!/^\d{1,3}(?:\.\d{3})+$/.test(value) && !/^\d{1,9}$/.test(value)) return null;
  return Number(value.replace(/\./g, ''));
}

/** Kroner as published (1.234.567,89 or 1234567,5 or 1234567) → whole øre; null when it is no such amount. Never through a float. */
export function parseKroner(text: string): number | null {
  const match = /^(\d{1,3}(?:\.\d{3})+|\d{1,12})(?:,(\d{1,2}))?$/.exec(text.trim());
  if (match === null) return null;
  const ore = Number(match[1].replace(/\./g, '')) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(ore) ? ore : null;
}

function detectDelimiter(text: string): ';' | ',' {
  const header = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  return header.includes(';') || !header.includes(',') ? ';' : ',';
}

function readRow(record: string[], row: number, indexes: Partial<Record<Column, number>>): { row?: MunicipalityFigureRow; problems: ErrorDetail[] } {
  const cell = (column: Column) => (indexes[column] === undefined ? '' : (record[indexes[column] as number] ?? '').trim());
  const problems: ErrorDetail[] = [];
  const nameText = cell('municipality');
  const codeText = cell('municipalityCode');
  const municipality = municipalityOf(codeText === '' ? nameText : `${codeText} ${nameText}`);
  if (municipality === null) {
    const value = [codeText, nameText].filter((v) => v !== '').join(' ');
    problems.push(rowProblem(ReportsErrorCode.ComparisonMunicipality, row, 'municipality', `'${value}' is not one of the 98 Danish municipalities (code and name as in the municipality register)`, { value }));
  }
  const periodText = cell('period');
  const period = /^\d{4}$/.test(periodText) && Number(periodText) >= 2007 && Number(periodText) <= 2100 ? Number(periodText) : null;
  if (period === null) problems.push(rowProblem(ReportsErrorCode.ComparisonPeriod, row, 'period', `the period must be a year from 2007 to 2100, got '${periodText}'`, { value: periodText }));
  const count = (column: 'personsWithMentor' | 'population'): number | null => {
    const text = cell(column);
    const value = parseWholeCount(text);
    if (value === null || value > MAX_PERSONS) {
      problems.push(rowProblem(ReportsErrorCode.ComparisonNumber, row, column, `must be a whole number of persons (1234 or 1.234), got '${text}'`, { value: text }));
      return null;
    }
    return value;
  };
  const persons = count('personsWithMentor');
  const population = count('population');
  if (persons !== null && population !== null && (population === 0 || persons > population)) {
    problems.push(rowProblem(ReportsErrorCode.ComparisonPopulation, row, 'population', `the population (${population}) must be above 0 and at least the persons with a mentor (${persons})`, { value: population, persons }));
  }
  const costText = cell('cost');
  const costOre = costText === '' ? null : parseKroner(costText);
  if (costText !== '' && (costOre === null || costOre > MAX_COST_ORE)) {
    problems.push(rowProblem(ReportsErrorCode.ComparisonCost, row, 'cost', `the cost must be kroner with at most two decimals (1.234.567,89), or empty, got '${costText}'`, { value: costText }));
  }
  if (problems.length > 0 || municipality === null || period === null || persons === null || population === null) return { problems };
  return { row: { row, municipalityCode: municipality.code, municipalityName: municipality.name, period, personsWithMentor: persons, population, costOre }, problems };
}

/** Reads a comparison file: its rows, or the problems that refuse it (every row's, up to 200). */
export function readComparisonFile(text: string): ComparisonFile {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > COMPARISON_FILE_MAX_BYTES) {
    return { rows: [], problems: [problem(ReportsErrorCode.ComparisonFileSize, 'file', `the file has ${bytes} bytes; at most ${COMPARISON_FILE_MAX_BYTES} are taken`, { bytes, max: COMPARISON_FILE_MAX_BYTES })] };
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, delimiter: detectDelimiter(text), skip_empty_lines: true, relax_column_count: true, max_record_size: 10_000, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { rows: [], problems: [problem(ReportsErrorCode.ComparisonFileFormat, 'file', `the file cannot be read as CSV near line ${line}`, { line })] };
  }
  const [header, ...body] = records;
  if (header === undefined || body.length === 0) return { rows: [], problems: [problem(ReportsErrorCode.ComparisonFileEmpty, 'file', 'the file has no rows under its header', {})] };
  if (body.length > COMPARISON_FILE_MAX_ROWS) {
    return { rows: [], problems: [problem(ReportsErrorCode.ComparisonFileRows, 'file', `the file has ${body.length} rows; at most ${COMPARISON_FILE_MAX_ROWS} are taken`, { rows: body.length, max: COMPARISON_FILE_MAX_ROWS })] };
  }
  const names = header.record.map((name) => name.trim().toLowerCase().replace(/\s+/g, '_'));
  const indexes: Partial<Record<Column, number>> = {};
  const problems: ErrorDetail[] = [];
  for (const column of Object.keys(COLUMNS) as Column[]) {
    const at = names.findIndex((name) => (COLUMNS[column] as readonly string[]).includes(name));
    if (at >= 0) indexes[column] = at;
    else if (REQUIRED.includes(column)) {
      const field = COMPARISON_COLUMN_FIELDS[column];
      problems.push(problem(ReportsErrorCode.ComparisonColumnMissing, field, `the file has no column ${field} (${COLUMNS[column].join(', ')})`, { column: field }));
    }
  }
  if (problems.length > 0) return { rows: [], problems };
  const rows: MunicipalityFigureRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { record, info } of body) {
    const read = readRow(record, info.lines, indexes);
    problems.push(...read.problems);
    if (read.row) {
      const key = `${read.row.municipalityCode}:${read.row.period}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) {
        problems.push(rowProblem(ReportsErrorCode.ComparisonRowDuplicate, read.row.row, 'municipality', `${read.row.municipalityName} ${read.row.period} is in row ${first} already`, { value: read.row.municipalityName, period: read.row.period, firstRow: first }));
      } else {
        firstRowOf.set(key, read.row.row);
        rows.push(read.row);
      }
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }
  return problems.length > 0 ? { rows: [], problems: problems.slice(0, MAX_PROBLEMS) } : { rows, problems: [] };
}

export interface ComparisonFigures {
  municipalityCode: string | null;
  municipalityName: string | null;
  personsWithMentor: number;
  population: number | null;
  costOre: number | null;
  /** Persons with a mentor per 100 of the population, two decimals rounded half up; null without a population. */
  sharePercent: number | null;
  /** Cost per person with a mentor in øre, rounded half up; null without a cost or persons. */
  costPerPersonWithMentorOre: number | null;
  /** Cost per person of the population in øre, rounded half up; null without a cost or a population. */
  costPerInhabitantOre: number | null;
}

/** The compared figures of one municipality's counts. */
export function comparisonFigures(input: { municipalityCode: string | null; municipalityName: string | null; personsWithMentor: number; population: number | null; costOre: number | null }): ComparisonFigures {
  const { personsWithMentor: persons, population, costOre } = input;
  return {
    ...input,
    sharePercent: population === null || population === 0 ? null : Number(divideRoundingHalfUp(BigInt(persons) * 10_000n, BigInt(population))) / 100,
    costPerPersonWithMentorOre: costOre === null || persons === 0 ? null : Number(divideRoundingHalfUp(BigInt(costOre), BigInt(persons))),
    costPerInhabitantOre: costOre === null || population === null || population === 0 ? null : Number(divideRoundingHalfUp(BigInt(costOre), BigInt(population))),
  };
}

export interface Comparison {
  period: number;
  /** This municipality (MUNICIPALITY_CODE), or null when it is not configured. */
  municipality: { code: string; name: string } | null;
  /** This municipality from the portal's own data: persons with an approved grant in the year, approved spending; the population from its published row. */
  own: ComparisonFigures;
  /** This municipality's published row, when the file had one. */
  ownPublished: ComparisonFigures | null;
  /** The other municipalities' published figures, the highest share first, then by name. */
  others: ComparisonFigures[];
}

type PublishedCounts = { municipalityCode: string; municipalityName: string; personsWithMentor: number; population: number; costOre: number | null };

// Only the counts of a published row: what is stored besides (its period, when it was imported) stays out.
const counts = (r: PublishedCounts): ComparisonFigures =>
  comparisonFigures({ municipalityCode: r.municipalityCode, municipalityName: r.municipalityName, personsWithMentor: r.personsWithMentor, population: r.population, costOre: r.costOre });

export function comparison(input: {
  period: number;
  municipality: { code: string; name: string } | null;
  portal: { personsWithMentor: number; costOre: number };
  published: PublishedCounts[];
}): Comparison {
  const ownRow = input.municipality === null ? undefined : input.published.find((r) => r.municipalityCode === input.municipality?.code);
  const others = input.published
    .filter((r) => r !== ownRow)
    .map(counts)
    .sort((a, b) => (b.sharePercent ?? -1) - (a.sharePercent ?? -1) || (a.municipalityName ?? '').localeCompare(b.municipalityName ?? '', 'da'));
  return {
    period: input.period,
    municipality: input.municipality,
    own: comparisonFigures({
      municipalityCode: input.municipality?.code ?? null,
      municipalityName: input.municipality?.name ?? null,
      personsWithMentor: input.portal.personsWithMentor,
      population: ownRow?.population ?? null,
      costOre: input.portal.costOre,
    }),
    ownPublished: ownRow === undefined ? null : counts(ownRow),
    others,
  };
}
