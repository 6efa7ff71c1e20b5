import { formatKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import { formatDecimal, formatHours, formatPercent } from '../common/web/finance-view';
import type { HourBudgetReport } from './hour-budget.rules';
import type { BudgetGuaranteeReport } from './reports.service';

/** View models of the hour-budget and budget-guarantee pages, in the page's language. Pure. */

/** '150' or '150,5' hours as whole minutes (one decimal at most, so minutes stay whole); null when it is no such number. */
export function minutesFromHours(text: string): number | null {
  const match = /^(\d{1,7})(?:[.,](\d))?$/.exec(text.trim());
  if (match === null) return null;
  return Number(match[1]) * 60 + Number(match[2] ?? '0') * 6;
}

/** Hundredths of a person as '1.234,56' (da) or '1,234.56' (en). */
export function formatFullTimePersons(hundredths: number, lang: Language): string {
  const whole = Math.floor(hundredths / 100).toLocaleString(lang === 'da' ? 'da-DK' : 'en-GB');
  const fraction = String(hundredths % 100).padStart(2, '0');
  return `${whole}${lang === 'da' ? ',' : '.'}${fraction}`;
}

export function hourBudgetView(report: HourBudgetReport, lang: Language) {
  const hours = (minutes: number | null) => (minutes === null ? '–' : formatHours(minutes, lang));
  return {
    rows: report.rows.map((row) => ({
      mentorType: row.mentorType,
      supplierName: row.supplierName,
      budget: hours(row.budgetMinutes),
      granted: hours(row.grantedMinutes),
      delivered: hours(row.deliveredMinutes),
      left: hours(row.leftAfterGrantedMinutes),
      over: row.leftAfterGrantedMinutes !== null && row.leftAfterGrantedMinutes < 0,
      percent: formatPercent(row.grantedPercentOfBudget, lang),
    })),
    totals: { budget: hours(report.totals.budgetMinutes), granted: hours(report.totals.grantedMinutes), delivered: hours(report.totals.deliveredMinutes) },
    average: report.averageGrantedHoursPerWeek === null ? '–' : formatDecimal(report.averageGrantedHoursPerWeek, 2, lang),
    grants: report.grants,
    review: report.review.map((g) => ({ ...g, hoursPerWeek: formatHours(g.minutesPerWeek, lang) })),
  };
}

export function budgetGuaranteeView(report: BudgetGuaranteeReport, lang: Language) {
  const kr = (ore: number | null) => (ore === null ? null : formatKroner(ore, lang));
  return {
    hasLimit: report.orePerFullTimePerson !== null,
    perPerson: kr(report.orePerFullTimePerson),
    legalBasis: report.legalBasis,
    fullTimePersons: report.fullTimePersonsHundredths === null ? null : formatFullTimePersons(report.fullTimePersonsHundredths, lang),
    source: report.fullTimePersonsSource,
    limit: kr(report.limitOre),
    spent: kr(report.spentOre),
    left: kr(report.leftOre),
    over: report.leftOre !== null && report.leftOre < 0,
    percent: formatPercent(report.spentPercentOfLimit, lang),
  };
}
