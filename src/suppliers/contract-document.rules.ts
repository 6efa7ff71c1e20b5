import type { ErrorDetail } from '../common/errors/domain.exception';
import { SuppliersErrorCode } from './suppliers.errors';

/** A contract document may be at most 5 MiB: a scanned, signed agreement of some pages. */
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const PDF_EOF = Buffer.from('%%EOF', 'latin1');

/**
 * Why the bytes are not an acceptable contract document before they are parsed: none, more than the limit, or
 * not starting with the PDF header `%PDF-` (a PDF may have up to 1024 bytes of junk before it; we take none).
 */
export function checkDocumentBytes(content: Buffer | null | undefined, maxBytes = DOCUMENT_MAX_BYTES): ErrorDetail[] {
  if (!content || content.length === 0) return [{ field: 'file', rule: SuppliersErrorCode.DocumentMissing, message: 'choose a file to attach' }];
  if (content.length > maxBytes) {
    return [tooLarge(maxBytes)];
  }
  if (!content.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return [notPdf('the file does not start with %PDF-')];
  // A whole PDF ends with %%EOF (followed at most by line ends and padding): a cut-off upload does not.
  if (!content.subarray(Math.max(0, content.length - 1024)).includes(PDF_EOF)) return [notPdf('the file does not end with %%EOF')];
  return [];
}

export function tooLarge(maxBytes = DOCUMENT_MAX_BYTES): ErrorDetail {
  return { field: 'file', rule: SuppliersErrorCode.DocumentTooLarge, message: `the file is larger than ${maxBytes} bytes, the most accepted`, values: { maxBytes } };
}

export function notPdf(reason: string): ErrorDetail {
  return { field: 'file', rule: SuppliersErrorCode.DocumentNotPdf, message: `the file is not a PDF: ${reason}` };
}

/** A file name as shown and sent back: its last path segment, without control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return cleaned === '' ? 'dokument.pdf' : cleaned;
}
