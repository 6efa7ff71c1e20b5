import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MENTOR_TYPES, type MentorType } from '../rules/rule-set';
import type { DocumentLanguage } from './grant-agreement.document';
import { BODY_SIZE, ensureSpace, heading, labelValue, paragraph, section, simpleTable, tagged } from './layout-helpers';
import { type DocumentLayout, FONTS, MUTED_COLOUR, RULE_COLOUR, TEXT_COLOUR, asArtifact, renderPdf, structureRoot } from './pdf-renderer';

const TEXT_KEYS = ['title', 'draft', 'draftNotice', 'intro', 'selfBilling', 'internal', 'internalNotice', 'payment', 'noLines', 'annexIntro', 'annexEarlier', 'dateFormat', 'footer', 'pageNumber'] as const;
const LABEL_KEYS = [
  'number', 'issued', 'due', 'supplier', 'cvr', 'month', 'grantReference', 'date', 'source', 'credit', 'selfBilled', 'minutes', 'amount',
  'subtotal', 'continued', 'sessions', 'hours', 'week', 'earlier', 'accountCode', 'noAccountCode', 'net', 'vat', 'total', 'totalHours',
] as const;
// The annex's heading, introduction and table header, and one row of it, in points (for keeping it together).
const ANNEX_HEAD_HEIGHT = 110;
const ANNEX_ROW_HEIGHT = 16;
const HEADING_KEYS = ['summary', 'lines', 'accounts', 'annex'] as const;

/** The fixed texts of a statement, from templates/documents/statement.<lang>.json. */
export type StatementTexts = Record<(typeof TEXT_KEYS)[number], string> & {
  labels: Record<(typeof LABEL_KEYS)[number], string>;
  headings: Record<(typeof HEADING_KEYS)[number], string>;
  mentorTypes: Record<MentorType, string>;
  /** January to December. */
  months: string[];
};

export interface StatementViewLine {
  date: string;
  /** The invoice number, a credit's reference, or the words for registered hours. */
  source: string;
  minutes: string;
  amount: string;
}

export interface StatementViewGroup {
  grantReference: string;
  mentorType: string;
  accountCode: string;
  lines: StatementViewLine[];
  minutes: string;
  amount: string;
}

export interface StatementViewAnnexRow {
  grantReference: string;
  sessions: string;
  /** Hours in each of the annex's week columns, '' for a week without sessions. */
  weekHours: string[];
  hours: string;
  amount: string;
}

/** Everything a statement shows, already formatted for display. No citizen data: grants appear by reference only. */
export interface StatementView {
  /** null: a draft, shown as such. */
  number: string | null;
  issuer: { name: string; jobCentre: string; address: string; contact: string };
  supplier: { name: string; cvr: string };
  /** e.g. 'marts 2026' */
  month: string;
  issuedDate: string;
  dueDate: string;
  selfBilled: boolean;
  /** An internal supplier's statement: labelled an internal settlement, without VAT and not an e-invoice. */
  internal?: boolean;
  groups: StatementViewGroup[];
  /** The annex's week columns, e.g. 'Uge\n10' … 'Uge\n14', after 'Før' when credits reach back. */
  annexWeeks: string[];
  annex: StatementViewAnnexRow[];
  net: string;
  /** One row per VAT rate: the rate ('25'), the net it is charged on, and the VAT. */
  vat: Array<{ rate: string; net: string; amount: string }>;
  total: string;
  hours: string;
  accounts: Array<{ code: string; amount: string }>;
  lang: DocumentLanguage;
  texts: StatementTexts;
}

