import { PDFDocument } from 'pdf-lib';

/** A small valid PDF of one page with a title, as a signed contract would be uploaded. */
export async function smallPdf(title = 'Rammeaftale om mentorstøtte'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.addPage([595, 842]);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
