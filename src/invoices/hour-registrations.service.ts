import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { compareDates, firstDayOfMonth, lastDayOfMonth, monthOf, type CalendarMonth } from '../common/time/calendar-date';
import { GrantsService } from '../grants/grants.service';
import { AgreementsService } from '../suppliers/agreements.service';
import { rateInForce } from '../suppliers/rate-card.rules';
import { SuppliersService } from '../suppliers/suppliers.service';
import { lineAmountOre, vatOre } from './invoice-amounts';
import { registrationDateProblems } from './hour-registration.rules';
import { InvoiceFactsService } from './invoice-facts.service';
import { invoiceContentHash } from './invoice-lifecycle.rules';
import { deliveriesOf, insertDeliveries, lockSupplierInvoicing, updateDeliveries, type DeliveryRow } from './invoice-store';
import type { CreateHourRegistrationDto, InvoiceDto } from './invoices.dto';
import { InvoicesService } from './invoices.service';
import { Clock } from '../common/time/clock';

/** The self-billing draft of a partner company for a month; its number says what it is. */
export const selfBillingNumber = (month: CalendarMonth): string => `SB-${month}`;

/**
 * Hour registration (timeregistrering) for partner companies: the company's mentor registers sessions
 * per grant; they are the same deliveries under the same validation, collected in the month's
 * self-billing draft, which the company submits for approval when the month is done.
 */
