import type { RefundClaimDto } from './refund-claims.service';
import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { formatKroner, parseKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import { formatTimestamp } from '../common/web/finance-view';
import { CommonErrorCode } from '../common/errors/common.errors';
import { RefundsErrorCode } from './refunds.errors';

/** View models of the refund-claim and budget pages: claims and their lines in kroner, the budget form. Pure. */

type Form = Record<string, unknown>;

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
  if (text('budget') === '') problems.push({ field: 'budget', rule: CommonErrorCode.Required, message: 'the budget is missing' });
  else if (budgetOre === null) problems.push({ field: 'budget', rule: CommonErrorCode.Kroner, message: 'the budget must be kroner, e.g. 6.500.000 or 6500000,00' });
  const frameText = text('frame');
  const frameOre = frameText === '' ? null : parseKroner(frameText);
  if (frameText !== '' && frameOre === null) problems.push({ field: 'frame', rule: CommonErrorCode.Kroner, message: 'the frame must be kroner, e.g. 2.249.000, or empty' });
  if (problems.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', problems);
  const note = text('note');
  return { budgetOre, frameOre, ...(note === '' ? {} : { note }) };
}

/** A year in the path of the budget form: four digits from 2000 to 2100. */
export function budgetYearOf(value: string): number {
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!(year >= 2000 && year <= 2100)) {
    throw DomainException.rule('The year is out of range', [{ field: 'year', rule: RefundsErrorCode.YearRange, message: `the year must be from 2000 to 2100, got ${value}`, values: { year: value } }]);
  }
  return year;
}
