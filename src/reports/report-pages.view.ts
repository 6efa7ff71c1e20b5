import type { BudgetReport } from './budget.rules';
import type { SpendReport } from './spend.rules';
import type { SupplierPerformanceReport } from './supplier-performance.rules';
import type { CalendarMonth } from '../common/time/calendar-date';
import { formatKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import { formatDecimal, formatHours, formatPercent } from '../common/web/finance-view';

/** View models of the report pages: the budget follow-up, spend and supplier performance, in the page's language. Pure. */

/** The budget report's months with running totals: spent and forecast so far, against the year's budget. */
export function budgetMonthRows(report: BudgetReport, lang: Language, monthLabel: (month: CalendarMonth) => string) {
  const kr = (ore: number) => formatKroner(ore, lang);
  let spentSoFar = 0;
  return report.months.map((month) => {
    spentSoFar += month.spentOre;
    return {
      month: month.month,
      label: monthLabel(month.month),
      spent: kr(month.spentOre),
      committed: kr(month.committedOre),
      forecast: kr(month.forecastOre),
      spentSoFar: kr(spentSoFar),
      forecastSoFar: kr(month.cumulativeForecastOre),
      overBudget: report.budgetOre !== null && month.cumulativeForecastOre > report.budgetOre,
    };
  });
}

export function budgetSummaryView(report: BudgetReport, lang: Language) {
  const kr = (ore: number | null) => (ore === null ? null : formatKroner(ore, lang));
  return {
    budget: kr(report.budgetOre),
    frame: kr(report.frameOre),
    spent: kr(report.totals.spentOre),
    committed: kr(report.totals.committedOre),
    forecast: kr(report.totals.forecastOre),
    left: kr(report.totals.budgetLeftAfterForecastOre),
    overBudget: report.totals.budgetLeftAfterForecastOre !== null && report.totals.budgetLeftAfterForecastOre < 0,
    forecastPercent: report.totals.forecastPercentOfBudget === null ? null : formatPercent(report.totals.forecastPercentOfBudget, lang),
    byMentorType: report.byMentorType.map((row) => ({ mentorType: row.mentorType, spent: kr(row.spentOre), committed: kr(row.committedOre), forecast: kr(row.forecastOre) })),
    bySupplier: report.bySupplier.map((row) => ({ supplierName: row.supplierName, spent: kr(row.spentOre), committed: kr(row.committedOre), forecast: kr(row.forecastOre) })),
    unpricedGrants: report.unpricedGrants,
  };
}

function spendFigures(figures: { amountOre: number; citizens: number; averagePerCitizenOre: number | null }, lang: Language) {
  return { amount: formatKroner(figures.amountOre, lang), citizens: figures.citizens, average: figures.averagePerCitizenOre === null ? '–' : formatKroner(figures.averagePerCitizenOre, lang) };
}

export function spendView(report: SpendReport, lang: Language) {
  return {
    from: report.from,
    to: report.to,
    total: spendFigures(report.total, lang),
    byMentorType: report.byMentorType.map((row) => ({ mentorType: row.mentorType, ...spendFigures(row, lang) })),
    bySupplier: report.bySupplier.map((row) => ({ supplierName: row.supplierName, supplierKind: row.supplierKind, ...spendFigures(row, lang) })),
    bySupplierKind: report.bySupplierKind.map((row) => ({ supplierKind: row.supplierKind, ...spendFigures(row, lang), percent: formatPercent(row.percentOfAmount, lang), coursesStarted: row.coursesStarted })),
  };
}

export function performanceView(report: SupplierPerformanceReport, lang: Language) {
  const figures = (row: SupplierPerformanceReport['total']) => ({
    grants: row.grants,
    granted: formatHours(row.grantedMinutes, lang),
    delivered: formatHours(row.deliveredMinutes, lang),
    deliveredPercent: formatPercent(row.deliveredPercent, lang),
    invoices: row.invoices,
    errors: row.errors,
    warnings: row.warnings,
    findingsPerInvoice: row.findingsPerInvoice === null ? '–' : formatDecimal(row.findingsPerInvoice, 2, lang),
    missedMinimumContacts: row.missedMinimumContacts,
    silentGrants: row.silentGrants,
  });
  return {
    measuredFrom: report.measuredFrom,
    measuredThrough: report.measuredThrough,
    total: figures(report.total),
    suppliers: report.suppliers.map((row) => ({ supplierName: row.supplierName, supplierKind: row.supplierKind, ...figures(row) })),
  };
}
