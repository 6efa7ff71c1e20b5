import { axisStep, budgetChartSvg, CHART, escapeXml, niceStep, runningTotals, scaled, type BudgetChartInput } from './budget-chart';

const months = (spent: number[], committed: number[] = []) => spent.map((spentOre, i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, spentOre, committedOre: committed[i] ?? 0 }));

function input(overrides: Partial<BudgetChartInput> = {}): BudgetChartInput {
  return {
    months: months([100_000, 200_000, 0]),
    budgetOre: 1_000_000,
    title: 'Forbrug mod budget 2026',
    description: 'Løbende totaler',
    monthLabel: (month) => `m${Number(month.slice(5))}`,
    money: (ore) => `${ore / 100} kr.`,
    barTitle: (month, spent, forecast) => `${month}: ${spent}/${forecast}`,
    budgetLabel: (ore) => `Budget ${ore / 100} kr.`,
    ...overrides,
  };
}

describe('budget chart', () => {
  it('picks 1, 2, 2.5 or 5 × 10^k whole kroner as the step', () => {
    expect(niceStep(1)).toBe(100);
    expect(niceStep(100)).toBe(100);
    expect(niceStep(101)).toBe(200);
    expect(niceStep(201)).toBe(250);
    expect(niceStep(251)).toBe(500);
    expect(niceStep(501)).toBe(1_000);
    expect(niceStep(23_000_000)).toBe(25_000_000);
    expect(niceStep(25_000_001)).toBe(50_000_000);
  });

  it('covers the largest value with four steps, and draws a 1,000 kr. step when everything is zero', () => {
    expect(axisStep(1_000_000)).toBe(250_000);
    expect(axisStep(1_000_001)).toBe(500_000);
    expect(axisStep(650_000_000)).toBe(200_000_000);
    expect(axisStep(0)).toBe(100_000);
    expect(axisStep(-5)).toBe(100_000);
  });

  it('scales to whole units, rounding half up, and never below the axis', () => {
    expect(scaled(500_000, 1_000_000, 256)).toBe(128);
    expect(scaled(1, 1_000_000, 256)).toBe(0);
    // 256 × 1953 / 1,000,000 = 0.4999… → 0; 1954 → 0.5002… → 1.
    expect(scaled(1_953, 1_000_000, 256)).toBe(0);
    expect(scaled(1_954, 1_000_000, 256)).toBe(1);
    expect(scaled(-40_000, 1_000_000, 256)).toBe(0);
    // The largest budget the API takes (1,000,000,000 kr.) stays exact.
    expect(scaled(100_000_000_000, 100_000_000_000, 256)).toBe(256);
  });

  it('keeps running totals of spent and of spent plus committed, credits included', () => {
    expect(runningTotals(months([100, -30, 50], [0, 20, 40]))).toEqual([
      { month: '2026-01', spentOre: 100, forecastOre: 100 },
      { month: '2026-02', spentOre: 70, forecastOre: 90 },
      { month: '2026-03', spentOre: 120, forecastOre: 180 },
    ]);
  });

  it('escapes text for XML', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  it('draws bars of the running totals against the budget line, with an accessible name and description', () => {
    const svg = budgetChartSvg(input({ months: months([100_000, 200_000, 0], [0, 0, 300_000]) }));
    const plotHeight = CHART.height - CHART.top - CHART.bottom; // 240
    const baseline = CHART.top + plotHeight; // 264
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" viewBox="0 0 560 300" role="img" aria-labelledby="budget-chart-title" aria-describedby="budget-chart-desc">')).toBe(true);
    expect(svg).toContain('<title id="budget-chart-title">Forbrug mod budget 2026</title><desc id="budget-chart-desc">Løbende totaler</desc>');
    // Axis 0–1,000,000 øre in steps of 250,000: gridlines every 60 units.
    for (const [i, y] of [264, 204, 144, 84, 24].entries()) expect(svg).toContain(`<line class="chart-grid" x1="116" y1="${y}" x2="544" y2="${y}"/><text class="chart-tick" x="108" y="${y + 5}" text-anchor="end">${(i * 250_000) / 100} kr.</text>`);
    // Slots of 142 units (428 / 3, rounded down); a 24-unit bar at +59.
    // January: 100,000 of 1,000,000 → 24 units tall.
    expect(svg).toContain(`<g><title>2026-01: 100000/100000</title><rect class="chart-spent" x="175" y="${baseline - 24}" width="24" height="24"/><text class="chart-month" x="187" y="284" text-anchor="middle">m1</text></g>`);
    // February: 300,000 so far → 72.
    expect(svg).toContain(`<rect class="chart-spent" x="317" y="${baseline - 72}" width="24" height="72"/>`);
    // March: 300,000 spent and 300,000 committed → forecast 600,000 → 144; the committed part sits on top.
    expect(svg).toContain(`<rect class="chart-committed" x="459" y="${baseline - 144}" width="24" height="72"/><rect class="chart-spent" x="459" y="${baseline - 72}" width="24" height="72"/>`);
    // One month fills the plot's width (428 units, the bar centred at +202); 105,000 → 25.2 → 25 units.
    expect(budgetChartSvg(input({ months: months([105_000]) }))).toContain(`<rect class="chart-spent" x="318" y="${baseline - 25}" width="24" height="25"/>`);
    expect(svg).toContain('<line class="chart-budget" x1="116" y1="24" x2="544" y2="24"/><text class="chart-budget-label" x="544" y="18" text-anchor="end">Budget 10000 kr.</text>');
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('draws no bar for a month with nothing so far, and no budget line without a budget', () => {
    const svg = budgetChartSvg(input({ months: months([0, 0]), budgetOre: null }));
    expect(svg).not.toContain('<rect');
    expect(svg).not.toContain('chart-budget');
    expect(svg.match(/class="chart-month"/g)).toHaveLength(2);
    // The empty axis still reads 0–4,000 kr.
    expect(svg).toContain('>4000 kr.</text>');
  });

  it('escapes the texts it is given', () => {
    const svg = budgetChartSvg(input({ title: 'A & B <script>', monthLabel: () => '"m"' }));
    expect(svg).toContain('<title id="budget-chart-title">A &amp; B &lt;script&gt;</title>');
    expect(svg).toContain('>&quot;m&quot;</text>');
    expect(svg).not.toContain('<script>');
  });
});