/** Reads and checks a statement's texts for one language. */
export function loadStatementTexts(lang: DocumentLanguage, templatesDir: string): StatementTexts {
  const file = join(templatesDir, 'documents', `statement.${lang}.json`);
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const record = isRecord(raw) ? raw : {};
  const months = record.months;
  const missing = [
    ...missingKeys(raw, TEXT_KEYS, ''),
    ...missingKeys(record.labels, LABEL_KEYS, 'labels.'),
    ...missingKeys(record.headings, HEADING_KEYS, 'headings.'),
    ...missingKeys(record.mentorTypes, MENTOR_TYPES, 'mentorTypes.'),
    ...(Array.isArray(months) && months.length === 12 && months.every((m) => typeof m === 'string' && m.trim() !== '') ? [] : ['months (12 names)']),
  ];
  if (missing.length > 0) throw new Error(`${file}: missing or empty texts: ${missing.join(', ')}`);
  return raw as StatementTexts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missingKeys(value: unknown, keys: readonly string[], prefix: string): string[] {
  return keys.filter((key) => !isRecord(value) || typeof value[key] !== 'string' || value[key].trim() === '').map((key) => prefix + key);
}

/** Replaces each `{name}` of a text with its value. */
export function fillText(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

type Doc = PDFKit.PDFDocument;
type Parent = PDFKit.PDFStructureElement | undefined;

const LINES_SIZE = BODY_SIZE - 1;
const ANNEX_SIZE = BODY_SIZE - 2;
const PAD_X = 5;
const PAD_Y = 4;
const HEADER_FILL = '#eef1f4';
const BANNER_FILL = '#f6f7f9';
const HEADER_RULE = '#8a9099';

interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
}

const contentLeft = (doc: Doc): number => doc.page.margins.left;
const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const contentBottom = (doc: Doc): number => doc.page.height - doc.page.margins.bottom;

function child(doc: Doc, parent: Parent, type: string): Parent {
  if (!parent) return undefined;
  const element = doc.struct(type);
  parent.add(element);
  return element;
}

function under(doc: Doc, parent: Parent, type: string, draw: () => void): void {
  if (parent) parent.add(doc.struct(type, {}, draw));
  else draw();
}

// Cuts a one-line cell to its width with an ellipsis; amounts and dates always fit, so this is rare.
function fitted(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let cut = text;
  while (cut.length > 0 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

interface RowTable {
  readonly rowHeight: number;
  /** The column headers; a repeated one (on a continued page) is an artifact, read once. */
  header(repeated: boolean): void;
  row(cells: string[], font?: string, ruleColour?: string): void;
  /** A full-width row naming what follows, e.g. a grant. */
  banner(text: string, repeated: boolean): void;
  /** Whether `rows` more rows fit on the page. */
  fits(rows: number): boolean;
  end(): void;
}

/**
 * A tagged table of one-line rows of fixed height. Unlike simpleTable it measures only its header,
 * never a body cell, so a statement of hundreds of lines stays fast; a cell too wide is cut with an
 * ellipsis. Only the header may wrap.
 */
function rowTable(doc: Doc, columns: Column[], size: number): RowTable {
  const x0 = contentLeft(doc);
  const xs = columns.map((_, index) => x0 + columns.slice(0, index).reduce((total, column) => total + column.width, 0));
  const x1 = x0 + columns.reduce((total, column) => total + column.width, 0);
  const rowHeight = size + 2 * PAD_Y - 1;
  doc.font(FONTS.bold).fontSize(size);
  const headerHeight = Math.max(...columns.map((column) => doc.heightOfString(column.header, { width: column.width - 2 * PAD_X }))) + 2 * PAD_Y;
  const table = child(doc, structureRoot(doc), 'Table');

  const rule = (y: number, colour: string): void =>
    asArtifact(doc, 'Layout', () => {
      doc.save().moveTo(x0, y).lineTo(x1, y).lineWidth(0.5).strokeColor(colour).stroke().restore();
    });
  const shade = (y: number, height: number, colour: string): void =>
    asArtifact(doc, 'Layout', () => {
      doc.save().rect(x0, y, x1 - x0, height).fillColor(colour).fill().restore();
    });
  const cell = (text: string, index: number, y: number): void => {
    const column = columns[index];
    const shown = fitted(doc, text, column.width - 2 * PAD_X);
    const x = column.align === 'right' ? xs[index] + column.width - PAD_X - doc.widthOfString(shown) : xs[index] + PAD_X;
    doc.text(shown, x, y + PAD_Y, { lineBreak: false });
  };
  const cells = (parent: Parent, type: 'TH' | 'TD', texts: string[], font: string, y: number, draw: (text: string, index: number) => void): void => {
    const tr = child(doc, parent, 'TR');
    texts.forEach((text, index) =>
      under(doc, tr, type, () => {
        doc.font(font).fontSize(size).fillColor(TEXT_COLOUR);
        draw(text, index);
      }),
    );
    tr?.end();
    doc.y = y;
  };

  return {
    rowHeight,
    header(repeated) {
      const y = doc.y;
      shade(y, headerHeight, HEADER_FILL);
      const headers = columns.map((column) => column.header);
      const draw = (parent: Parent): void =>
        cells(parent, 'TH', headers, FONTS.bold, y, (text, index) =>
          doc.text(text, xs[index] + PAD_X, y + PAD_Y, { width: columns[index].width - 2 * PAD_X, align: columns[index].align, lineGap: 0 }),
        );
      if (repeated) asArtifact(doc, 'Pagination', () => draw(undefined));
      else draw(table);
      rule(y + headerHeight, HEADER_RULE);
      doc.y = y + headerHeight;
    },
    row(texts, font = FONTS.body, ruleColour = RULE_COLOUR) {
      const y = doc.y;
      cells(table, 'TD', texts, font, y, (text, index) => cell(text, index, y));
      doc.y = y + rowHeight;
      rule(doc.y, ruleColour);
    },
    banner(text, repeated) {
      const y = doc.y;
      shade(y, rowHeight, BANNER_FILL);
      const draw = (parent: Parent): void =>
        cells(parent, 'TH', [text], FONTS.bold, y, (shown) => doc.text(fitted(doc, shown, x1 - x0 - 2 * PAD_X), x0 + PAD_X, y + PAD_Y, { lineBreak: false }));
      if (repeated) asArtifact(doc, 'Pagination', () => draw(undefined));
      else draw(table);
      doc.y = y + rowHeight;
    },
    fits(rows) {
      return doc.y + rows * rowHeight <= contentBottom(doc);
    },
    end() {
      table?.end();
      doc.fillColor(TEXT_COLOUR);
      doc.x = x0;
      doc.y += 10;
    },
  };
}

/**
 * The lines by grant: each grant opened by a row naming it and closed by its subtotal. A page break
 * repeats the column headers and the grant's row (as artifacts).
 */
function groupedLines(doc: Doc, view: StatementView): void {
  const { labels } = view.texts;
  const table = rowTable(
    doc,
    [
      { header: labels.date, width: 82, align: 'left' },
      { header: labels.source, width: 171, align: 'left' },
      { header: labels.minutes, width: 80, align: 'right' },
      { header: labels.amount, width: contentWidth(doc) - 333, align: 'right' },
    ],
    LINES_SIZE,
  );
  const bannerOf = (group: StatementViewGroup): string => [group.grantReference, group.mentorType, `${labels.accountCode} ${group.accountCode}`].join('  ·  ');
  const room = (group: StatementViewGroup): void => {
    if (table.fits(1)) return;
    doc.continueOnNewPage();
    table.header(true);
    table.banner(`${bannerOf(group)} (${labels.continued})`, true);
  };

  // Never a header alone at the foot of a page.
  ensureSpace(doc, 4 * table.rowHeight);
  table.header(false);
  for (const group of view.groups) {
    // A grant starts with its own row and at least one line on the same page.
    if (!table.fits(2)) {
      doc.continueOnNewPage();
      table.header(true);
    }
    table.banner(bannerOf(group), false);
    for (const line of group.lines) {
      room(group);
      table.row([line.date, line.source, line.minutes, line.amount]);
    }
    room(group);
    table.row([labels.subtotal, '', group.minutes, group.amount], FONTS.bold, HEADER_RULE);
  }
  table.end();
}

// One row per grant, one column per week: the hours a citizen got each week, at a glance.
function hoursAnnex(doc: Doc, view: StatementView): void {
  const { labels } = view.texts;
  const fixed: Column[] = [
    { header: labels.grantReference, width: 79, align: 'left' },
    { header: labels.sessions, width: 55, align: 'right' },
  ];
  const totals: Column[] = [
    { header: labels.hours, width: 37, align: 'right' },
    { header: labels.amount, width: 64, align: 'right' },
  ];
  const used = [...fixed, ...totals].reduce((total, column) => total + column.width, 0);
  const weekWidth = Math.floor((contentWidth(doc) - used) / Math.max(1, view.annexWeeks.length));
  const weeks = view.annexWeeks.map((header): Column => ({ header, width: weekWidth, align: 'right' }));
  const table = rowTable(doc, [...fixed, ...weeks, ...totals], ANNEX_SIZE);

  ensureSpace(doc, 4 * table.rowHeight);
  table.header(false);
  for (const row of view.annex) {
    if (!table.fits(1)) {
      doc.continueOnNewPage();
      table.header(true);
    }
    table.row([row.grantReference, row.sessions, ...row.weekHours, row.hours, row.amount]);
  }
  table.end();
}

/** A statement as a pure layout over its view model. */
export function statementLayout(view: StatementView): DocumentLayout {
  const { texts } = view;
  const { labels, headings } = texts;
  const kind = view.internal ? `${texts.internal} · ${texts.title}` : texts.title;
  const title = view.number === null ? `${kind} · ${texts.draft}` : `${kind} ${view.number}`;

  return (doc) => {
    letterhead(doc, view);
    heading(doc, title, 1);
    if (view.number === null) paragraph(doc, texts.draftNotice, { muted: true });
    labelValue(doc, [
      [labels.supplier, `${view.supplier.name}\n${labels.cvr} ${view.supplier.cvr}`],
      [labels.month, view.month],
    ]);
    paragraph(doc, fillText(texts.intro, { month: view.month }));
    if (view.selfBilled) paragraph(doc, texts.selfBilling);
    if (view.internal) paragraph(doc, texts.internalNotice);

    section(doc, headings.summary, () => {
      const rows: Array<[string, string]> = [
        [labels.net, view.net],
        // An internal settlement carries no VAT: no VAT rows.
        ...(view.internal ? [] : view.vat.map(({ rate, net, amount }): [string, string] => [fillText(labels.vat, { rate, net }), amount])),
        [labels.total, view.total],
        [labels.totalHours, view.hours],
      ];
      labelValue(doc, rows, 230);
      paragraph(doc, fillText(texts.payment, { dueDate: view.dueDate }));
    });

    section(doc, headings.lines, () => (view.groups.length === 0 ? paragraph(doc, texts.noLines) : groupedLines(doc, view)));

    if (view.accounts.length > 0) {
      section(doc, headings.accounts, () =>
        simpleTable(
          doc,
          [
            { header: labels.accountCode, width: 300 },
            { header: labels.amount, width: 183, align: 'right' },
          ],
          view.accounts.map((account) => [account.code, account.amount]),
        ),
      );
    }

    if (view.annex.length > 0) {
      // The annex goes on with the statement when it fits on the page; a new page only when it does not (a page
      // with a line or two of the statement and nothing else was left behind before).
      ensureSpace(doc, ANNEX_HEAD_HEIGHT + view.annex.length * ANNEX_ROW_HEIGHT);
      heading(doc, headings.annex, 2);
      // The sentence about the 'Før' column only when the annex has that column.
      const earlier = view.annexWeeks[0] === labels.earlier;
      paragraph(doc, earlier ? `${texts.annexIntro} ${texts.annexEarlier}` : texts.annexIntro, { muted: true });
      hoursAnnex(doc, view);
    }
  };
}

// The issuer on the left; the statement's number and dates on the right; a rule beneath.
function letterhead(doc: Doc, view: StatementView): void {
  const { labels } = view.texts;
  const left = contentLeft(doc);
  const width = contentWidth(doc);
  const top = doc.page.margins.top;
  const rightWidth = 215;
  const labelWidth = 92;
  const rightX = left + width - rightWidth;
  const senderWidth = width - rightWidth - 20;

  tagged(doc, 'P', () => {
    doc.font(FONTS.bold).fontSize(13).fillColor(TEXT_COLOUR).text(view.issuer.name, left, top, { width: senderWidth });
    doc.font(FONTS.body).fontSize(BODY_SIZE - 1).fillColor(MUTED_COLOUR);
    doc.text([view.issuer.jobCentre, view.issuer.address, view.issuer.contact].join('\n'), left, doc.y + 3, { width: senderWidth, lineGap: 2 });
  });
  const senderBottom = doc.y;

  const refs: Array<[string, string]> = [
    [labels.number, view.number ?? view.texts.draft],
    [labels.issued, view.issuedDate],
    [labels.due, view.dueDate],
  ];
  let y = top + 2;
  for (const [label, value] of refs) {
    tagged(doc, 'P', () => {
      doc.font(FONTS.body).fontSize(BODY_SIZE - 1.5).fillColor(MUTED_COLOUR).text(label, rightX, y + 0.5, { width: labelWidth });
      doc.font(FONTS.bold).fontSize(BODY_SIZE - 1).fillColor(TEXT_COLOUR).text(value, rightX + labelWidth, y, { width: rightWidth - labelWidth, align: 'right' });
    });
    y = doc.y + 4;
  }

  const ruleY = Math.max(senderBottom, y) + 14;
  asArtifact(doc, 'Layout', () => {
    doc.save().moveTo(left, ruleY).lineTo(left + width, ruleY).lineWidth(0.75).strokeColor(RULE_COLOUR).stroke().restore();
  });
  doc.fillColor(TEXT_COLOUR);
  doc.x = left;
  doc.y = ruleY + 26;
}

/** Renders a statement; `createdAt` fixes the PDF's creation date (stored documents, tests). */
export async function renderStatement(view: StatementView, options: { createdAt?: Date } = {}): Promise<Buffer> {
  const { texts } = view;
  const number = view.number ?? texts.draft;
  return renderPdf(statementLayout(view), {
    // The supplier's name stays out of the metadata, which may not hold '&'.
    title: `${view.internal ? `${texts.internal} · ` : ''}${texts.title} ${number}`,
    author: view.issuer.jobCentre,
    subject: `${texts.title} ${view.month}`,
    lang: view.lang === 'da' ? 'da-DK' : 'en-GB',
    footerText: fillText(texts.footer, { number, month: view.month }),
    pageNumberText: (page, pages) => fillText(texts.pageNumber, { page: String(page), pages: String(pages) }),
    createdAt: options.createdAt,
  });
}
