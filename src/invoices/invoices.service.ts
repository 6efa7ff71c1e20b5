import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { InvoicesErrorCode } from './invoices.errors';
import { DomainException } from '../common/errors/domain.exception';
import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import type { CalendarDate } from '../common/time/calendar-date';
import { SuppliersService } from '../suppliers/suppliers.service';
import type { ContactGap } from './contact-gap.rules';
import { InvoiceRecorder } from './invoice-recorder.service';
import { invoiceContentHash, type InvoiceStatus } from './invoice-lifecycle.rules';
import { DeliveryStore, type DeliveryRow } from './delivery.store';
import type { ApprovalFacts } from './four-eyes.rules';
import { InvoiceStore, type InvoiceRow, type InvoiceSort, type IssuedCounts, type QuarterQuality } from './invoice.store';
import { containsPattern, type KeysetPage, type PageRequest } from '../common/web/list-query';
import { findingWithText, type Catalogues } from './finding-text';
import type { InvoiceDto, InvoiceLineDto, InvoicePageDto } from './invoices.dto';
import { GrantsService } from '../grants/grants.service';
import { GRANT_REFERENCE } from './parsed-invoice';
import type { ReceivedInvoice } from './received-invoice';
import { SessionLogService } from './session-log.service';

export interface InvoiceFilter {
  status?: string;
  supplierId?: string;
  order?: 'newest' | 'inbox';
  after?: string;
  limit: number;
}

export interface SubmitResult {
  /** False when the same invoice was sent before: the stored one is answered. */
  created: boolean;
  invoice: InvoiceDto;
}

