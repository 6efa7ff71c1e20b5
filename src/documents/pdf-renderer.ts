import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

/** Names under which the embedded fonts are registered on every document. */
export interface Fonts {
  readonly body: string;
  readonly bold: string;
}

export const FONTS: Fonts = { body: 'Body', bold: 'Bold' };

export type DocumentLayout = (doc: PDFKit.PDFDocument, fonts: Fonts) => void;

export interface DocumentMeta {
  title: string;
  author?: string;
  subject?: string;
  /** BCP 47 language of the text; 'da-DK' unless told. */
  lang?: string;
  /** Left part of every page footer, e.g. the document title and its reference. */
  footerText?: string;
  /** The page number text; `Side X af Y` unless told. */
  pageNumberText?: (page: number, pages: number) => string;
  /** Fixes the creation date (and with it the file ID) so equal input gives equal bytes. */
  createdAt?: Date;
}

/** A4 with room under the text for the footer. */
export const PAGE_MARGINS = { top: 56, bottom: 72, left: 56, right: 56 } as const;
const FOOTER_OFFSET = 44; // footer baseline area, measured up from the page's bottom edge
const FOOTER_SIZE = 8;
export const MUTED_COLOUR = '#5a5f66';
export const TEXT_COLOUR = '#1a1a1a';
export const RULE_COLOUR = '#c4c9cf';

interface FontData {
  body: fontkit.Font;
  bold: fontkit.Font;
}

let fontData: FontData | undefined;

// Read and parsed once per process: pdfkit takes a parsed font as it is (each document still
// embeds its own subset), where a file buffer would be parsed again for every document.
function loadFonts(): FontData {
  if (!fontData) {
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontData = {
      body: fontkit.create(readFileSync(join(dir, 'DejaVuSans.ttf'))),
      bold: fontkit.create(readFileSync(join(dir, 'DejaVuSans-Bold.ttf'))),
    };
  }
  return fontData;
}

// The root structure element ('Document') of each document made here, for the helpers' tags.
const structureRoots = new WeakMap<PDFKit.PDFDocument, PDFKit.PDFStructureElement>();

/** The tagged-PDF root element of a document created by renderPdf, if any. */
export function structureRoot(doc: PDFKit.PDFDocument): PDFKit.PDFStructureElement | undefined {
  return structureRoots.get(doc);
}

/** Runs `draw` as an artifact (decoration, running footer): outside the reading order. */
export function asArtifact(doc: PDFKit.PDFDocument, type: 'Layout' | 'Pagination', draw: () => void): void {
  if (!structureRoots.has(doc)) {
    draw();
    return;
  }
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}

// pdfkit writes every info key it is given (and hashes it into the file ID): leave out the unset ones.
function documentInfo(meta: DocumentMeta): PDFKit.DocumentInfo {
  for (const value of [meta.title, meta.author, meta.subject]) {
    // pdfkit copies these unescaped into the XMP metadata, which PDF/A requires to be well-formed XML.
    if (value && /[<>&]/.test(value)) throw new Error(`PDF metadata may not contain <, > or &: ${JSON.stringify(value)}`);
  }
  const info: PDFKit.DocumentInfo = { Title: meta.title, Creator: 'Mentor supplier portal', CreationDate: meta.createdAt ?? new Date() };
  if (meta.author) info.Author = meta.author;
  if (meta.subject) info.Subject = meta.subject;
  return info;
}

const defaultPageNumberText = (page: number, pages: number): string => `Side ${page} af ${pages}`;

/**
 * Renders a layout to an A4 PDF/A-3b file (tagged, DejaVu Sans embedded) with a footer
 * "Side X af Y" on every page.
 */
export function renderPdf(layout: DocumentLayout, meta: DocumentMeta): Promise<Buffer> {
  const fonts = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { ...PAGE_MARGINS },
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    tagged: true,
    displayTitle: true,
    lang: meta.lang ?? 'da-DK',
    bufferPages: true,
    info: documentInfo(meta),
  });

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      // pdfkit accepts a parsed fontkit font where its types only name file sources.
      doc.registerFont(FONTS.body, fonts.body as unknown as Buffer);
      doc.registerFont(FONTS.bold, fonts.bold as unknown as Buffer);
      doc.font(FONTS.body).fontSize(10).fillColor(TEXT_COLOUR);

      const root = doc.struct('Document');
      doc.addStructure(root);
      structureRoots.set(doc, root);
      layout(doc, FONTS);
      root.end();

      writeFooters(doc, meta.footerText ?? '', meta.pageNumberText ?? defaultPageNumberText);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function writeFooters(doc: PDFKit.PDFDocument, footerText: string, pageNumberText: (page: number, pages: number) => string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    const left = doc.page.margins.left;
    const right = doc.page.width - doc.page.margins.right;
    const top = doc.page.height - FOOTER_OFFSET;
    asArtifact(doc, 'Pagination', () => {
      doc.save().moveTo(left, top - 8).lineTo(right, top - 8).lineWidth(0.5).strokeColor(RULE_COLOUR).stroke().restore();
      doc.font(FONTS.body).fontSize(FOOTER_SIZE).fillColor(MUTED_COLOUR);
      // No width option: a wrapped text below the bottom margin would start a new page.
      if (footerText) doc.text(footerText, left, top, { lineBreak: false });
      const pageText = pageNumberText(index - start + 1, count);
      doc.text(pageText, right - doc.widthOfString(pageText), top, { lineBreak: false });
    });
  }
  doc.fillColor(TEXT_COLOUR);
}
