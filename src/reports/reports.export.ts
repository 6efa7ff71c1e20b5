import { readableDate, type Cell, type ReadableColumn, type ReadableTable, type Table } from '../common/export/table-export';
import { formatHundredths, formatKroner } from '../common/web/format';
import type { MentorType } from '../rules/rule-set';
import type { BudgetFigures, BudgetReport } from './budget.rules';
import type { SpendFigures, SpendReport } from './spend.rules';
import type { HourBudgetReport } from './hour-budget.rules';
import type { QualityFigures, SupplierQualityReport } from './supplier-quality.rules';
import type { PerformanceFigures, SupplierPerformanceReport } from './supplier-performance.rules';
import type { BreakdownRow, StatisticsReport } from './statistics.rules';

/**
 * The reports as one table each for CSV and XLSX: exact øre and minutes as whole numbers, kroner as text
 * for reading. Supplier names go through toCsv/toXlsx, which neutralise anything a spreadsheet would run.
 */

const MENTOR_TYPE_NAMES: Record<MentorType, string> = {
  retention: 'Fastholdelsesmentor',
  company: 'Virksomhedsmentor',
  holistic: 'Helhedsorienteret mentor',
  discharge: 'Udskrivningskoordinator',
  release: 'Udslusningskoordinator',
};

const kr = (ore: number | null): Cell => (ore === null ? null : formatKroner(ore));
// Shares and ratios as Danish decimals ('12,8'), which Danish Excel reads as numbers from a ';' CSV.
const decimal = (value: number | null): Cell => (value === null ? null : formatHundredths(Math.round(value * 100)));

export const BUDGET_COLUMNS = ['dimension', 'key', 'name', 'period', 'spent_ore', 'committed_ore', 'forecast_ore', 'forecast_kr', 'budget_ore', 'frame_ore'];

/** One row per month and one for the year, for the total, each mentor type and each supplier; budget and frame on the year's total row. */
export function budgetTable(report: BudgetReport): Table {
  const rowsOf = (dimension: string, key: string, name: string, figures: BudgetFigures, yearExtras: [Cell, Cell] = [null, null]): Cell[][] => [
    ...figures.months.map((m): Cell[] => [dimension, key, name, m.month, m.spentOre, m.committedOre, m.forecastOre, kr(m.forecastOre), null, null]),
    [dimension, key, name, String(report.year), figures.spentOre, figures.committedOre, figures.forecastOre, kr(figures.forecastOre), ...yearExtras],
  ];
  const total: BudgetFigures = { ...report.totals, months: report.months };
  return {
    name: `Budget ${report.year}`,
    columns: BUDGET_COLUMNS,
    rows: [
      ...rowsOf('total', 'total', 'I alt', total, [report.budgetOre, report.frameOre]),
      ...report.byMentorType.flatMap((row) => rowsOf('mentor_type', row.mentorType, MENTOR_TYPE_NAMES[row.mentorType], row)),
      ...report.bySupplier.flatMap((row) => rowsOf('supplier', row.supplierId, row.supplierName, row)),
    ],
  };
}

export const SPEND_COLUMNS = ['dimension', 'key', 'name', 'supplier_kind', 'amount_ore', 'amount_kr', 'citizens', 'average_per_citizen_ore', 'average_per_citizen_kr'];

/** The council's table: a row per mentor type, per supplier and per supplier kind, and the total. */
export function spendTable(report: SpendReport): Table {
  const row = (dimension: string, key: string, name: string, kind: string | null, figures: SpendFigures): Cell[] => [
    dimension,
    key,
    name,
    kind,
    figures.amountOre,
    kr(figures.amountOre),
    figures.citizens,
    figures.averagePerCitizenOre,
    kr(figures.averagePerCitizenOre),
  ];
  return {
    name: `Forbrug ${report.year}`,
    columns: SPEND_COLUMNS,
    rows: [
      ...report.byMentorType.map((r) => row('mentor_type', r.mentorType, MENTOR_TYPE_NAMES[r.mentorType], null, r)),
      ...report.bySupplier.map((r) => row('supplier', r.supplierId, r.supplierName, r.supplierKind, r)),
      ...report.bySupplierKind.map((r) => row('supplier_kind', r.supplierKind, r.description, r.supplierKind, r)),
      row('total', 'total', `I alt ${report.year}`, null, report.total),
    ],
  };
}

export const PERFORMANCE_COLUMNS = [
  'supplier_id',
  'supplier',
  'supplier_kind',
  'grants',
  'granted_minutes',
  'delivered_minutes',
  'delivered_percent',
  'invoices',
  'errors',
  'warnings',
  'findings_per_invoice',
  'missed_minimum_contacts',
  'silent_grants',
];

