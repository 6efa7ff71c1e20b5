import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { GrantsService } from '../grants/grants.service';
import { RulesService } from '../rules/rules.service';
import { AgreementsService } from '../suppliers/agreements.service';
import { contactGaps } from './contact-gap.rules';
import { InvoiceFactsService } from './invoice-facts.service';
import { approvalStep, approvedLineStatus, canReject } from './invoice-lifecycle.rules';
import { DeliveryStore, type DeliveryRow } from './delivery.store';
import { storedLogParts } from './session-log.rules';
import { InvoiceStore, type InvoiceRow } from './invoice.store';
import type { Finding } from './finding';
import type { InvoiceDto } from './invoices.dto';
import { InvoicesService } from './invoices.service';
import { BusinessResponsesService } from './business-responses.service';
import { InvoiceDisputesService } from './invoice-disputes.service';

/**
 * Finance's review: approve (four eyes, a second approver above the rule set's threshold, only the
 * approvable amounts) or reject with a reason the supplier sees. Every step is a conditional update
 * from the state it was decided on, audited in its transaction.
 */
@Injectable()
export class InvoiceReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly facts: InvoiceFactsService,
    private readonly rules: RulesService,
    private readonly agreements: AgreementsService,
    private readonly grants: GrantsService,
    private readonly invoices: InvoicesService,
    private readonly invoiceStore: InvoiceStore,
    private readonly deliveryStore: DeliveryStore,
    private readonly notifications: NotificationEvents,
    private readonly disputes: InvoiceDisputesService,
    private readonly responses: BusinessResponsesService,
  ) {}

  async approve(id: string, actor: Actor, expectedApprovableOre?: number): Promise<InvoiceDto> {
    const approverId = actor.userId as string;
    await this.dataSource
      .transaction(async (manager) => {
        const invoice = await this.lockedInvoice(manager, id);
        const deliveries = await this.deliveryStore.ofInvoice(manager, id);
        // Fresh numbers: a grant ended or another invoice approved since intake changes what can be paid.
        const fresh = await this.revalidate(manager, invoice, deliveries);
        const approvableOre = fresh.reduce((sum, line) => sum + line.approvableOre, 0);
        if (expectedApprovableOre !== undefined && expectedApprovableOre !== approvableOre) {
          throw DomainException.conflict('The approvable amount has changed since you looked; review the invoice again', [
            { field: 'expectedApprovableOre', rule: 'numbers_changed', message: `the approvable amount is now ${approvableOre} øre, not ${expectedApprovableOre}`, values: { approvableOre, expectedApprovableOre } },
          ]);
        }
        const ruleSet = await this.rules.valuesInForce(invoice.periodTo, manager);
        const decision = approvalStep(
          { status: invoice.status, submittedBy: invoice.submittedBy, firstApprovedBy: invoice.firstApprovedBy, netOre: Math.abs(invoice.netOre), approvableOre: Math.abs(approvableOre), secondApproverThresholdOre: ruleSet.secondApproverThresholdOre },
          approverId,
        );
        if (!decision.ok) {
          throw decision.conflict ? DomainException.conflict('The invoice cannot be approved now', [decision.detail]) : DomainException.rule('The invoice cannot be approved by you', [decision.detail]);
        }
        if (decision.step.kind === 'first_approval') {
          assertWon(await this.invoiceStore.transition(manager, id, invoice.status, { to: 'validated', firstApprovedBy: approverId }, actor.role as TransitionRole));
          await this.audit.record(manager, actor, { action: 'invoice.first_approval', entityType: 'invoice', entityId: id, change: { approvableOre, totalOre: invoice.totalOre, thresholdOre: ruleSet.secondApproverThresholdOre } });
          return;
        }
        await this.finalApproval(manager, invoice, deliveries, fresh, decision.step.status, actor);
      })
      .catch(rethrowPaidTwice);
    return this.invoices.get(id, AccessScope.unrestricted());
  }

  async reject(id: string, reason: string, actor: Actor): Promise<InvoiceDto> {
    await this.dataSource.transaction(async (manager) => {
      const invoice = await this.lockedInvoice(manager, id);
      if (!canReject(invoice.status)) {
        throw DomainException.conflict('The invoice cannot be rejected now', [{ field: 'status', rule: 'awaiting_approval', message: `the invoice is ${invoice.status}; only a validated invoice can be rejected`, values: { status: invoice.status } }]);
      }
      const role = actor.role as TransitionRole;
      assertWon(await this.invoiceStore.transition(manager, id, invoice.status, { to: 'rejected', reason: reason.trim(), rejectedBy: actor.userId }, role));
      await this.deliveryStore.transitionOfInvoice(manager, id, ['pending'], 'rejected', role);
      await this.moveConsumption(manager, invoice, await this.deliveryStore.ofInvoice(manager, id), 'rejected', () => 0);
      // A rejected invoice's weeks without contact no longer count.
      await this.invoiceStore.replaceContactGaps(manager, id, invoice.supplierId, []);
      await this.disputes.resolveByDecision(manager, invoice, 'rejected');
      await this.responses.record(manager, id, 'rejected', reason.trim());
      await this.audit.record(manager, actor, { action: 'invoice.rejected', entityType: 'invoice', entityId: id, change: { status: { from: invoice.status, to: 'rejected' }, reason: reason.trim() } });
      // The supplier is told; the reason stays in the portal (it may name a citizen). A credit note's texts are not written yet.
      if (invoice.documentType === 'invoice') await this.notifications.publish(manager, [notificationEvent('invoice.rejected', id, { invoiceId: id, invoiceNumber: invoice.invoiceNumber, supplierId: invoice.supplierId })]);
    });
    return this.invoices.get(id, AccessScope.unrestricted());
  }

  private async finalApproval(manager: EntityManager, invoice: InvoiceRow, deliveries: DeliveryRow[], fresh: FreshLine[], status: 'approved' | 'partly_approved', actor: Actor): Promise<void> {
    const byId = new Map(fresh.map((line) => [line.id, line]));
    const updates = deliveries.map((d) => {
      const line = byId.get(d.id) as FreshLine;
      const lineStatus = approvedLineStatus(d.amountOre, line.approvableOre);
      return { id: d.id, from: d.status, approvableOre: line.approvableOre, approvedOre: lineStatus === 'rejected' ? null : line.approvableOre, status: lineStatus, findings: line.findings };
    });
    const role = actor.role as TransitionRole;
    assertWon(await this.deliveryStore.transition(manager, updates, role));
    // A credit note's approval takes the deliveries it reverses out of payment.
    const credited = deliveries.filter((d, i) => d.kind === 'credit' && d.creditsDeliveryId !== null && updates[i].status !== 'rejected').map((d) => d.creditsDeliveryId as string);
    assertWon(await this.deliveryStore.transitionMany(manager, credited, ['approved', 'partly_approved'], 'credited', role));
    const approvedOre = updates.reduce((sum, u) => sum + (u.approvedOre ?? 0), 0);
    const finalStatus = status === 'approved' && updates.every((u) => u.status === 'approved') ? 'approved' : 'partly_approved';
    assertWon(await this.invoiceStore.transition(manager, invoice.id, invoice.status, { to: finalStatus, approvedOre, approvedBy: actor.userId }, role));
    // The lines' findings are fresh: the contact gaps follow them.
    await this.invoiceStore.replaceContactGaps(manager, invoice.id, invoice.supplierId, contactGaps(invoice.findings, deliveries.map((d, i) => ({ grantReference: d.grantReference, findings: updates[i].findings }))));
    const approvedById = new Map(updates.map((u) => [u.id, u.approvedOre ?? 0]));
    await this.moveConsumption(manager, invoice, deliveries, 'approved', (d) => approvedById.get(d.id) ?? 0);
    await this.audit.record(manager, actor, {
      action: 'invoice.approved',
      entityType: 'invoice',
      entityId: invoice.id,
      change: { status: { from: invoice.status, to: finalStatus }, approvedOre, netOre: invoice.netOre, lines: updates.length, linesRejected: updates.filter((u) => u.status === 'rejected').length, credited },
    });
    await this.disputes.resolveByDecision(manager, invoice, 'approved');
    await this.responses.record(manager, invoice.id, finalStatus);
    // The supplier is told of a decided invoice (a credit note's texts are not written yet).
    if (invoice.documentType === 'invoice') {
      const told = { invoiceId: invoice.id, invoiceNumber: invoice.invoiceNumber, supplierId: invoice.supplierId, approvedOre };
      await this.notifications.publish(manager, [
        finalStatus === 'approved' ? notificationEvent('invoice.approved', invoice.id, told) : notificationEvent('invoice.partly_approved', invoice.id, { ...told, totalOre: invoice.netOre }),
      ]);
    }
  }

  /** Releases what the invoice held as pending on its agreements and books what was approved (a credit note: takes it back). */
  private async moveConsumption(manager: EntityManager, invoice: InvoiceRow, deliveries: DeliveryRow[], step: 'approved' | 'rejected', approvedOf: (d: DeliveryRow) => number): Promise<void> {
    const agreementOf = await this.agreementByGrant(manager, deliveries);
    const approved = groupSum(deliveries, (d) => agreementOf.get(d.grantReference), approvedOf);
    if (invoice.documentType === 'credit_note') {
      const entries = [...approved].map(([agreementId, approvedOre]) => ({ agreementId, kind: 'credited' as const, invoiceId: invoice.id, pendingDeltaOre: 0, approvedDeltaOre: approvedOre }));
      await this.agreements.recordConsumption(manager, entries);
      return;
    }
    const pending = groupSum(deliveries, (d) => agreementOf.get(d.grantReference), (d) => d.approvableOre);
    const entries = [...new Set([...pending.keys(), ...approved.keys()])].map((agreementId) => ({
      agreementId,
      kind: step,
      invoiceId: invoice.id,
      pendingDeltaOre: -(pending.get(agreementId) ?? 0),
      approvedDeltaOre: approved.get(agreementId) ?? 0,
    }));
    await this.agreements.recordConsumption(manager, entries);
  }

  private async agreementByGrant(manager: EntityManager, deliveries: DeliveryRow[]): Promise<Map<string, string>> {
    const own = deliveries.filter((d) => d.grantId !== null);
    const grants = await this.grants.invoicingFacts(manager, [...new Set(own.map((d) => d.grantReference))]);
    return new Map(grants.map((g) => [g.reference, g.agreementId]));
  }

  private async revalidate(manager: EntityManager, invoice: InvoiceRow, deliveries: DeliveryRow[]): Promise<FreshLine[]> {
    if (invoice.documentType === 'credit_note') return deliveries.map((d) => ({ id: d.id, approvableOre: d.approvableOre, findings: d.findings }));
    const agreementOf = await this.agreementByGrant(manager, deliveries);
    const pendingByAgreement = groupSum(deliveries, (d) => agreementOf.get(d.grantReference), (d) => d.approvableOre);
    const supplier = { vatRegistered: invoice.vatBasisPoints > 0 };
    const logParts = storedLogParts(deliveries);
    const outcome = await this.facts.validate(manager, {
      supplierId: invoice.supplierId,
      lines: deliveries.map((d) => {
        const fromLog = logParts.get(d.lineNo);
        return { index: d.lineNo, grantReference: d.grantReference, date: d.date, minutes: d.minutes, rateOre: d.rateOre, amountOre: d.amountOre, ...(fromLog ? { fromLog } : {}) };
      }),
      period: { from: invoice.periodFrom, to: invoice.periodTo },
      vatRegistered: supplier.vatRegistered,
      stored: { invoiceId: invoice.id, seq: invoice.seq, pendingByAgreement },
    });
    const byLine = new Map(outcome.validation.lines.map((line) => [line.index, line]));
    return deliveries.map((d) => {
      const line = byLine.get(d.lineNo);
      // A delivery credited meanwhile is not paid.
      if (d.status === 'credited' || !line) return { id: d.id, approvableOre: 0, findings: d.findings };
      return { id: d.id, approvableOre: line.approvableOre, findings: line.findings };
    });
  }

  private async lockedInvoice(manager: EntityManager, id: string): Promise<InvoiceRow> {
    const peek = await this.invoiceStore.get(manager, id);
    if (!peek) throw DomainException.notFound('Invoice');
    await this.invoiceStore.lockSupplierInvoicing(manager, peek.supplierId);
    return (await this.invoiceStore.get(manager, id, true)) as InvoiceRow;
  }
}

// A transition that found its invoice or delivery no longer in the state it was decided on lost to another writer.
function assertWon(won: boolean): void {
  if (!won) throw DomainException.conflict('The invoice was changed by someone else meanwhile; reload it', [{ field: 'status', rule: 'concurrent_change', message: 'the invoice is no longer in the state this step was decided on' }]);
}

interface FreshLine {
  id: string;
  approvableOre: number;
  findings: Finding[];
}

function groupSum(deliveries: DeliveryRow[], keyOf: (d: DeliveryRow) => string | undefined, valueOf: (d: DeliveryRow) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const d of deliveries) {
    const key = keyOf(d);
    if (key === undefined) continue;
    sums.set(key, (sums.get(key) ?? 0) + valueOf(d));
  }
  return sums;
}

function rethrowPaidTwice(error: unknown): never {
  const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  if (driver?.code === '23505' && driver.constraint === 'delivery_paid_once') {
    throw DomainException.conflict('A delivery on this invoice is already paid on another invoice', [
      { field: 'lines', rule: 'paid_once', message: 'the same grant, date and minutes are already approved on another invoice; a delivery is paid at most once' },
    ]);
  }
  throw error;
}
