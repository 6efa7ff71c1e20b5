import type { BillingRunDto } from './billing-runs.service';
import type { StatementSummaryDto } from './statements.service';
import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import type { ErrorBody } from '../common/errors/http-exception.filter';
import type { CalendarMonth } from '../common/time/calendar-date';
import { formatKroner, formatMinutes, parseKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import type { RefundClaimDto } from '../refunds/refund-claims.service';
import type { BudgetReport } from '../reports/budget.rules';
import type { SpendReport } from '../reports/spend.rules';
import type { SupplierPerformanceReport } from '../reports/supplier-performance.rules';

/**
 * View models of the month-close and report pages: øre in kroner, minutes in hours, the reports' one- and
 * two-decimal ratios in the page's language, and errors with their texts from the finance catalogue. Pure.
 */

export type Translate = (key: string, params?: Record<string, unknown>) => string;
type Form = Record<string, unknown>;

// ---- numbers ----

/** A ratio the reports round to `decimals` places (a percent, findings per invoice), with the language's decimal mark. */
export function formatDecimal(value: number, decimals: number, lang: Language): string {
  const text = value.toFixed(decimals);
  return lang === 'da' ? text.replace('.', ',') : text;
}

/** '87,5 %' (da) or '87.5 %' (en); '–' when there is nothing to compare with. */
export function formatPercent(value: number | null, lang: Language): string {
  return value === null ? '–' : `${formatDecimal(value, 1, lang)} %`;
}

/** Minutes as hours with up to two decimals, rounded half up: 90 → '1,5', 20 → '0,33'. */
export function formatHours(minutes: number, lang: Language): string {
  return formatMinutes(minutes, { as: 'hours', language: lang });
}

/** An instant as 'YYYY-MM-DD HH:MM' in Copenhagen time; '–' for none. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '–';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

// ---- billing runs and statements ----

const PENDING_RUN = new Set<BillingRunDto['status']>(['queued', 'running']);

export function billingRunView(run: BillingRunDto) {
  return {
    ...run,
    pending: PENDING_RUN.has(run.status),
    created: formatTimestamp(run.createdAt),
    started: formatTimestamp(run.startedAt),
    finished: formatTimestamp(run.finishedAt),
  };
}

export function statementViews(statements: StatementSummaryDto[], lang: Language) {
  const kr = (ore: number) => formatKroner(ore, lang);
  return statements.map((statement) => ({
    id: statement.id,
    supplierName: statement.supplierName,
    month: statement.month,
    status: statement.status,
    number: statement.number,
    selfBilled: statement.selfBilled,
    issuedOn: statement.issuedOn,
    dueOn: statement.dueOn,
    hours: formatHours(statement.minutes, lang),
    net: kr(statement.netOre),
    vat: kr(statement.vatOre),
    total: kr(statement.totalOre),
  }));
}

// ---- refund claims ----

export function refundClaimSummaryView(claim: RefundClaimDto, lang: Language) {
  return {
    id: claim.id,
    from: claim.from,
    to: claim.to,
    status: claim.status,
    expense: formatKroner(claim.expenseOre, lang),
    claimed: formatKroner(claim.claimedOre, lang),
    created: formatTimestamp(claim.createdAt),
    submitted: formatTimestamp(claim.submittedAt),
    error: claim.error,
  };
}

/** A computed claim's lines by year and refund category (one page of them), its totals and frames, in kroner. */
export function refundClaimDetailView(claim: RefundClaimDto, lang: Language) {
  const kr = (ore: number) => formatKroner(ore, lang);
  const content = claim.claim;
  const from = content === null ? 0 : content.offset;
  return {
    ...refundClaimSummaryView(claim, lang),
    computed: content !== null,
    linePage: content && content.lineCount > content.lines.length ? { first: from + 1, last: from + content.lines.length, count: content.lineCount, next: content.nextOffset, notFirst: from > 0 } : null,
    lines: (content?.lines ?? []).map((line) => ({
      year: line.year,
      category: line.category,
      rate: `${line.ratePercent} %`,
      accountCode: line.accountCode,
      expenses: line.expenses,
      expense: kr(line.expenseOre),
      refund: kr(line.refundOre),
      cappedOff: kr(line.cappedOffOre),
      capped: line.cappedOffOre !== 0,
      claimed: kr(line.claimedOre),
    })),
    totals: content && { expense: kr(content.totals.expenseOre), refund: kr(content.totals.refundOre), cappedOff: kr(content.totals.cappedOffOre), claimed: kr(content.totals.claimedOre) },
    frames: (content?.frames ?? []).map((frame) => ({
      year: frame.year,
      frame: frame.frameOre === null ? null : kr(frame.frameOre),
      claimedBefore: kr(frame.claimedBeforeOre),
      leftBefore: frame.leftBeforeOre === null ? null : kr(frame.leftBeforeOre),
      claimed: kr(frame.claimedOre),
      leftAfter: frame.leftAfterOre === null ? null : kr(frame.leftAfterOre),
    })),
  };
}

/** Kroner as typed ('650000', '650000,50') for the budget form; øre as whole numbers go back into the fields. */
export function kronerField(ore: number | null): string {
  return ore === null ? '' : formatKroner(ore, 'da', 'field');
}

/**
 * The budget form → the body of PUT /api/v1/budgets/:year: kroner become øre (never through floats); an
 * empty frame means none applies. A field that is not kroner is reported by name.
 */
export function budgetBodyFromForm(body: Form): { budgetOre: unknown; frameOre: unknown; note?: string } {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const problems: ErrorDetail[] = [];
  const budgetOre = parseKroner(text('budget'));
  if (text('budget') === '') problems.push({ field: 'budget', rule: 'required', message: 'the budget is missing' });
  else if (budgetOre === null) problems.push({ field: 'budget', rule: 'kroner', message: 'the budget must be kroner, e.g. 6.500.000 or 6500000,00' });
  const frameText = text('frame');
  const frameOre = frameText === '' ? null : parseKroner(frameText);
  if (frameText !== '' && frameOre === null) problems.push({ field: 'frame', rule: 'kroner', message: 'the frame must be kroner, e.g. 2.249.000, or empty' });
  if (problems.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', problems);
  const note = text('note');
  return { budgetOre, frameOre, ...(note === '' ? {} : { note }) };
}

/** A year in the path of the budget form: four digits from 2000 to 2100. */
export function budgetYearOf(value: string): number {
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!(year >= 2000 && year <= 2100)) {
    throw DomainException.rule('The year is out of range', [{ field: 'year', rule: 'year_range', message: `the year must be from 2000 to 2100, got ${value}`, values: { year: value } }]);
  }
  return year;
}

// ---- reports ----

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
  });
  return {
    measuredFrom: report.measuredFrom,
    measuredThrough: report.measuredThrough,
    total: figures(report.total),
    suppliers: report.suppliers.map((row) => ({ supplierName: row.supplierName, supplierKind: row.supplierKind, ...figures(row) })),
  };
}