export function supplierPerformanceTable(report: SupplierPerformanceReport): Table {
  const figures = (f: PerformanceFigures): Cell[] => [f.grants, f.grantedMinutes, f.deliveredMinutes, decimal(f.deliveredPercent), f.invoices, f.errors, f.warnings, decimal(f.findingsPerInvoice), f.missedMinimumContacts, f.silentGrants];
  return {
    name: `Leverandører ${report.year}`,
    columns: PERFORMANCE_COLUMNS,
    rows: [...report.suppliers.map((s): Cell[] => [s.supplierId, s.supplierName, s.supplierKind, ...figures(s)]), ['total', `I alt ${report.year}`, null, ...figures(report.total)]],
  };
}

export const HOUR_BUDGET_COLUMNS = ['section', 'mentor_type', 'supplier', 'budget_minutes', 'granted_minutes', 'delivered_minutes', 'left_after_granted_minutes', 'granted_percent_of_budget', 'grant_reference', 'minutes_per_week', 'start', 'end', 'review_reasons'];

/** The hour budget: one row per mentor type and supplier, the total, then the grants for review. */
export function hourBudgetTable(report: HourBudgetReport): Table {
  return {
    name: `Timebudget ${report.year}`,
    columns: HOUR_BUDGET_COLUMNS,
    rows: [
      ...report.rows.map((row): Cell[] => ['budget', MENTOR_TYPE_NAMES[row.mentorType], row.supplierName ?? 'Alle leverandører', row.budgetMinutes, row.grantedMinutes, row.deliveredMinutes, row.leftAfterGrantedMinutes, decimal(row.grantedPercentOfBudget), null, null, null, null, null]),
      ['total', null, null, report.totals.budgetMinutes, report.totals.grantedMinutes, report.totals.deliveredMinutes, null, null, null, null, null, null, null],
      ...report.review.map((g): Cell[] => ['review', MENTOR_TYPE_NAMES[g.mentorType], g.supplierName, null, null, null, null, null, g.reference, g.minutesPerWeek, g.start, g.end, g.reasons.join(' ')]),
    ],
  };
}

export const SUPPLIER_QUALITY_COLUMNS = ['supplier_id', 'supplier', 'period', 'progress_reports', 'late_progress_reports', 'findings', 'invoiced_minutes', 'findings_per_100_hours', 'decided_minutes', 'approved_minutes', 'approved_percent', 'silent_grants'];

/** Supplier quality: per supplier the year and its four quarters, then the year's total. */
export function supplierQualityTable(report: SupplierQualityReport): Table {
  const cells = (id: string | null, name: string, period: string, f: QualityFigures): Cell[] => [
    id, name, period, f.progressReports, f.lateProgressReports, f.findings, f.invoicedMinutes, decimal(f.findingsPerHundredHours), f.decidedMinutes, f.approvedMinutes, decimal(f.approvedPercent), f.silentGrants,
  ];
  return {
    name: `Leverandørkvalitet ${report.year}`,
    columns: SUPPLIER_QUALITY_COLUMNS,
    rows: [
      ...report.suppliers.flatMap((s) => [cells(s.supplierId, s.supplierName, String(report.year), s), ...s.quarters.map((q) => cells(s.supplierId, s.supplierName, `${report.year}-Q${q.quarter}`, q))]),
      cells(null, 'I alt', String(report.year), report.total),
    ],
  };
}

// ---- the tables for people (the default export; the tables above are `?format=raw`) ----

type Translate = (key: string, params?: Record<string, unknown>) => string;

export type SpendBreakdown = 'mentor_type' | 'supplier';

/** The budget month by month: spent, committed and forecast in kroner, the forecast to date, and the year's totals. */
export function readableBudgetTable(report: BudgetReport, t: Translate, language: 'da' | 'en'): ReadableTable {
  const kroner = (ore: number | null): string => (ore === null ? t('export.budget.none') : formatKroner(ore, language));
  return {
    name: t('export.budget.sheet', { year: report.year }),
    title: t('export.budget.title', { year: report.year }),
    about: [
      [t('export.period'), `${readableDate(`${report.year}-01-01`, language)} – ${readableDate(`${report.year}-12-31`, language)}`],
      [t('export.budget.budget'), kroner(report.budgetOre)],
      [t('export.budget.frame'), kroner(report.frameOre)],
      [t('export.made'), readableDate(report.today, language)],
      [t('export.filters'), t('export.no_filters')],
    ],
    columns: [
      { header: t('export.budget.month'), kind: 'month' },
      { header: t('export.budget.spent'), kind: 'kroner' },
      { header: t('export.budget.committed'), kind: 'kroner' },
      { header: t('export.budget.forecast'), kind: 'kroner' },
      { header: t('export.budget.cumulative'), kind: 'kroner' },
    ],
    rows: report.months.map((m): Cell[] => [m.month, m.spentOre, m.committedOre, m.forecastOre, m.cumulativeForecastOre]),
    totals: [t('export.total'), report.totals.spentOre, report.totals.committedOre, report.totals.forecastOre, null],
    language,
  };
}

/**
 * Spend by mentor type or by supplier: amount in kroner, citizens and the average per citizen; the totals row
 * is the year's (a citizen helped in two rows counts once there, so it is not the column's sum).
 */
