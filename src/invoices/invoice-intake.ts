import { UnsupportedMediaTypeException } from '@nestjs/common';
import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { validateBody } from '../common/errors/validation-options';
import { parseCsvInvoice } from './csv-invoice.parser';
import { lineAmountOre } from './invoice-amounts';
import { invoiceNumberProblem } from './invoice-number.rules';
import { CreateInvoiceDto, CsvInvoiceQueryDto } from './invoices.dto';
import type { ParsedInvoice, ParseError } from './parsed-invoice';
import { parseUblInvoice } from './ubl-invoice.parser';

export interface Submission {
  parsed: ParsedInvoice;
  /** The supplier named in the request (staff registering a paper invoice), if any. */
  supplierId: string | null;
}

const XML_TYPES = ['application/xml', 'text/xml'];

/** The one door of invoice intake: picks the parser by content type; what cannot be read is a 4xx naming the line. */
export async function readSubmission(contentType: string | undefined, body: unknown, query: Record<string, unknown>): Promise<Submission> {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return fromJson(await validateBody(CreateInvoiceDto, body, 'The invoice has invalid fields'));
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) throw new UnsupportedMediaTypeException('Send application/json, text/csv or application/xml (UBL)');
  if (type === 'text/csv') {
    const meta = await validateBody(CsvInvoiceQueryDto, query, 'The CSV upload needs its invoice number and issue date');
    const missing: ErrorDetail[] = [];
    if (!meta.invoiceNumber) missing.push({ field: 'invoiceNumber', rule: 'required', message: 'give ?invoiceNumber= with a CSV upload' });
    if (!meta.issueDate) missing.push({ field: 'issueDate', rule: 'required', message: 'give ?issueDate=YYYY-MM-DD with a CSV upload' });
    if (missing.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The CSV upload needs its invoice number and issue date', missing);
    const result = parseCsvInvoice(String(body), { invoiceNumber: meta.invoiceNumber as string, issueDate: meta.issueDate as string, sellerCvr: '' });
    if (!result.ok) throw unreadable('The CSV file cannot be read', result.errors);
    return { parsed: { ...result.invoice, seller: { cvr: null, gln: null, name: null } }, supplierId: meta.supplierId ?? null };
  }
  if (XML_TYPES.includes(type)) {
    const result = parseUblInvoice(Buffer.isBuffer(body) ? body : String(body));
    if (!result.ok) throw unreadable('The e-invoice cannot be read', result.errors);
    // The parser reads any cbc:ID; the portal's number rule is the same as for JSON and CSV.
    const problem = invoiceNumberProblem(result.invoice.invoiceNumber);
    if (problem) throw DomainException.rule('The e-invoice cannot be read', [problem]);
    return { parsed: result.invoice, supplierId: null };
  }
  throw new UnsupportedMediaTypeException('Send application/json, text/csv or application/xml (UBL)');
}

function unreadable(message: string, errors: ParseError[]): DomainException {
  return new DomainException(
    DomainErrorCode.RuleViolation,
    message,
    errors.map((e) => ({ field: e.field, rule: e.rule, message: e.message, ...(e.line === undefined ? {} : { values: { line: e.line } }) })),
  );
}

function fromJson(dto: CreateInvoiceDto): Submission {
  return {
    supplierId: dto.supplierId ?? null,
    parsed: {
      source: 'json',
      documentType: dto.documentType ?? 'invoice',
      invoiceNumber: dto.invoiceNumber,
      issueDate: dto.issueDate,
      currency: 'DKK',
      seller: { cvr: null, gln: null, name: null },
      orderReference: null,
      periodFrom: dto.periodFrom ?? null,
      periodTo: dto.periodTo ?? null,
      billingReferences: dto.creditsInvoiceNumbers ?? [],
      totals: dto.totals ? { netOre: dto.totals.netOre, vatOre: dto.totals.vatOre, totalOre: dto.totals.totalOre } : null,
      lines: dto.lines.map((line, i) => ({
        lineNo: i + 1,
        grantReference: line.grantReference,
        date: line.date,
        minutes: line.minutes,
        quantityText: String(line.minutes),
        unitCode: 'MIN',
        rateOre: line.rateOre,
        amountOre: line.amountOre ?? lineAmountOre(line.minutes, line.rateOre),
        contactForm: line.contactForm ?? null,
        transport: line.transport ?? null,
        description: line.description ?? null,
      })),
    },
  };
}
