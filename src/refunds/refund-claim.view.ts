import { formatKroner } from '../common/web/format';
import { MUNICIPALITY } from '../grants/grant-agreement.view';
import type { DocumentLanguage } from '../documents/grant-agreement.document';
import type { RefundClaimTexts, RefundClaimView } from '../documents/refund-claim.document';
import type { RefundClaim } from './refund.rules';

/** The claim's view model: every number formatted in the document's language. */
export function refundClaimView(claim: RefundClaim, status: { draft: boolean; submittedAt: string | null }, texts: RefundClaimTexts, lang: DocumentLanguage): RefundClaimView {
  const kr = (ore: number): string => formatKroner(ore, lang);
  return {
    lang,
    texts,
    sender: { ...MUNICIPALITY },
    from: claim.from,
    to: claim.to,
    draft: status.draft,
    submittedAt: status.submittedAt,
    lines: claim.lines.map((line) => [
      String(line.year),
      texts.category[line.category],
      `${line.ratePercent} %`,
      line.accountCode ?? texts.noAccountCode,
      kr(line.expenseOre),
      kr(line.cappedOffOre),
      kr(line.claimedOre),
    ]),
    totals: [texts.totals, '', '', '', kr(claim.totals.expenseOre), kr(claim.totals.cappedOffOre), kr(claim.totals.claimedOre)],
    frames: claim.frames.map((frame) => [
      String(frame.year),
      frame.frameOre === null ? texts.noFrame : kr(frame.frameOre),
      kr(frame.claimedBeforeOre),
      frame.leftBeforeOre === null ? texts.noFrame : kr(frame.leftBeforeOre),
      kr(frame.claimedOre),
      frame.leftAfterOre === null ? texts.noFrame : kr(frame.leftAfterOre),
    ]),
  };
}
