import type { Role } from '../common/actor';
import { formatTimestamp } from '../common/web/finance-view';
import type { InvoiceThreadDto } from './invoice-disputes.service';
import { canAnswer, isHoldable, RESOLUTIONS, type Resolution } from './invoice-hold.rules';
import type { FindingView } from './invoice-pages.view';

/**
 * The view model of the hold and dispute section of an invoice page, for either side. Pure: what each side may
 * do follows from the invoice's state, the line's answer and the user's role (finance acts, admin reads).
 */

/** A line as the invoice page shows it: its number and its findings in the page's language. */
export interface ThreadLineInput {
  lineNo: number;
  findings: FindingView[];
}

/** Values and field errors a thread form is shown again with after a refusal. */
export interface ThreadFormState {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string[]>;
}

export function threadView(thread: InvoiceThreadDto, invoice: { id: string; status: string; source: string; lines: ThreadLineInput[] }, role: Role | undefined) {
  const supplier = role === 'supplier';
  const finance = role === 'finance';
  const base = supplier ? `/supplier/invoices/${invoice.id}` : `/finance/invoices/${invoice.id}`;
  const answers = new Map(thread.lines.map((line) => [line.lineNo, line]));
  const status = invoice.status as Parameters<typeof canAnswer>[0];
  const lines = invoice.lines
    .map((line) => ({ ...line, findings: line.findings.filter((f) => f.severity !== 'info') }))
    .filter((line) => line.findings.length > 0 || answers.has(line.lineNo))
    .map((line) => {
      const answer = answers.get(line.lineNo);
      const state = answer?.status ?? 'open';
      return {
        lineNo: line.lineNo,
        findings: line.findings,
        state,
        resolution: answer?.resolution ?? null,
        canAnswer: supplier && state === 'open' && canAnswer(status),
        canReply: finance && state === 'disputed',
        canResolve: finance && state === 'disputed',
        answerAction: `/supplier/invoices/${invoice.id}/lines/${line.lineNo}/answer`,
        replyAction: `/finance/invoices/${invoice.id}/lines/${line.lineNo}/reply`,
        resolveAction: `/finance/invoices/${invoice.id}/lines/${line.lineNo}/resolve`,
        resolutions: RESOLUTIONS.map((value) => ({ value, id: `res-${line.lineNo}-${value}` })),
      };
    });
  const resolutionOf = (lineNo: number | null): Resolution | null => (lineNo === null ? null : (answers.get(lineNo)?.resolution ?? null));
  return {
    invoiceId: invoice.id,
    base,
    hold: thread.hold ? { reason: thread.hold.reason, releaseOn: thread.hold.releaseOn, heldAt: formatTimestamp(thread.hold.heldAt) } : null,
    canHold: finance && isHoldable(status),
    canRelease: finance && invoice.status === 'held' && thread.hold !== null,
    lines,
    entries: thread.entries.map((entry) => {
      // A resolution given without a comment is stored as its code; the page tells it in words.
      const coded = entry.comment !== null && /^resolution:\w+$/.test(entry.comment);
      return {
        lineNo: entry.lineNo,
        kind: entry.kind,
        side: entry.side,
        createdAt: formatTimestamp(entry.createdAt),
        comment: coded ? null : entry.comment,
        resolution: entry.kind === 'resolved' ? (coded ? (entry.comment as string).slice('resolution:'.length) : resolutionOf(entry.lineNo)) : null,
      };
    }),
    response:
      invoice.source === 'ubl' && thread.response
        ? {
            code: thread.response.responseCode,
            createdAt: formatTimestamp(thread.response.createdAt),
            peppolHref: `/api/v1/invoices/${invoice.id}/response.xml?format=peppol`,
            oioublHref: `/api/v1/invoices/${invoice.id}/response.xml?format=oioubl`,
          }
        : null,
    eInvoice: invoice.source === 'ubl',
  };
}

export type ThreadView = ReturnType<typeof threadView>;