export function readableSpendTable(report: SpendReport, by: SpendBreakdown, t: Translate, language: 'da' | 'en'): ReadableTable {
  const figures = (f: SpendFigures): Cell[] => [f.amountOre, f.citizens, f.averagePerCitizenOre];
  const rows: Cell[][] =
    by === 'supplier'
      ? report.bySupplier.map((r) => [r.supplierName, r.supplierKind === null ? null : t(`supplier_kind.${r.supplierKind}`), ...figures(r)])
      : report.byMentorType.map((r) => [t(`mentor_type.${r.mentorType}`), ...figures(r)]);
  const first: ReadableColumn[] =
    by === 'supplier'
      ? [
          { header: t('export.spend.supplier'), kind: 'text' },
          { header: t('export.spend.supplier_kind'), kind: 'text' },
        ]
      : [{ header: t('export.spend.mentor_type'), kind: 'text' }];
  return {
    name: t('export.spend.sheet', { year: report.year }),
    title: t('export.spend.title', { year: report.year }),
    about: [
      [t('export.period'), `${readableDate(report.from, language)} – ${readableDate(report.to, language)}`],
      [t('export.spend.by'), t(`export.spend.by.${by}`)],
      [t('export.filters'), t('export.no_filters')],
    ],
    columns: [
      ...first,
      { header: t('export.spend.amount'), kind: 'kroner' },
      { header: t('export.spend.citizens'), kind: 'integer' },
      { header: t('export.spend.average'), kind: 'kroner' },
    ],
    rows,
    totals: [t('export.total'), ...(by === 'supplier' ? [null] : []), ...figures(report.total)],
    language,
  };
}

/** The label of a statistics breakdown row in the language: mentor type, target group, supplier or age band. */
export function statisticsRowLabel(dimension: 'mentor_type' | 'target_group' | 'supplier' | 'age_band', row: { key: string; name?: string }, t: Translate): string {
  if (dimension === 'supplier') return row.name ?? row.key;
  return t(`${dimension}.${row.key}`);
}

export const STATISTICS_COLUMNS = ['dimension', 'key', 'name', 'started', 'mentor_changes', 'ended', 'average_days', 'median_days'];

/** The statistics' breakdowns as one machine table: a row per dimension and key. */
export function statisticsTable(report: StatisticsReport): Table {
  const rows: Cell[][] = [];
  const add = (dimension: string, list: BreakdownRow[]) => list.forEach((r) => rows.push([dimension, r.key, r.name ?? null, r.started, r.mentorChanges, r.ended, r.averageDays, r.medianDays]));
  add('mentor_type', report.byMentorType);
  add('target_group', report.byTargetGroup);
  add('supplier', report.bySupplier);
  add('age_band', report.byAgeBand);
  return { name: `Statistik ${report.year}`, columns: STATISTICS_COLUMNS, rows };
}

/** The statistics for people: the breakdowns under one heading each, counts and days as whole numbers, the year's totals in the lines above. */
export function readableStatisticsTable(report: StatisticsReport, t: Translate, language: 'da' | 'en'): ReadableTable {
  const rows: Cell[][] = [];
  const add = (dimension: 'mentor_type' | 'target_group' | 'supplier' | 'age_band', list: BreakdownRow[]) =>
    list.forEach((r) => rows.push([t(`statistics.by_${dimension}`), statisticsRowLabel(dimension, r, t), r.started, r.mentorChanges, r.ended, r.averageDays, r.medianDays]));
  add('mentor_type', report.byMentorType);
  add('target_group', report.byTargetGroup);
  add('supplier', report.bySupplier);
  add('age_band', report.byAgeBand);
  const days = (value: number | null) => (value === null ? '–' : String(value));
  return {
    name: t('statistics.sheet', { year: report.year }),
    title: t('statistics.title', { year: report.year }),
    about: [
      [t('export.period'), `${readableDate(`${report.year}-01-01`, language)} – ${readableDate(`${report.year}-12-31`, language)}`],
      [t('statistics.started'), String(report.totals.started)],
      [t('statistics.mentor_changes'), String(report.totals.mentorChanges)],
      [t('statistics.ended'), String(report.ended.count)],
      [t('statistics.average_days'), days(report.ended.averageDays)],
      [t('statistics.median_days'), days(report.ended.medianDays)],
      [t('export.filters'), t('export.no_filters')],
    ],
    columns: [
      { header: t('statistics.dimension'), kind: 'text' },
      { header: t('statistics.group'), kind: 'text' },
      { header: t('statistics.started'), kind: 'integer' },
      { header: t('statistics.mentor_changes'), kind: 'integer' },
      { header: t('statistics.ended'), kind: 'integer' },
      { header: t('statistics.average_days'), kind: 'integer' },
      { header: t('statistics.median_days'), kind: 'integer' },
    ],
    rows,
    totals: null,
    language,
  };
}
