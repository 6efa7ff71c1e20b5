import { FONTS, MUTED_COLOUR, RULE_COLOUR, TEXT_COLOUR, asArtifact, structureRoot } from './pdf-renderer';

type Doc = PDFKit.PDFDocument;
type Parent = PDFKit.PDFStructureElement | undefined;

export interface TableColumn {
  header: string;
  /** Width in points, padding included. */
  width: number;
  align?: 'left' | 'right';
}

export const BODY_SIZE = 10;
const LINE_GAP = 2.5;
const HEADING_COLOUR = '#1f3a5f';
const HEADER_FILL = '#eef1f4';
const CELL_PAD_X = 5;
const CELL_PAD_Y = 4;

const left = (doc: Doc): number => doc.page.margins.left;
const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc): number => doc.page.height - doc.page.margins.bottom;

/** Starts a new page unless `height` points still fit below the cursor. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.continueOnNewPage();
}

// Draws as a tagged structure element under `parent` (when the document is tagged).
function tagUnder(doc: Doc, parent: Parent, type: string, draw: () => void): void {
  if (parent) parent.add(doc.struct(type, {}, draw));
  else draw();
}

/** Draws `draw` as one structure element ('P', 'H1' …) of the document's reading order. */
export function tagged(doc: Doc, type: string, draw: () => void): void {
  tagUnder(doc, structureRoot(doc), type, draw);
}

function group(doc: Doc, parent: Parent, type: string): Parent {
  if (!parent) return undefined;
  const element = doc.struct(type);
  parent.add(element);
  return element;
}

function rule(doc: Doc, y: number, colour = RULE_COLOUR, x0 = left(doc), x1 = left(doc) + contentWidth(doc)): void {
  asArtifact(doc, 'Layout', () => {
    doc.save().moveTo(x0, y).lineTo(x1, y).lineWidth(0.5).strokeColor(colour).stroke().restore();
  });
}

/** A heading: level 1 is the document title, level 2 a section heading with a rule under it. */
export function heading(doc: Doc, text: string, level: 1 | 2 = 1): void {
  const size = level === 1 ? 17 : 11.5;
  doc.font(FONTS.bold).fontSize(size);
  const height = doc.heightOfString(text, { width: contentWidth(doc) });
  if (level === 2 && doc.y > doc.page.margins.top) doc.y += 14;
  // Keep a heading with at least three lines of what follows it.
  ensureSpace(doc, height + 8 + 3 * (BODY_SIZE + LINE_GAP + 2));
  const y = doc.y;
  tagged(doc, `H${level}`, () => {
    doc.font(FONTS.bold).fontSize(size).fillColor(HEADING_COLOUR);
    doc.text(text, left(doc), y, { width: contentWidth(doc) });
  });
  doc.fillColor(TEXT_COLOUR);
  if (level === 2) {
    rule(doc, doc.y + 2);
    doc.y += 8;
  } else {
    doc.y += 10;
  }
}

/** Body text; flows onto new pages by itself. Blank lines separate paragraphs. */
export function paragraph(doc: Doc, text: string, options: { muted?: boolean; size?: number } = {}): void {
  for (const part of text.split(/\n\s*\n/)) {
    const y = doc.y;
    tagged(doc, 'P', () => {
      doc.font(FONTS.body).fontSize(options.size ?? BODY_SIZE).fillColor(options.muted ? MUTED_COLOUR : TEXT_COLOUR);
      doc.text(part.trim(), left(doc), y, { width: contentWidth(doc), lineGap: LINE_GAP });
    });
    doc.y += 6;
  }
  doc.fillColor(TEXT_COLOUR);
}

/** A two-column block of labels and values; a row never splits across pages. */
export function labelValue(doc: Doc, rows: Array<[label: string, value: string]>, labelWidth = 150): void {
  const valueWidth = contentWidth(doc) - labelWidth;
  const table = group(doc, structureRoot(doc), 'Table');
  for (const [label, value] of rows) {
    doc.font(FONTS.bold).fontSize(BODY_SIZE - 0.5);
    const labelHeight = doc.heightOfString(label, { width: labelWidth - 12, lineGap: LINE_GAP });
    doc.font(FONTS.body).fontSize(BODY_SIZE);
    const height = Math.max(labelHeight, doc.heightOfString(value, { width: valueWidth, lineGap: LINE_GAP }));
    ensureSpace(doc, height);
    const y = doc.y;
    const row = group(doc, table, 'TR');
    tagUnder(doc, row, 'TH', () => {
      doc.font(FONTS.bold).fontSize(BODY_SIZE - 0.5).fillColor(MUTED_COLOUR);
      doc.text(label, left(doc), y + 0.5, { width: labelWidth - 12, lineGap: LINE_GAP });
    });
    tagUnder(doc, row, 'TD', () => {
      doc.font(FONTS.body).fontSize(BODY_SIZE).fillColor(TEXT_COLOUR);
      doc.text(value, left(doc) + labelWidth, y, { width: valueWidth, lineGap: LINE_GAP });
    });
    row?.end();
    doc.y = y + height + 5;
  }
  table?.end();
  doc.fillColor(TEXT_COLOUR);
  doc.y += 4;
}