/** Intake of invoices (one pipeline behind the JSON, CSV and UBL parsers) and reading them back. */
@Injectable()
export class InvoicesService {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suppliers: SuppliersService,
    private readonly recorder: InvoiceRecorder,
    private readonly invoiceStore: InvoiceStore,
    private readonly deliveryStore: DeliveryStore,
    private readonly grants: GrantsService,
    private readonly sessionLog: SessionLogService,
  ) {}

  /**
   * The received invoice through the business rules and the one persist step, in one transaction.
   * The invoice number is unique per supplier: the same invoice again answers the stored one, the same
   * number with other content is a conflict.
   */
  async submit(received: ReceivedInvoice, requestedSupplierId: string | null, scope: AccessScope, actor: Actor): Promise<SubmitResult> {
    const supplier = await this.resolveSupplier(received, requestedSupplierId, scope);
    // Another municipal department is settled internally on an internal statement: never by e-invoice.
    if (received.source === 'ubl' && supplier.kind === 'internal') {
      throw DomainException.rule('An internal supplier is settled internally, not by e-invoice', [
        { field: 'seller', rule: InvoicesErrorCode.UblSellerInternal, message: `${supplier.name} is an internal supplier, settled internally without VAT on an internal statement; it sends no e-invoice`, values: { supplier: supplier.name } },
      ]);
    }
    await this.checkReferences(received, supplier.id);
    const contentHash = invoiceContentHash(received);
    const outcome = await this.dataSource.transaction(async (manager) => {
      await this.invoiceStore.lockSupplierInvoicing(manager, supplier.id);
      const existing = await this.invoiceStore.byNumber(manager, supplier.id, received.invoiceNumber);
      if (existing) {
        if (existing.contentHash === contentHash) return { created: false, id: existing.id, stored: null };
        throw DomainException.conflict('Another invoice already has this number', [
          { field: 'invoiceNumber', rule: 'invoice_number_unique', message: `invoice ${received.invoiceNumber} was received before with other content; give a new invoice a new number`, values: { invoiceNumber: received.invoiceNumber } },
        ]);
      }
      // Monthly lines are matched against the session log: the weeks come from the logged sessions.
      const matched = await this.sessionLog.match(manager, supplier.id, received);
      const validated = await this.recorder.validate(manager, supplier, matched?.invoice ?? received);
      const recorded = await this.recorder.record(manager, supplier.id, validated, { kind: 'new', contentHash }, actor);
      if (matched && recorded.stored) await this.sessionLog.markInvoiced(manager, matched.lines, recorded.stored.deliveries);
      return { created: true, id: recorded.id, stored: recorded.stored };
    });
    // A new invoice is answered as it was stored (as \`get\` would read it back); one received before is read.
    if (outcome.created && outcome.stored) return { created: true, invoice: invoiceDto(outcome.stored.invoice, await this.supplierName(outcome.stored.invoice.supplierId), this.catalogues, outcome.stored.deliveries) };
    return { created: outcome.created, invoice: await this.get(outcome.id, AccessScope.unrestricted()) };
  }

  async list(filter: InvoiceFilter, scope: AccessScope): Promise<InvoicePageDto> {
    const inbox = filter.order === 'inbox';
    const rows = await this.invoiceStore.list(
      this.dataSource.manager,
      { scopeSupplierId: scope.isSupplier ? (scope.supplierId as string) : null, supplierId: filter.supplierId ?? null, status: filter.status ?? null, after: !inbox && filter.after ? filter.after : null, limit: filter.limit + 1 },
      inbox,
    );
    const page = rows.slice(0, filter.limit);
    const names = await this.suppliers.names(page.map((row) => row.supplierId));
    return { items: page.map((row) => invoiceDto(row, names.get(row.supplierId) ?? '', this.catalogues)), nextCursor: !inbox && rows.length > filter.limit ? page[page.length - 1].seq : null };
  }

  /**
   * A page of the searchable list (finance's inbox and the API with `q`, `sort` or `cursor`): `q` finds an invoice
   * number or a supplier's name containing it; a supplier sees only its own.
   */
  async search(filter: { q: string | null; status: InvoiceStatus | null; supplierId?: string | null }, request: PageRequest<InvoiceSort>, scope: AccessScope): Promise<KeysetPage<InvoiceDto>> {
    const needsSuppliers = filter.q !== null || request.sort === 'supplier';
    const suppliers = needsSuppliers ? await this.suppliers.byName() : [];
    const q = filter.q?.toLocaleLowerCase('da');
    // A supplier searches only invoice numbers: another supplier's name finds nothing it could see anyway.
    const supplierIds = q !== undefined && !scope.isSupplier ? suppliers.filter((s) => s.name.toLocaleLowerCase('da').includes(q)).map((s) => s.id) : [];
    const page = await this.invoiceStore.search(
      this.dataSource.manager,
      {
        scopeSupplierId: scope.isSupplier ? (scope.supplierId as string) : null,
        supplierId: filter.supplierId ?? null,
        status: filter.status,
        pattern: filter.q === null ? null : containsPattern(filter.q),
        supplierIds,
        supplierOrder: suppliers.map((s) => s.id),
      },
      request,
    );
    const names = await this.suppliers.names(page.items.map((row) => row.supplierId));
    return { ...page, items: page.items.map((row) => invoiceDto(row, names.get(row.supplierId) ?? '', this.catalogues)) };
  }

  /**
   * The invoices still waiting for a first or second approval whose period touches the days from `from` to
   * `to` (what must be decided before a month is made final), oldest first, at most `limit`.
   */
  async awaitingApprovalIn(from: CalendarDate, to: CalendarDate, limit: number): Promise<InvoiceDto[]> {
    const rows = await this.invoiceStore.awaitingApprovalIn(this.dataSource.manager, from, to, limit);
    const names = await this.suppliers.names(rows.map((row) => row.supplierId));
    return rows.map((row) => invoiceDto(row, names.get(row.supplierId) ?? '', this.catalogues));
  }

  /** The numbers of these invoices by id; an id that is no invoice is left out. */
  async numbers(ids: string[]): Promise<Map<string, string>> {
    const valid = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    return valid.length === 0 ? new Map() : this.invoiceStore.numbers(this.dataSource.manager, valid);
  }

  private async supplierName(supplierId: string): Promise<string> {
    return (await this.suppliers.names([supplierId])).get(supplierId) ?? '';
  }

  /** One invoice with its lines and findings; another supplier's invoice is not found. */
  async get(id: string, scope: AccessScope, manager: EntityManager = this.dataSource.manager): Promise<InvoiceDto> {
    const row = await this.invoiceStore.get(manager, id);
    if (!row) throw DomainException.notFound('Invoice');
    scope.assertVisible(row.supplierId, 'Invoice');
    const names = await this.suppliers.names([row.supplierId], manager);
    return invoiceDto(row, names.get(row.supplierId) ?? '', this.catalogues, await this.deliveryStore.ofInvoice(manager, id));
  }

  /** The four-eyes facts of an invoice the scope may see: who registered it, who approved it and when (user ids; pages name them). */
  async approvalRecord(id: string, scope: AccessScope): Promise<ApprovalRecord> {
    const row = await this.invoiceStore.get(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Invoice');
    scope.assertVisible(row.supplierId, 'Invoice');
    return {
      status: row.status,
      heldFrom: row.heldFrom,
      submittedBy: row.submittedBy,
      firstApprovedBy: row.firstApprovedBy,
      firstApprovedAt: row.firstApprovedAt ? row.firstApprovedAt.toISOString() : null,
      approvedBy: row.approvedBy,
      approvedAt: row.approvedAt && row.approvedBy ? row.approvedAt.toISOString() : null,
      secondApprovalRequired: row.secondApprovalRequired,
      approvableOre: row.approvableOre,
      netOre: row.netOre,
    };
  }

  /** Per supplier: invoices and credit notes issued in from..to (drafts left out), with their error and warning counts. */
  issuedCounts(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<IssuedCounts[]> {
    return this.invoiceStore.issuedCounts(manager, from, to);
  }

  /** Per supplier and quarter of the issue date: findings and session minutes invoiced, decided and approved (supplier performance). */
  quarterQuality(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<QuarterQuality[]> {
    return this.invoiceStore.quarterQuality(manager, from, to);
  }

  /** The weeks of a year without minimum contact, per supplier and grant, as the invoices' findings name them (rejected invoices and drafts left out). */
  contactGapsOfYear(manager: EntityManager, year: number): Promise<Array<ContactGap & { supplierId: string }>> {
    return this.invoiceStore.contactGapsOfYear(manager, year);
  }

  /**
   * An e-invoice's order reference and buyer reference (Peppol BuyerReference, OIOUBL's person reference), where
   * they name a grant (MS-YYYY-NNNNNN), must name one of the supplier's grants: an invoice quoting another's
   * grant is refused whole. A reference that is no grant reference (a purchase order, a name) is information.
   */
  private async checkReferences(received: ReceivedInvoice, supplierId: string): Promise<void> {
    const named = [
      { field: 'orderReference', reference: received.orderReference ?? null },
      { field: 'buyer.reference', reference: received.buyer?.reference ?? null },
    ].filter((r): r is { field: string; reference: string } => r.reference !== null && GRANT_REFERENCE.test(r.reference));
    if (named.length === 0) return;
    const own = new Set((await this.grants.invoicingFacts(this.dataSource.manager, named.map((r) => r.reference))).filter((g) => g.supplierId === supplierId).map((g) => g.reference));
    const foreign = named.filter((r) => !own.has(r.reference));
    if (foreign.length === 0) return;
    throw DomainException.rule(
      'The e-invoice’s reference is not one of your grants',
      foreign.map((r) => ({ field: r.field, rule: 'order_reference', message: `the reference ${r.reference} is not one of your grants`, values: { reference: r.reference } })),
    );
  }

  private async resolveSupplier(received: ReceivedInvoice, requestedSupplierId: string | null, scope: AccessScope) {
    if (scope.isSupplier) {
      // Refused first: a deactivated supplier learns nothing more about what it sent.
      const own = await this.suppliers.ownForWrite(scope);
      const { cvr, gln } = received.seller;
      // The seller on a file is found by the rule finance's upload uses (endpoint GLN, then CVR); it must be the user's own.
      const seller = cvr || gln ? await this.suppliers.findByIdentifier(received.seller) : own;
      if (seller?.id !== own.id) {
        throw DomainException.rule('The invoice is from another seller', [
          { field: 'seller', rule: 'seller_is_you', message: `the seller on the invoice (${cvr ? `CVR ${cvr}` : `GLN ${gln}`}) is not your organisation`, values: { cvr: cvr ?? null, gln: gln ?? null } },
        ]);
      }
      return own;
    }
    if (requestedSupplierId) return this.suppliers.get(requestedSupplierId, scope);
    const found = await this.suppliers.findByIdentifier(received.seller);
    if (!found) {
      throw DomainException.rule('The seller is not a known supplier', [
        { field: 'seller', rule: 'seller_known', message: `no active supplier has CVR ${received.seller.cvr ?? '–'} or GLN ${received.seller.gln ?? '–'}; give supplierId`, values: { cvr: received.seller.cvr, gln: received.seller.gln } },
      ]);
    }
    return found;
  }
}

/** An invoice's four-eyes facts with the times of its approvals (ISO instants). */
export type ApprovalRecord = ApprovalFacts & { firstApprovedAt: string | null; approvedAt: string | null };

/** An invoice as the API answers it, its findings told from the catalogue (a text stored with an older finding is not read). */
export function invoiceDto(row: InvoiceRow, supplierName: string, catalogues: Catalogues, deliveries?: DeliveryRow[]): InvoiceDto {
  return {
    id: row.id,
    supplierId: row.supplierId,
    supplierName,
    invoiceNumber: row.invoiceNumber,
    documentType: row.documentType,
    source: row.source,
    issueDate: row.issueDate,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    currency: row.currency,
    vatBasisPoints: row.vatBasisPoints,
    netOre: row.netOre,
    vatOre: row.vatOre,
    totalOre: row.totalOre,
    approvableOre: row.approvableOre,
    approvedOre: row.approvedOre,
    status: row.status,
    errorCount: row.errorCount,
    warningCount: row.warningCount,
    findings: row.findings.map((finding) => findingWithText(catalogues, finding)),
    billingReferences: row.billingReferences,
    secondApprovalRequired: row.secondApprovalRequired,
    firstApprovalGiven: row.firstApprovedBy !== null,
    rejectionReason: row.rejectionReason,
    createdAt: row.createdAt.toISOString(),
    approvedAt: row.approvedAt ? row.approvedAt.toISOString() : null,
    paidOn: row.paidOn,
    ...(deliveries ? { lines: deliveries.map((d) => lineDto(d, catalogues)) } : {}),
  };
}

function lineDto(d: DeliveryRow, catalogues: Catalogues): InvoiceLineDto {
  return {
    id: d.id,
    lineNo: d.lineNo,
    kind: d.kind,
    grantReference: d.grantReference,
    date: d.date,
    minutes: d.minutes,
    contactForm: d.contactForm,
    transport: d.transport,
    rateOre: d.rateOre,
    amountOre: d.amountOre,
    approvableOre: d.approvableOre,
    approvedOre: d.approvedOre,
    status: d.status,
    description: d.description,
    findings: d.findings.map((finding) => findingWithText(catalogues, finding, d)),
  };
}
