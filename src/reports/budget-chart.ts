import type { CalendarMonth } from '../common/time/calendar-date';

/**
 * The budget page's chart: month by month, what has been spent so far (solid) and what active grants still
 * commit (light) as running totals, against the year's budget (a dashed line). A pure function from the
 * report's numbers to an SVG string; coordinates are whole numbers. The chart is one image to assistive
 * technology, named by its <title> and described by its <desc>; the page shows the numbers in a table.
 */

export interface BudgetChartMonth {
  month: CalendarMonth;
  spentOre: number;
  committedOre: number;
}

export interface BudgetChartInput {
  months: BudgetChartMonth[];
  budgetOre: number | null;
  title: string;
  description: string;
  /** Short month name for the axis ('okt'). */
  monthLabel: (month: CalendarMonth) => string;
  /** An amount on the axis and in tooltips, whole kroner. */
  money: (ore: number) => string;
  /** Tooltip of a bar: spent and forecast so far. */
  barTitle: (month: CalendarMonth, spentSoFarOre: number, forecastSoFarOre: number) => string;
  budgetLabel: (budgetOre: number) => string;
}

/** The drawing's units, close to the pixels of its column beside the table, so its text stays readable. */
export const CHART = { width: 560, height: 300, left: 116, right: 16, top: 24, bottom: 36, ticks: 4, barWidth: 24 } as const;

/** A bar or line never goes below the axis, even when credits make a running total negative. */
const atLeastZero = (ore: number): number => (ore > 0 ? ore : 0);

/** The smallest 1, 2, 2.5 or 5 × 10^k kroner (k ≥ 0, in øre) that is at least `ore`. */
export function niceStep(ore: number): number {
  let power = 100;
  for (;;) {
    for (const factor of [10, 20, 25, 50]) {
      const step = (power * factor) / 10;
      if (step >= ore) return step;
    }
    power *= 10;
  }
}

/** The axis maximum: four nice steps covering the largest value (1,000 kr. a step when all is zero). */
export function axisStep(largestOre: number, ticks: number = CHART.ticks): number {
  if (largestOre <= 0) return 100_000;
  return niceStep(Math.ceil(largestOre / ticks));
}

/** Height in whole units of `ore` on an axis of `axisOre` over `plotHeight`, rounded half up. */
export function scaled(ore: number, axisOre: number, plotHeight: number): number {
  return Math.floor((2 * atLeastZero(ore) * plotHeight + axisOre) / (2 * axisOre));
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Spent and forecast (spent + committed) so far, month by month. */
export function runningTotals(months: BudgetChartMonth[]): Array<{ month: CalendarMonth; spentOre: number; forecastOre: number }> {
  let spent = 0;
  let committed = 0;
  return months.map((m) => {
    spent += m.spentOre;
    committed += m.committedOre;
    return { month: m.month, spentOre: spent, forecastOre: spent + committed };
  });
}

export function budgetChartSvg(input: BudgetChartInput, idPrefix = 'budget-chart'): string {
  const { width, height, left, right, top, bottom, ticks, barWidth } = CHART;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const baseline = top + plotHeight;
  const totals = runningTotals(input.months);
  const largest = Math.max(input.budgetOre ?? 0, ...totals.map((m) => m.forecastOre), ...totals.map((m) => m.spentOre));
  const step = axisStep(largest, ticks);
  const axis = step * ticks;
  const slot = Math.floor(plotWidth / Math.max(totals.length, 1));
  const y = (ore: number) => baseline - scaled(ore, axis, plotHeight);
  const e = escapeXml;

  const grid: string[] = [];
  for (let i = 0; i <= ticks; i += 1) {
    const at = y(step * i);
    grid.push(`<line class="chart-grid" x1="${left}" y1="${at}" x2="${width - right}" y2="${at}"/>`);
    grid.push(`<text class="chart-tick" x="${left - 8}" y="${at + 5}" text-anchor="end">${e(input.money(step * i))}</text>`);
  }

  const bars = totals.map((m, index) => {
    const x = left + index * slot + Math.floor((slot - barWidth) / 2);
    const spentTop = y(m.spentOre);
    const forecastTop = y(m.forecastOre);
    const parts = [`<g><title>${e(input.barTitle(m.month, m.spentOre, m.forecastOre))}</title>`];
    if (forecastTop < spentTop) parts.push(`<rect class="chart-committed" x="${x}" y="${forecastTop}" width="${barWidth}" height="${spentTop - forecastTop}"/>`);
    if (spentTop < baseline) parts.push(`<rect class="chart-spent" x="${x}" y="${spentTop}" width="${barWidth}" height="${baseline - spentTop}"/>`);
    parts.push(`<text class="chart-month" x="${x + Math.floor(barWidth / 2)}" y="${baseline + 20}" text-anchor="middle">${e(input.monthLabel(m.month))}</text></g>`);
    return parts.join('');
  });

  const budget: string[] = [];
  if (input.budgetOre !== null) {
    const at = y(input.budgetOre);
    budget.push(`<line class="chart-budget" x1="${left}" y1="${at}" x2="${width - right}" y2="${at}"/>`);
    budget.push(`<text class="chart-budget-label" x="${width - right}" y="${at - 6}" text-anchor="end">${e(input.budgetLabel(input.budgetOre))}</text>`);
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${idPrefix}-title" aria-describedby="${idPrefix}-desc">`,
    `<title id="${idPrefix}-title">${e(input.title)}</title>`,
    `<desc id="${idPrefix}-desc">${e(input.description)}</desc>`,
    ...grid,
    `<line class="chart-axis" x1="${left}" y1="${baseline}" x2="${width - right}" y2="${baseline}"/>`,
    ...bars,
    ...budget,
    '</svg>',
  ].join('');
}