@Injectable()
export class HourRegistrationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly facts: InvoiceFactsService,
    private readonly grants: GrantsService,
    private readonly agreements: AgreementsService,
    private readonly suppliers: SuppliersService,
    private readonly invoices: InvoicesService,
    private readonly clock: Clock,
  ) {}

  async register(body: CreateHourRegistrationDto, scope: AccessScope, actor: Actor): Promise<InvoiceDto> {
    const supplier = await this.partnerCompany(scope, 'write');
    const supplierId = supplier.id;
    const grant = await this.grants.get(body.grantId, scope);
    const problems = registrationDateProblems(body.date, { today: this.clock.today(), grantStart: grant.start });
    if (problems.length > 0) throw DomainException.rule('The session cannot be registered on this day', problems);
    const month = monthOf(body.date);
    const invoiceId = await this.dataSource.transaction(async (manager) => {
      await lockSupplierInvoicing(manager, supplierId);
      const draft = await this.draftFor(manager, supplierId, month, actor);
      const terms = (await this.agreements.invoicingTerms(manager, [grant.agreementId])).get(grant.agreementId);
      const rate = terms ? rateInForce(terms.rates, grant.mentorType, grant.serviceLevel, body.date) : null;
      const rateOre = rate?.rateOre ?? 0;
      const [{ next }] = (await manager.query(`SELECT COALESCE(MAX(line_no), 0) + 1 AS next FROM delivery WHERE invoice_id = $1`, [draft])) as Array<{ next: number }>;
      await insertDeliveries(manager, draft, supplierId, [
        {
          lineNo: next,
          kind: 'session',
          grantId: grant.id,
          grantReference: grant.reference,
          date: body.date,
          minutes: body.minutes,
          contactForm: body.contactForm,
          transport: body.transport ?? null,
          rateOre,
          amountOre: lineAmountOre(body.minutes, rateOre),
          approvableOre: 0,
          status: 'draft',
          findings: [],
          description: body.description ?? null,
          creditsDeliveryId: null,
          registeredBy: actor.userId,
        },
      ]);
      await this.revalidateDraft(manager, draft, supplier, month);
      await this.audit.record(manager, actor, { action: 'hour_registration.created', entityType: 'invoice', entityId: draft, change: { grantReference: grant.reference, date: body.date, minutes: body.minutes, lineNo: next } });
      return draft;
    });
    return this.invoices.get(invoiceId, scope);
  }

  /** The month's self-billing draft (or submitted invoice) with its registrations, or null. */
  async month(month: CalendarMonth, scope: AccessScope): Promise<InvoiceDto | null> {
    const { id: supplierId } = await this.partnerCompany(scope, 'read');
    const [row] = (await this.dataSource.query(`SELECT id FROM invoice WHERE supplier_id = $1 AND invoice_number = $2`, [supplierId, selfBillingNumber(month)])) as Array<{ id: string }>;
    return row ? this.invoices.get(row.id, scope) : null;
  }

  async remove(deliveryId: string, scope: AccessScope, actor: Actor): Promise<void> {
    const supplier = await this.partnerCompany(scope, 'write');
    const supplierId = supplier.id;
    await this.dataSource.transaction(async (manager) => {
      await lockSupplierInvoicing(manager, supplierId);
      const [row] = (await manager.query(
        `SELECT d.invoice_id, d.grant_reference, d.delivered_on::text AS date, d.minutes, i.invoice_number FROM delivery d JOIN invoice i ON i.id = d.invoice_id
          WHERE d.id = $1 AND d.supplier_id = $2 AND i.source = 'registration'`,
        [deliveryId, supplierId],
      )) as Array<{ invoice_id: string; grant_reference: string; date: string; minutes: number; invoice_number: string }>;
      if (!row) throw DomainException.notFound('Hour registration');
      const [, affected] = (await manager.query(`DELETE FROM delivery WHERE id = $1 AND status = 'draft'`, [deliveryId])) as [unknown, number];
      if (affected !== 1) throw DomainException.conflict('The month is submitted; its registrations can no longer change', [{ field: 'status', rule: 'draft_only', message: 'only registrations of a month not yet submitted can be removed' }]);
      await this.revalidateDraft(manager, row.invoice_id, supplier, row.invoice_number.slice(3));
      await this.audit.record(manager, actor, { action: 'hour_registration.removed', entityType: 'invoice', entityId: row.invoice_id, change: { grantReference: row.grant_reference, date: row.date, minutes: row.minutes } });
    });
  }

  /** Submits the month's registrations as a self-billing invoice for finance to approve. */
  async submit(month: CalendarMonth, scope: AccessScope, actor: Actor): Promise<InvoiceDto> {
    const supplier = await this.partnerCompany(scope, 'write');
    const supplierId = supplier.id;
    const today = this.clock.today();
    if (compareDates(firstDayOfMonth(month), today) > 0) {
      throw DomainException.rule('The month has not begun', [{ field: 'month', rule: 'not_in_future', message: `${month} has not begun`, values: { month } }]);
    }
    const id = await this.dataSource.transaction(async (manager) => {
      await lockSupplierInvoicing(manager, supplierId);
      const [draft] = (await manager.query(`SELECT id FROM invoice WHERE supplier_id = $1 AND invoice_number = $2 AND status = 'draft' FOR UPDATE`, [supplierId, selfBillingNumber(month)])) as Array<{ id: string }>;
      if (!draft) throw DomainException.conflict('There is no open draft for the month', [{ field: 'month', rule: 'draft_exists', message: `no registrations of ${month} wait to be submitted`, values: { month } }]);
      const deliveries = await deliveriesOf(manager, draft.id);
      if (deliveries.length === 0) throw DomainException.rule('The month has no registrations', [{ field: 'month', rule: 'not_empty', message: `register sessions in ${month} before submitting it` }]);
      await this.revalidateDraft(manager, draft.id, supplier, month, true);
      const hash = invoiceContentHash({
        documentType: 'invoice',
        issueDate: today,
        billingReferences: [],
        totals: null,
        lines: deliveries.map((d) => ({ lineNo: d.lineNo, grantReference: d.grantReference, date: d.date, minutes: d.minutes, rateOre: d.rateOre, amountOre: d.amountOre, contactForm: d.contactForm, transport: d.transport, quantityText: '', unitCode: 'MIN', description: d.description })),
      });
      await manager.query(`UPDATE invoice SET status = 'validated', issue_date = $2, content_hash = $3, submitted_by = $4, validated_at = now(), updated_at = now() WHERE id = $1 AND status = 'draft'`, [draft.id, today, hash, actor.userId]);
      await this.audit.record(manager, actor, { action: 'invoice.validated', entityType: 'invoice', entityId: draft.id, change: { status: { from: 'draft', to: 'validated' }, month, lines: deliveries.length } });
      return draft.id;
    });
    return this.invoices.get(id, scope);
  }

  /** The partner company of the user; to write, it must be active (a deactivated one still reads its months). */
  private async partnerCompany(scope: AccessScope, purpose: 'read' | 'write'): Promise<{ id: string; vatRegistered: boolean }> {
    if (!scope.isSupplier) throw DomainException.forbidden('Hours are registered by a partner company’s own users');
    const supplier = purpose === 'write' ? await this.suppliers.ownForWrite(scope) : await this.suppliers.get(scope.supplierId as string, scope);
    if (supplier.kind !== 'partner_company') {
      throw DomainException.rule('Only partner companies register hours', [{ field: 'supplier', rule: 'partner_company', message: 'a mentor supplier invoices its hours; hour registration is for partner companies (self-billing)' }]);
    }
    return { id: supplier.id, vatRegistered: supplier.vatRegistered };
  }

  private async draftFor(manager: EntityManager, supplierId: string, month: CalendarMonth, actor: Actor): Promise<string> {
    const number = selfBillingNumber(month);
    const [existing] = (await manager.query(`SELECT id, status FROM invoice WHERE supplier_id = $1 AND invoice_number = $2`, [supplierId, number])) as Array<{ id: string; status: string }>;
    if (existing && existing.status !== 'draft') {
      throw DomainException.conflict('The month is already submitted', [{ field: 'date', rule: 'month_open', message: `the registrations of ${month} are submitted; a later correction is a credit in a later month`, values: { month } }]);
    }
    if (existing) return existing.id;
    const [created] = (await manager.query(
      `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                            net_ore, vat_ore, total_ore, approvable_ore, status, submitted_by)
       VALUES ($1, $2, 'invoice', 'registration', repeat('0', 64), $3, $4, $5, 0, 0, 0, 0, 0, 'draft', $6) RETURNING id`,
      [supplierId, number, this.clock.today(), firstDayOfMonth(month), lastDayOfMonth(month), actor.userId],
    )) as Array<{ id: string }>;
    await this.audit.record(manager, actor, { action: 'invoice.draft_opened', entityType: 'invoice', entityId: created.id, change: { invoiceNumber: number, month } });
    return created.id;
  }

  /** Every registration of the draft validated again (a week's sum changes with each one); totals follow. */
  private async revalidateDraft(manager: EntityManager, invoiceId: string, supplier: { id: string; vatRegistered: boolean }, month: CalendarMonth, submitting = false): Promise<void> {
    const supplierId = supplier.id;
    const deliveries = await deliveriesOf(manager, invoiceId);
    const [{ seq }] = (await manager.query(`SELECT seq::text AS seq FROM invoice WHERE id = $1`, [invoiceId])) as Array<{ seq: string }>;
    const outcome = await this.facts.validate(manager, {
      supplierId,
      lines: deliveries.map((d) => ({ index: d.lineNo, grantReference: d.grantReference, date: d.date, minutes: d.minutes, rateOre: d.rateOre, amountOre: d.amountOre })),
      period: { from: firstDayOfMonth(month), to: lastDayOfMonth(month) },
      vatRegistered: supplier.vatRegistered,
      // A draft holds nothing pending on its agreements until it is submitted.
      stored: { invoiceId, seq, pendingByAgreement: new Map() },
    });
    const byLine = new Map(outcome.validation.lines.map((line) => [line.index, line]));
    const status = submitting ? 'pending' : 'draft';
    await updateDeliveries(
      manager,
      deliveries.map((d: DeliveryRow) => ({ id: d.id, approvableOre: byLine.get(d.lineNo)?.approvableOre ?? 0, approvedOre: null, status, findings: byLine.get(d.lineNo)?.findings ?? [] })),
    );
    const findings = [...outcome.validation.findings, ...outcome.validation.lines.flatMap((line) => line.findings)];
    const net = deliveries.reduce((sum, d) => sum + d.amountOre, 0);
    const vat = vatOre(net, outcome.vatBasisPoints);
    const approvable = outcome.validation.lines.reduce((sum, line) => sum + line.approvableOre, 0);
    await manager.query(
      `UPDATE invoice SET net_ore = $2, vat_ore = $3, total_ore = $4, vat_basis_points = $5, approvable_ore = $6, findings = $7, error_count = $8, warning_count = $9, updated_at = now() WHERE id = $1`,
      [invoiceId, net, vat, net + vat, outcome.vatBasisPoints, approvable, JSON.stringify(outcome.validation.findings), findings.filter((f) => f.severity === 'error').length, findings.filter((f) => f.severity === 'warning').length],
    );
    if (submitting) {
      const agreementOf = new Map([...outcome.grants.values()].map((g) => [g.reference, g.agreementId]));
      const pending = new Map<string, number>();
      for (const d of deliveries) {
        const agreementId = agreementOf.get(d.grantReference);
        if (agreementId) pending.set(agreementId, (pending.get(agreementId) ?? 0) + (byLine.get(d.lineNo)?.approvableOre ?? 0));
      }
      await this.agreements.recordConsumption(
        manager,
        [...pending].map(([agreementId, amount]) => ({ agreementId, kind: 'submitted', invoiceId, pendingDeltaOre: amount, approvedDeltaOre: 0 })),
      );
    }
  }
}