/**
 * A table that breaks between rows and repeats its header row on every page (pdfkit's
 * table() does not). The repeated headers are artifacts, so a screen reader reads them once.
 */
export function simpleTable(doc: Doc, columns: TableColumn[], rows: string[][], size = BODY_SIZE - 1): void {
  const x0 = left(doc);
  const xs = columns.map((_, index) => x0 + columns.slice(0, index).reduce((sum, column) => sum + column.width, 0));
  const x1 = x0 + columns.reduce((sum, column) => sum + column.width, 0);
  const pageRoom = bottom(doc) - doc.page.margins.top;

  const measure = (cells: string[], font: string): number => {
    doc.font(font).fontSize(size);
    const heights = columns.map((column, index) => doc.heightOfString(cells[index] ?? '', { width: column.width - 2 * CELL_PAD_X, lineGap: 1 }));
    return Math.max(...heights) + 2 * CELL_PAD_Y;
  };
  const drawCells = (parent: Parent, cellType: string, cells: string[], font: string, y: number, height: number): void => {
    columns.forEach((column, index) => {
      tagUnder(doc, parent, cellType, () => {
        doc.font(font).fontSize(size).fillColor(TEXT_COLOUR);
        doc.text(cells[index] ?? '', xs[index] + CELL_PAD_X, y + CELL_PAD_Y, {
          width: column.width - 2 * CELL_PAD_X,
          height: height - 2 * CELL_PAD_Y,
          ellipsis: true,
          align: column.align ?? 'left',
          lineGap: 1,
        });
      });
    });
  };

  const headers = columns.map((column) => column.header);
  const headerHeight = measure(headers, FONTS.bold);
  const table = group(doc, structureRoot(doc), 'Table');
  const drawHeader = (repeated: boolean): void => {
    const y = doc.y;
    asArtifact(doc, 'Layout', () => {
      doc.save().rect(x0, y, x1 - x0, headerHeight).fillColor(HEADER_FILL).fill().restore();
    });
    if (repeated) asArtifact(doc, 'Pagination', () => drawCells(undefined, 'TH', headers, FONTS.bold, y, headerHeight));
    else {
      const row = group(doc, table, 'TR');
      drawCells(row, 'TH', headers, FONTS.bold, y, headerHeight);
      row?.end();
    }
    rule(doc, y + headerHeight, '#8a9099', x0, x1);
    doc.y = y + headerHeight;
  };

  // Never leave a header alone at the foot of a page.
  ensureSpace(doc, headerHeight + (rows.length > 0 ? Math.min(measure(rows[0], FONTS.body), pageRoom - headerHeight) : 0));
  drawHeader(false);
  for (const cells of rows) {
    // A row taller than a page is cut off (with an ellipsis) rather than spilling over the footer.
    const height = Math.min(measure(cells, FONTS.body), pageRoom - headerHeight);
    if (doc.y + height > bottom(doc)) {
      doc.continueOnNewPage();
      drawHeader(true);
    }
    const y = doc.y;
    const row = group(doc, table, 'TR');
    drawCells(row, 'TD', cells, FONTS.body, y, height);
    row?.end();
    rule(doc, y + height, RULE_COLOUR, x0, x1);
    doc.y = y + height;
  }
  table?.end();
  doc.x = x0;
  doc.y += 10;
}

/** A section: a level-2 heading followed by a paragraph or by whatever `body` draws. */
export function section(doc: Doc, title: string, body: string | (() => void)): void {
  heading(doc, title, 2);
  if (typeof body === 'string') paragraph(doc, body);
  else body();
}

/** Who sends a document: the municipality's name, its job centre, address and contact, as on every letter. */
export interface DocumentSender {
  name: string;
  jobCentre: string;
  address: string;
  contact: string;
}

/**
 * The letterhead the portal's letters share: the sender on the left, the document's references (label and
 * value) on the right, a rule beneath; the text goes on below it.
 */
export function letterhead(doc: Doc, sender: DocumentSender, refs: Array<[label: string, value: string]>): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const top = doc.page.margins.top;
  // Room for a period ('2026-10-01 – 2026-10-31') on one line beside its label.
  const rightWidth = 240;
  const labelWidth = 80;
  const rightX = left + width - rightWidth;
  const senderWidth = width - rightWidth - 20;

  tagged(doc, 'P', () => {
    doc.font(FONTS.bold).fontSize(13).fillColor(TEXT_COLOUR).text(sender.name, left, top, { width: senderWidth });
    doc.font(FONTS.body).fontSize(BODY_SIZE - 1).fillColor(MUTED_COLOUR);
    doc.text([sender.jobCentre, sender.address, sender.contact].join('\n'), left, doc.y + 3, { width: senderWidth, lineGap: 2 });
  });
  const senderBottom = doc.y;
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
  doc.font(FONTS.body).fillColor(TEXT_COLOUR);
  doc.x = left;
  doc.y = ruleY + 26;
}