// ---- errors ----

export type FinanceAction = 'billing' | 'statements' | 'claim' | 'submit' | 'budget' | 'report';

function fieldLabel(field: string | undefined, t: Translate): string | undefined {
  if (!field) return field;
  const key = `finance.field.${field}`;
  const text = t(key);
  return text === key ? field : text;
}

/**
 * The error shape with its texts in the page's language: the heading by what was tried, each detail by its
 * rule (øre shown in kroner, a status by its name), the service's own message where the catalogue has none.
 */
export function localizeFinanceError(body: ErrorBody, action: FinanceAction, t: Translate, lang: Language): ErrorBody {
  const details = body.details.map((detail) => {
    const values: Record<string, unknown> = { ...(detail.values ?? {}) };
    for (const [name, value] of Object.entries(detail.values ?? {})) {
      if (name.endsWith('Ore') && typeof value === 'number' && Number.isSafeInteger(value)) values[name.slice(0, -3)] = formatKroner(value, lang);
    }
    if (typeof values.status === 'string') values.status = t(`finance.claim_status.${values.status}`);
    // A refund claim's transition names both states by their names.
    if (detail.rule.startsWith('refund_claim_transition')) for (const name of ['from', 'to']) if (typeof values[name] === 'string') values[name] = t(`finance.claim_status.${values[name] as string}`);
    const key = `finance.rule.${detail.rule}`;
    const translated = t(key, values);
    return { ...detail, field: fieldLabel(detail.field, t), message: translated === key || /\{\w+\}/.test(translated) ? detail.message : translated };
  });
  return { ...body, message: t(`finance.error.${action}`), details };
}

/** Øre rounded half up to whole kroner, without decimals: '1.250.000 kr.' (da), 'DKK 1,250,000' (en); for chart axes. */
export function formatWholeKroner(ore: number, lang: Language): string {
  return formatKroner(ore, lang, 'whole');
}
