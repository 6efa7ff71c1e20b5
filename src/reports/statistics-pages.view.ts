import { formatDecimal, formatPercent, type Translate } from '../common/web/finance-view';
import { formatKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import type { InvestmentCase } from './investment-case.rules';
import type { Comparison, ComparisonFigures } from './comparison.rules';
import { statisticsRowLabel } from './reports.export';
import type { BreakdownRow, StatisticsReport } from './statistics.rules';

/** View models of the statistics and investment-case pages, in the page's language. Pure. */

const days = (value: number | null): string => (value === null ? '–' : String(value));

export function statisticsView(report: StatisticsReport, t: Translate, lang: Language) {
  const rows = (dimension: 'mentor_type' | 'target_group' | 'supplier' | 'age_band', list: BreakdownRow[]) =>
    list.map((r) => ({ label: statisticsRowLabel(dimension, r, t), started: r.started, mentorChanges: r.mentorChanges, ended: r.ended, averageDays: days(r.averageDays), medianDays: days(r.medianDays) }));
  return {
    months: report.startsByMonth.map((m) => ({ label: t(`finance.month_short.${Number(m.month.slice(5, 7))}`), ...m })),
    ended: { count: report.ended.count, averageDays: days(report.ended.averageDays), medianDays: days(report.ended.medianDays) },
    outcomes: report.ended.byOutcome.filter((o) => o.count > 0).map((o) => ({ outcome: o.outcome, count: o.count, percent: formatPercent(o.percent, lang), medianDays: days(o.medianDays) })),
    breakdowns: [
      { id: 'by-type', heading: 'statistics.by_mentor_type', rows: rows('mentor_type', report.byMentorType) },
      { id: 'by-group', heading: 'statistics.by_target_group', rows: rows('target_group', report.byTargetGroup) },
      { id: 'by-supplier', heading: 'statistics.by_supplier', rows: rows('supplier', report.bySupplier) },
      { id: 'by-age', heading: 'statistics.by_age_band', rows: rows('age_band', report.byAgeBand) },
    ],
    cumulative: { ...report.cumulative, averageDays: days(report.cumulative.averageDays), medianDays: days(report.cumulative.medianDays) },
    internalPercent: formatPercent(report.internalShare.internalPercent, lang),
    extendedPercent: formatPercent(report.extensions.extendedPercent, lang),
  };
}

export function investmentView(result: InvestmentCase, lang: Language, t: Translate) {
  const kr = (ore: number | null) => (ore === null ? '–' : formatKroner(ore, lang));
  return {
    ...result,
    monthlyBenefit: kr(result.monthlyBenefitOre),
    netMonthlyBenefit: kr(result.netMonthlyBenefitOre),
    refundAmount: kr(result.monthlyBenefitOre - result.netMonthlyBenefitOre),
    benefitName: t(`benefit.${result.benefit}`),
    rows: result.rows.map((r) => ({
      mentorType: r.mentorType,
      amount: kr(r.amountOre),
      citizens: r.citizens,
      costPerCitizen: kr(r.costPerCitizenOre),
      entered: r.costSource === 'entered',
      months: r.breakEvenTenthsOfMonth === null ? '–' : formatDecimal(r.breakEvenTenthsOfMonth / 10, 1, lang),
    })),
  };
}

/** The comparison page's rows: this municipality from the portal, as published, then the others; money in kroner, shares in percent with two decimals. */
export function comparisonView(result: Comparison, t: Translate, lang: Language) {
  const money = (ore: number | null) => (ore === null ? '–' : formatKroner(ore, lang));
  const count = (n: number | null) => (n === null ? '–' : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'da' ? '.' : ','));
  const row = (figures: ComparisonFigures, label: string, own: boolean) => ({
    label,
    own,
    code: figures.municipalityCode ?? '',
    persons: count(figures.personsWithMentor),
    population: count(figures.population),
    share: figures.sharePercent === null ? '–' : `${formatDecimal(figures.sharePercent, 2, lang)} %`,
    cost: money(figures.costOre),
    costPerPerson: money(figures.costPerPersonWithMentorOre),
    costPerInhabitant: money(figures.costPerInhabitantOre),
  });
  const ownName = result.municipality?.name ?? t('comparison.this_municipality');
  const rows = [
    row(result.own, t('comparison.own_portal', { name: ownName }), true),
    ...(result.ownPublished ? [row(result.ownPublished, t('comparison.own_published', { name: ownName }), true)] : []),
    ...result.others.map((o) => row(o, o.municipalityName ?? '', false)),
  ];
  return {
    rows,
    bars: [result.own, ...result.others]
      .filter((f) => f.sharePercent !== null)
      .map((f, i) => ({ label: i === 0 && f === result.own ? ownName : (f.municipalityName ?? ''), count: Math.round((f.sharePercent as number) * 100), text: `${formatDecimal(f.sharePercent as number, 2, lang)} %` })),
  };
}
