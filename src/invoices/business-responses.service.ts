import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessScope } from '../common/auth/access-scope';
import { APP_CONFIG, type AppConfig } from '../common/config/app-config';
import { DomainException } from '../common/errors/domain.exception';
import { loadCatalogues } from '../common/i18n/messages';
import { Clock } from '../common/time/clock';
import { templatesDir } from '../common/web/view-engine';
import { SuppliersService } from '../suppliers/suppliers.service';
import { businessResponseXml, partyOf, type ResponseFormat } from './business-response.document';
import { responseCodeFor, responseReasons, type ResponseTrigger } from './business-response.rules';
import { BusinessResponseStore, type BusinessResponseRow } from './business-response.store';
import { DeliveryStore } from './delivery.store';
import { describeFinding } from './finding-text';
import type { InvoiceRow } from './invoice.store';
import { InvoiceStore } from './invoice.store';

export interface BusinessResponseDto {
  id: string;
  invoiceId: string;
  invoiceNumber?: string;
  supplierId: string;
  responseCode: string;
  trigger: string;
  reasons: Array<{ code: string; text: string; lineNo?: number }>;
  outboxStatus: 'pending' | 'sent';
  createdAt: string;
  /** In the outbox: no later response to the same invoice exists (the one response.xml serves). */
  latest?: boolean;
}

const dtoOf = (row: BusinessResponseRow): BusinessResponseDto => ({
  id: row.id,
  invoiceId: row.invoiceId,
  supplierId: row.supplierId,
  responseCode: row.code,
  trigger: row.trigger,
  reasons: row.reasons,
  outboxStatus: row.outboxStatus,
  createdAt: row.createdAt.toISOString(),
  ...(row.latest === undefined ? {} : { latest: row.latest }),
});

/**
 * The business responses to received e-invoices: generated in the transaction of the step that decides (approve,
 * reject), holds, releases or is disputed, stored as they would be sent (both the Peppol and the OIOUBL form: the
 * access point sends the one the supplier's registration in the network says it receives), and listed as the
 * outbox. Sending stays outside the portal. Invoices not received as e-invoices get none.
 */
@Injectable()
export class BusinessResponsesService {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: BusinessResponseStore,
    private readonly invoices: InvoiceStore,
    private readonly deliveries: DeliveryStore,
    private readonly suppliers: SuppliersService,
  ) {}

  /** Generates the response to `invoice` (as it is after the step) in the caller's transaction; none for an invoice not received as an e-invoice. */
  async record(manager: EntityManager, invoiceId: string, trigger: ResponseTrigger, freeReason: string | null = null): Promise<void> {
    const invoice = (await this.invoices.get(manager, invoiceId)) as InvoiceRow;
    if (invoice.source !== 'ubl') return;
    const [supplier] = await this.suppliers.getMany([invoice.supplierId]);
    const lines = await this.deliveries.ofInvoice(manager, invoice.id);
    const code = responseCodeFor(trigger, invoice.status);
    const reasons = responseReasons(
      code,
      invoice.findings,
      lines.map((d) => ({ lineNo: d.lineNo, findings: d.findings })),
      (finding) => describeFinding(this.catalogues, 'da', finding),
      freeReason,
    );
    const id = randomUUID();
    const content = {
      id,
      issueDate: this.clock.today(),
      sender: { name: this.config.buyer.name, endpoint: { scheme: '0088' as const, id: this.config.buyer.gln } },
      receiver: partyOf(supplier.name, supplier.gln, supplier.cvr),
      code,
      reasons,
      invoice: { number: invoice.invoiceNumber, issueDate: invoice.issueDate, documentType: invoice.documentType },
      linePrefix: (lineNo: number) => `Linje ${lineNo}`,
    };
    await this.store.insert(manager, {
      id,
      invoiceId: invoice.id,
      supplierId: invoice.supplierId,
      code,
      trigger,
      reasons,
      peppolXml: businessResponseXml('peppol', content),
      oioublXml: businessResponseXml('oioubl', content),
    });
  }

  /** The latest response to an invoice as XML; 404 when there is none or the invoice is another supplier's. */
  async latestXml(invoiceId: string, format: ResponseFormat, scope: AccessScope): Promise<{ xml: string; invoiceNumber: string; code: string }> {
    const manager = this.dataSource.manager;
    const invoice = await this.invoices.get(manager, invoiceId);
    if (!invoice || !scope.canSee(invoice.supplierId)) throw DomainException.notFound('Invoice');
    const latest = await this.store.latestOf(manager, invoiceId);
    const xml = latest ? await this.store.xmlOf(manager, latest.id) : null;
    if (!latest || !xml) throw DomainException.notFound('Business response');
    return { xml: xml[format], invoiceNumber: invoice.invoiceNumber, code: latest.code };
  }

  async latest(manager: EntityManager, invoiceId: string): Promise<BusinessResponseDto | null> {
    const row = await this.store.latestOf(manager, invoiceId);
    return row ? dtoOf(row) : null;
  }

  /** The outbox, newest first: what would be sent to the suppliers' access points. */
  async outbox(after: string | null, limit: number): Promise<{ items: BusinessResponseDto[]; nextCursor: string | null }> {
    const rows = await this.store.outbox(this.dataSource.manager, null, after, limit + 1);
    const page = rows.slice(0, limit);
    const numbers = new Map<string, string>();
    for (const row of page) {
      if (!numbers.has(row.invoiceId)) numbers.set(row.invoiceId, (await this.invoices.get(this.dataSource.manager, row.invoiceId))?.invoiceNumber ?? '');
    }
    return { items: page.map((row) => ({ ...dtoOf(row), invoiceNumber: numbers.get(row.invoiceId) })), nextCursor: rows.length > limit ? page[page.length - 1].seq : null };
  }
}
