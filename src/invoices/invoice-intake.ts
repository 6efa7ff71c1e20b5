import { Inject, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { validateBody } from '../common/errors/validation-options';
import { loadCatalogues, translate } from '../common/i18n/messages';
import type { CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import type { Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { parseCsvInvoice } from './csv-invoice.parser';
import type { Catalogues } from './finding-text';
import { fault, faultDetail, type IntakeFault } from './intake-fault';
import { lineAmountOre } from './invoice-amounts';
import { CreateInvoiceDto, CsvInvoiceQueryDto } from './invoices.dto';
import type { ParsedInvoice } from './parsed-invoice';
import { receiveInvoice, type ReceivedInvoice } from './received-invoice';
import { parseUblInvoice } from './ubl-invoice.parser';

export interface Submission {
  invoice: ReceivedInvoice;
  /** The supplier named in the request (staff registering a paper invoice), if any. */
  supplierId: string | null;
}

export interface IntakeContext {
  /** An issue date after it is refused. */
  today: CalendarDate;
  /** The language the refusal's texts are in. */
  lang: Language;
  catalogues: Catalogues;
  /**
   * The municipality's location numbers (EAN/GLN) an e-invoice may be addressed to; an e-invoice naming another
   * buyer endpoint is refused. Absent: not checked.
   */
  buyerEndpoints?: readonly string[];
}

const GLN_SCHEMES = new Set(['0088', 'GLN']);

/**
 * An e-invoice addressed to another buyer than the municipality's location numbers, as a fault; none when it
 * names no buyer endpoint (an upload to the portal is addressed by being uploaded) or when nothing is configured.
 */
export function buyerEndpointFault(buyer: ParsedInvoice['buyer'], allowed: readonly string[] | undefined): IntakeFault | null {
  const endpoint = buyer?.endpoint;
  if (allowed === undefined || !endpoint) return null;
  if (GLN_SCHEMES.has(endpoint.scheme) && allowed.includes(endpoint.id)) return null;
  return fault('ubl_buyer_endpoint', 'buyer.endpoint', { endpoint: endpoint.id.slice(0, 60), scheme: endpoint.scheme.slice(0, 20), allowed: allowed.join(', ') });
}

const XML_TYPES = ['application/xml', 'text/xml'];

/**
 * The one door of invoice intake: picks the parser by content type (JSON, CSV, UBL), then the one check of a
 * received invoice. What cannot be read is a 4xx naming each fault (its field, its line and its text in
 * `context.lang`); what can is a ReceivedInvoice for validation.
 */
export async function readSubmission(contentType: string | undefined, body: unknown, query: Record<string, unknown>, context: IntakeContext): Promise<Submission> {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    const dto = await validateBody(CreateInvoiceDto, body, 'The invoice has invalid fields');
    return { invoice: received(fromJson(dto), context, 'intake.refused.invoice'), supplierId: dto.supplierId ?? null };
  }
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) throw new UnsupportedMediaTypeException('Send application/json, text/csv or application/xml (UBL)');
  if (type === 'text/csv') {
    const meta = await validateBody(CsvInvoiceQueryDto, query, 'The CSV upload needs its invoice number and issue date');
    const missing: IntakeFault[] = [];
    if (!meta.invoiceNumber) missing.push(fault('csv_query_invoice_number_missing', 'invoiceNumber'));
    if (!meta.issueDate) missing.push(fault('csv_query_issue_date_missing', 'issueDate'));
    if (missing.length > 0) throw refusal(DomainErrorCode.InvalidInput, 'intake.refused.csv_query', missing, context);
    const result = parseCsvInvoice(String(body), { invoiceNumber: meta.invoiceNumber as string, issueDate: meta.issueDate as string, sellerCvr: '' });
    if (!result.ok) throw refusal(DomainErrorCode.RuleViolation, 'intake.refused.csv', result.faults, context);
    return { invoice: received({ ...result.invoice, seller: { cvr: null, gln: null, name: null } }, context, 'intake.refused.invoice'), supplierId: meta.supplierId ?? null };
  }
  if (XML_TYPES.includes(type)) {
    const result = parseUblInvoice(Buffer.isBuffer(body) ? body : String(body));
    if (!result.ok) throw refusal(DomainErrorCode.RuleViolation, 'intake.refused.ubl', result.faults, context);
    const buyerFault = buyerEndpointFault(result.invoice.buyer, context.buyerEndpoints);
    if (buyerFault !== null) throw refusal(DomainErrorCode.RuleViolation, 'intake.refused.ubl', [buyerFault], context);
    return { invoice: received(result.invoice, context, 'intake.refused.invoice'), supplierId: null };
  }
  throw new UnsupportedMediaTypeException('Send application/json, text/csv or application/xml (UBL)');
}

function received(parsed: ParsedInvoice, context: IntakeContext, heading: string): ReceivedInvoice {
  const result = receiveInvoice(parsed, context.today);
  if (!result.ok) throw refusal(DomainErrorCode.RuleViolation, heading, result.faults, context);
  return result.invoice;
}

function refusal(code: DomainErrorCode, heading: string, faults: IntakeFault[], context: IntakeContext): DomainException {
  return new DomainException(
    code,
    translate(context.catalogues, context.lang, heading),
    faults.map((f) => faultDetail(context.catalogues, context.lang, f)),
  );
}

function fromJson(dto: CreateInvoiceDto): ParsedInvoice {
  return {
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
      ...(line.periodTo && line.periodTo !== line.date ? { periodTo: line.periodTo } : {}),
      minutes: line.minutes,
      quantityText: String(line.minutes),
      unitCode: 'MIN',
      rateOre: line.rateOre,
      amountOre: line.amountOre ?? lineAmountOre(line.minutes, line.rateOre),
      contactForm: line.contactForm ?? null,
      transport: line.transport ?? null,
      description: line.description ?? null,
    })),
  };
}

/** readSubmission with the portal's clock and catalogue, for the API and the pages. */
@Injectable()
export class InvoiceIntake {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  read(contentType: string | undefined, body: unknown, query: Record<string, unknown>, lang: Language): Promise<Submission> {
    return readSubmission(contentType, body, query, { today: this.clock.today(), lang, catalogues: this.catalogues, buyerEndpoints: this.config.buyerEndpoints });
  }
}
