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
import { EmployeeRatesService } from '../suppliers/employee-rates.service';
import { InvoicesErrorCode } from './invoices.errors';
import { lineAmountOre } from './invoice-amounts';
import { monthAsReceivedInvoice, registrationDateProblems, selfBillingNumber } from './hour-registration.rules';
import { invoiceContentHash } from './invoice-lifecycle.rules';
import { InvoiceRecorder, type IntakeSupplier } from './invoice-recorder.service';
import { DeliveryStore } from './delivery.store';
import { InvoiceStore } from './invoice.store';
import type { CreateHourRegistrationDto, InvoiceDto } from './invoices.dto';
import { InvoicesService } from './invoices.service';
import { Clock } from '../common/time/clock';

/**
 * Hour registration (timeregistrering) for partner companies: the company's mentor registers sessions
 * per grant; they are the same deliveries under the same validation, collected in the month's
 * self-billing draft, which the company submits for approval when the month is done. The month is then a
 * received invoice like any other, through the same business rules and the same persist step (InvoiceRecorder).
 */
@Injectable()
export class HourRegistrationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly recorder: InvoiceRecorder,
    private readonly grants: GrantsService,
    private readonly agreements: AgreementsService,
    private readonly suppliers: SuppliersService,
    private readonly invoices: InvoicesService,
    private readonly clock: Clock,
    private readonly invoiceStore: InvoiceStore,
    private readonly deliveryStore: DeliveryStore,
    private readonly employeeRates: EmployeeRatesService,
  ) {}

  async register(body: CreateHourRegistrationDto, scope: AccessScope, actor: Actor): Promise<InvoiceDto> {
    const supplier = await this.partnerCompany(scope, 'write');
    const supplierId = supplier.id;
    const grant = await this.grants.get(body.grantId, scope);
    const problems = registrationDateProblems(body.date, { today: this.clock.today(), grantStart: grant.start });
    if (problems.length > 0) throw DomainException.rule('The session cannot be registered on this day', problems);
    const employee = body.employeeRef ? await this.employeeOn(grant.agreementId, body.employeeRef, body.date) : null;
    const month = monthOf(body.date);
    const invoiceId = await this.dataSource.transaction(async (manager) => {
      await this.invoiceStore.lockSupplierInvoicing(manager, supplierId);
      const draft = await this.draftFor(manager, supplierId, month, actor);
      const terms = (await this.agreements.invoicingTerms(manager, [grant.agreementId])).get(grant.agreementId);
      const rate = terms ? rateInForce(terms.rates, grant.mentorType, grant.serviceLevel, body.date) : null;
      // Named employee: priced at the employee's rate in force on the day unless the company states its own.
      const rateOre = body.rateOre ?? employee?.rateOre ?? rate?.rateOre ?? 0;
      const next = await this.deliveryStore.nextLineNo(manager, draft);
      await this.deliveryStore.insert(manager, draft, supplierId, [
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
          employeeRef: employee?.ref ?? null,
          employeeRateOre: employee?.rateOre ?? null,
        },
      ]);
      await this.recordMonth(manager, draft, supplier, month, actor, null);
      await this.audit.record(manager, actor, { action: 'hour_registration.created', entityType: 'invoice', entityId: draft, change: { grantReference: grant.reference, date: body.date, minutes: body.minutes, lineNo: next, ...(employee ? { employeeRef: employee.ref, rateOre } : {}) } });
      return draft;
    });
    return this.invoices.get(invoiceId, scope);
  }

  /** The month's self-billing draft (or submitted invoice) with its registrations, or null. */
  async month(month: CalendarMonth, scope: AccessScope): Promise<InvoiceDto | null> {
    const { id: supplierId } = await this.partnerCompany(scope, 'read');
    const row = await this.invoiceStore.byNumber(this.dataSource.manager, supplierId, selfBillingNumber(month));
    return row ? this.invoices.get(row.id, scope) : null;
  }

  async remove(deliveryId: string, scope: AccessScope, actor: Actor): Promise<void> {
    const supplier = await this.partnerCompany(scope, 'write');
    const supplierId = supplier.id;
    await this.dataSource.transaction(async (manager) => {
      await this.invoiceStore.lockSupplierInvoicing(manager, supplierId);
      const row = await this.deliveryStore.registration(manager, deliveryId, supplierId);
      if (!row) throw DomainException.notFound('Hour registration');
      if (!(await this.deliveryStore.deleteDraft(manager, deliveryId))) throw DomainException.conflict('The month is submitted; its registrations can no longer change', [{ field: 'status', rule: 'draft_only', message: 'only registrations of a month not yet submitted can be removed' }]);
      await this.recordMonth(manager, row.invoiceId, supplier, row.invoiceNumber.slice(3), actor, null);
      await this.audit.record(manager, actor, { action: 'hour_registration.removed', entityType: 'invoice', entityId: row.invoiceId, change: { grantReference: row.grantReference, date: row.date, minutes: row.minutes } });
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
      await this.invoiceStore.lockSupplierInvoicing(manager, supplierId);
      const draftId = await this.invoiceStore.draftByNumberForUpdate(manager, supplierId, selfBillingNumber(month));
      const draft = draftId === null ? null : { id: draftId };
      if (!draft) throw DomainException.conflict('There is no open draft for the month', [{ field: 'month', rule: 'draft_exists', message: `no registrations of ${month} wait to be submitted`, values: { month } }]);
      await this.recordMonth(manager, draft.id, supplier, month, actor, today);
      return draft.id;
    });
    return this.invoices.get(id, scope);
  }

  /** The employee's rate in force on the day; a session naming an employee without one is refused. */
  private async employeeOn(agreementId: string, employeeRef: string, date: string): Promise<{ ref: string; rateOre: number }> {
    const rate = await this.employeeRates.rateOn(agreementId, employeeRef, date);
    if (!rate) {
      throw DomainException.rule('The employee has no rate on that day', [{ field: 'employeeRef', rule: InvoicesErrorCode.EmployeeRateMissing, message: `the employee ${employeeRef} has no rate on the agreement on ${date}`, values: { employeeRef, date } }]);
    }
    return { ref: rate.employeeRef, rateOre: rate.rateOre };
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
    const existing = await this.invoiceStore.byNumber(manager, supplierId, number);
    if (existing && existing.status !== 'draft') {
      throw DomainException.conflict('The month is already submitted', [{ field: 'date', rule: 'month_open', message: `the registrations of ${month} are submitted; a later correction is a credit in a later month`, values: { month } }]);
    }
    if (existing) return existing.id;
    const created = { id: await this.invoiceStore.insertDraft(manager, supplierId, number, this.clock.today(), { from: firstDayOfMonth(month), to: lastDayOfMonth(month) }, actor.userId) };
    await this.audit.record(manager, actor, { action: 'invoice.draft_opened', entityType: 'invoice', entityId: created.id, change: { invoiceNumber: number, month } });
    return created.id;
  }

  /**
   * The month's registrations as a received invoice, through the business rules (a week's sum changes with each
   * registration) into the one persist step: onto the draft, or, submitted on `submittedOn`, as the month's
   * self-billing invoice for finance.
   */
  private async recordMonth(manager: EntityManager, invoiceId: string, supplier: IntakeSupplier, month: CalendarMonth, actor: Actor, submittedOn: string | null): Promise<void> {
    const deliveries = await this.deliveryStore.ofInvoice(manager, invoiceId);
    if (submittedOn !== null && deliveries.length === 0) {
      throw DomainException.rule('The month has no registrations', [{ field: 'month', rule: 'not_empty', message: `register sessions in ${month} before submitting it` }]);
    }
    const received = monthAsReceivedInvoice(month, submittedOn ?? this.clock.today(), deliveries);
    const validated = await this.recorder.validate(manager, supplier, received, { invoiceId, seq: await this.invoiceStore.seq(manager, invoiceId) });
    const submit = submittedOn === null ? null : { contentHash: invoiceContentHash(received) };
    await this.recorder.record(manager, supplier.id, validated, { kind: 'draft', invoiceId, deliveries, submit }, actor);
  }
}
