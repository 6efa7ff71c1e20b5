import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentLanguage } from './grant-agreement.document';
import { heading, letterhead, paragraph, simpleTable, type DocumentSender } from './layout-helpers';
import { renderPdf, type DocumentLayout } from './pdf-renderer';

export interface RefundClaimTexts {
  title: string;
  draft: string;
  period: string;
  submitted: string;
  notSubmitted: string;
  linesHeading: string;
  framesHeading: string;
  category: Record<'inside_frame' | 'outside_frame' | 'none', string>;
  columns: Record<'year' | 'category' | 'rate' | 'accountCode' | 'expenses' | 'refund' | 'cappedOff' | 'claimed', string>;
  frameColumns: Record<'year' | 'frame' | 'before' | 'left' | 'claimed' | 'leftAfter', string>;
  noFrame: string;
  totals: string;
  noAccountCode: string;
  footer: string;
  pageNumber: string;
}

/** Everything the claim shows, formatted. */
export interface RefundClaimView {
  lang: DocumentLanguage;
  texts: RefundClaimTexts;
  /** The municipality that claims, as on its other letters. */
  sender: DocumentSender;
  from: string;
  to: string;
  draft: boolean;
  submittedAt: string | null;
  lines: string[][];
  totals: string[];
  frames: string[][];
}

export function loadRefundClaimTexts(lang: DocumentLanguage, templatesDir: string): RefundClaimTexts {
  return JSON.parse(readFileSync(join(templatesDir, 'documents', `refund-claim.${lang}.json`), 'utf8')) as RefundClaimTexts;
}

const fill = (template: string, params: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole);

export function refundClaimLayout(view: RefundClaimView): DocumentLayout {
  const { texts } = view;
  return (doc) => {
    // The letterhead of the portal's other letters: the sender, and the claim's period and state.
    letterhead(doc, view.sender, [
      [texts.period, `${view.from} – ${view.to}`],
      [texts.submitted, view.submittedAt ?? texts.notSubmitted],
    ]);
    heading(doc, texts.title, 1);
    if (view.draft) paragraph(doc, texts.draft);
    heading(doc, texts.linesHeading, 2);
    const c = texts.columns;
    simpleTable(
      doc,
      [
        { header: c.year, width: 36 },
        { header: c.category, width: 82 },
        { header: c.rate, width: 34, align: 'right' },
        { header: c.accountCode, width: 86 },
        { header: c.expenses, width: 72, align: 'right' },
        { header: c.cappedOff, width: 62, align: 'right' },
        { header: c.claimed, width: 111, align: 'right' },
      ],
      [...view.lines, view.totals],
    );
    if (view.frames.length > 0) {
      heading(doc, texts.framesHeading, 2);
      const f = texts.frameColumns;
      simpleTable(
        doc,
        [
          { header: f.year, width: 40 },
          { header: f.frame, width: 90, align: 'right' },
          { header: f.before, width: 80, align: 'right' },
          { header: f.left, width: 88, align: 'right' },
          { header: f.claimed, width: 90, align: 'right' },
          { header: f.leftAfter, width: 95, align: 'right' },
        ],
        view.frames,
      );
    }
  };
}

export function renderRefundClaim(view: RefundClaimView, options: { createdAt?: Date } = {}): Promise<Buffer> {
  return renderPdf(refundClaimLayout(view), {
    title: `${view.texts.title} ${view.from} – ${view.to}`,
    author: view.sender.jobCentre,
    subject: view.texts.title,
    lang: view.lang === 'da' ? 'da-DK' : 'en-GB',
    footerText: fill(view.texts.footer, { from: view.from, to: view.to }),
    pageNumberText: (page, pages) => fill(view.texts.pageNumber, { page: String(page), pages: String(pages) }),
    createdAt: options.createdAt,
  });
}
