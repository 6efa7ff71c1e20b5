import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import type { CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { BusinessResponsesService } from './business-responses.service';
import { holdIsDue, holdProblem, isHoldable } from './invoice-hold.rules';
import { InvoiceThreadStore } from './invoice-thread.store';
import { InvoiceStore, type InvoiceRow } from './invoice.store';
import type { InvoiceDto } from './invoices.dto';
import { InvoicesService } from './invoices.service';

/**
 * Finance's hold (tilbageholdelse): a held invoice is neither approved nor billed until it is released, by
 * finance or, once its release date has come, by the system (the daily release job, and every billing run
 * before it reads what to bill). The release returns the invoice to the state it was held from; an approved
 * invoice's sessions then go on the next statement (a closed month's on the next open one), each once.
 */
@Injectable()
export class InvoiceHoldsService {
  private readonly logger = new Logger(InvoiceHoldsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly invoiceStore: InvoiceStore,
    private readonly threads: InvoiceThreadStore,
    private readonly invoices: InvoicesService,
    private readonly responses: BusinessResponsesService,
    private readonly notifications: NotificationEvents,
  ) {}

  async hold(id: string, command: { reason: string; releaseOn: CalendarDate }, actor: Actor): Promise<InvoiceDto> {
    const reason = command.reason.trim();
    await this.dataSource.transaction(async (manager) => {
      const invoice = await this.locked(manager, id);
      const role = actor.role as TransitionRole;
      if (!isHoldable(invoice.status)) this.invoiceStore.assertTransition(invoice.status, 'held', role);
      const problem = holdProblem(command.releaseOn, this.clock.today());
      if (problem) throw DomainException.rule('The invoice cannot be held to that date', [problem]);
      this.invoiceStore.assertTransition(invoice.status, 'held', role);
      if (!(await this.invoiceStore.transition(manager, id, invoice.status, { to: 'held' }, role))) throw changedMeanwhile();
      await this.threads.insertHold(manager, { invoiceId: id, supplierId: invoice.supplierId, reason, releaseOn: command.releaseOn, heldBy: actor.userId as string });
      await this.threads.addEntry(manager, { invoiceId: id, supplierId: invoice.supplierId, lineNo: null, kind: 'held', authorUserId: actor.userId, side: 'finance', comment: reason });
      await this.audit.record(manager, actor, { action: 'invoice.held', entityType: 'invoice', entityId: id, change: { status: { from: invoice.status, to: 'held' }, reason, releaseOn: command.releaseOn } });
      await this.responses.record(manager, id, 'held', reason);
      // The supplier is told; the reason stays in the portal (it may name a citizen).
      const holds = await this.threads.holdsOf(manager, id);
      await this.notifications.publish(manager, [notificationEvent('invoice.held', `${id}:${holds.length}`, { invoiceId: id, invoiceNumber: invoice.invoiceNumber, supplierId: invoice.supplierId })]);
    });
    return this.invoices.get(id, AccessScope.unrestricted());
  }

  async release(id: string, actor: Actor): Promise<InvoiceDto> {
    await this.dataSource.transaction((manager) => this.releaseIn(manager, id, actor, 'manual'));
    return this.invoices.get(id, AccessScope.unrestricted());
  }

  /**
   * Releases every hold whose release date has come, each in its own transaction; how many it released. Run by
   * the daily job and by each billing run before it reads what to bill, so a passed release date never keeps
   * an invoice off a statement.
   */
  async releaseDue(today: CalendarDate = this.clock.today()): Promise<number> {
    let released = 0;
    for (const invoiceId of await this.threads.dueHolds(this.dataSource.manager, today, 10_000)) {
      await this.dataSource
        .transaction((manager) => this.releaseIn(manager, invoiceId, systemActor('hold-release'), 'automatic', today))
        .then(() => released++)
        .catch((error: unknown) => {
          // Released by finance meanwhile: nothing left to do for this one.
          if (!(error instanceof DomainException)) throw error;
        });
    }
    if (released > 0) this.logger.log(`released ${released} holds due by ${today}`);
    return released;
  }

  private async releaseIn(manager: EntityManager, id: string, actor: Actor, kind: 'manual' | 'automatic', today?: CalendarDate): Promise<void> {
    const invoice = await this.locked(manager, id);
    const role = actor.role as TransitionRole;
    const hold = await this.threads.activeHold(manager, id);
    if (invoice.status !== 'held' || invoice.heldFrom === null || hold === null) {
      throw DomainException.conflict(`The invoice is ${invoice.status}, not held`, [{ field: 'status', rule: 'invoice_transition', message: `an invoice that is ${invoice.status} cannot be released; only a held invoice can`, values: { from: invoice.status, to: 'released' } }]);
    }
    if (kind === 'automatic' && !holdIsDue(hold.releaseOn, today as CalendarDate)) return;
    if (!(await this.invoiceStore.transition(manager, id, 'held', { to: invoice.heldFrom, released: true }, role))) throw changedMeanwhile();
    if (!(await this.threads.releaseHold(manager, hold.id, actor.userId, kind, role))) throw changedMeanwhile();
    await this.threads.addEntry(manager, { invoiceId: id, supplierId: invoice.supplierId, lineNo: null, kind: 'released', authorUserId: actor.userId, side: kind === 'manual' ? 'finance' : 'system', comment: null });
    await this.audit.record(manager, actor, { action: 'invoice.released', entityType: 'invoice', entityId: id, change: { status: { from: 'held', to: invoice.heldFrom }, kind, releaseOn: hold.releaseOn } });
    await this.responses.record(manager, id, 'released');
  }

  private async locked(manager: EntityManager, id: string): Promise<InvoiceRow> {
    const peek = await this.invoiceStore.get(manager, id);
    if (!peek) throw DomainException.notFound('Invoice');
    await this.invoiceStore.lockSupplierInvoicing(manager, peek.supplierId);
    return (await this.invoiceStore.get(manager, id, true)) as InvoiceRow;
  }
}

function changedMeanwhile(): DomainException {
  return DomainException.conflict('The invoice was changed by someone else meanwhile; reload it', [{ field: 'status', rule: 'concurrent_change', message: 'the invoice is no longer in the state this step was decided on' }]);
}
