import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import { BusinessResponsesService, type BusinessResponseDto } from './business-responses.service';
import { DeliveryStore } from './delivery.store';
import { answerProblem, canAnswer, resolutionProblem, type Resolution } from './invoice-hold.rules';
import { InvoiceThreadStore, type ThreadKind } from './invoice-thread.store';
import { InvoiceStore, type InvoiceRow } from './invoice.store';

export interface InvoiceThreadDto {
  invoiceId: string;
  status: string;
  hold: { reason: string; releaseOn: string; heldAt: string } | null;
  lines: Array<{ lineNo: number; status: 'accepted' | 'disputed' | 'resolved'; resolution: Resolution | null }>;
  entries: Array<{ id: string; lineNo: number | null; kind: ThreadKind; side: 'supplier' | 'finance' | 'system'; comment: string | null; createdAt: string }>;
  response: BusinessResponseDto | null;
}

/**
 * The thread between supplier and finance on an invoice: the supplier answers a line's findings once (accepts
 * them, or disputes them with a comment), finance answers a disputed line and resolves it: by approving or
 * rejecting the invoice (which resolves every open dispute), or because the supplier sent a replacement
 * invoice or a credit note. Every step is a thread entry both sides see, audited in its transaction.
 */
@Injectable()
export class InvoiceDisputesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly invoiceStore: InvoiceStore,
    private readonly deliveryStore: DeliveryStore,
    private readonly threads: InvoiceThreadStore,
    private readonly responses: BusinessResponsesService,
    private readonly notifications: NotificationEvents,
  ) {}

  async thread(id: string, scope: AccessScope): Promise<InvoiceThreadDto> {
    const manager = this.dataSource.manager;
    const invoice = await this.visible(manager, id, scope);
    const [hold, answers, entries, response] = [await this.threads.activeHold(manager, id), await this.threads.answersOf(manager, id), await this.threads.thread(manager, id), await this.responses.latest(manager, id)];
    return {
      invoiceId: id,
      status: invoice.status,
      hold: hold ? { reason: hold.reason, releaseOn: hold.releaseOn, heldAt: hold.heldAt.toISOString() } : null,
      lines: answers.map((a) => ({ lineNo: a.lineNo, status: a.status, resolution: a.resolution })),
      entries: entries.map((e) => ({ id: e.id, lineNo: e.lineNo, kind: e.kind, side: e.side, comment: e.comment, createdAt: e.createdAt.toISOString() })),
      response,
    };
  }

  /** The supplier's answer to one line's findings: accept, or dispute with a comment. */
  async answer(id: string, lineNo: number, command: { answer: 'accept' | 'dispute'; comment?: string }, scope: AccessScope, actor: Actor): Promise<InvoiceThreadDto> {
    const comment = command.comment?.trim() || null;
    if (command.answer === 'dispute' && comment === null) {
      throw DomainException.rule('A dispute needs a comment', [{ field: 'comment', rule: 'comment_required', message: 'say why the finding is disputed' }]);
    }
    await this.dataSource.transaction(async (manager) => {
      const invoice = await this.locked(manager, id, scope);
      if (!canAnswer(invoice.status)) {
        throw DomainException.conflict(`The invoice is ${invoice.status}; its findings can no longer be answered`, [{ field: 'status', rule: 'awaiting_approval', message: `the invoice is ${invoice.status}; findings are answered before it is decided`, values: { status: invoice.status } }]);
      }
      const line = (await this.deliveryStore.ofInvoice(manager, id)).find((d) => d.lineNo === lineNo);
      const answered = (await this.threads.answersOf(manager, id)).some((a) => a.lineNo === lineNo);
      const problem = answerProblem(lineNo, line ? line.findings.filter((f) => f.severity !== 'info') : null, answered);
      if (problem) throw problem.rule === 'answered_once' ? DomainException.conflict('The line is already answered', [problem]) : problem.rule === 'line_exists' ? DomainException.notFound('Invoice line') : DomainException.rule('The line cannot be answered', [problem]);
      const status = command.answer === 'accept' ? 'accepted' : 'disputed';
      if (!(await this.threads.insertAnswer(manager, { invoiceId: id, supplierId: invoice.supplierId, lineNo, status, by: actor.userId as string }))) {
        throw DomainException.conflict('The line is already answered', [{ field: 'lineNo', rule: 'answered_once', message: `line ${lineNo} is already answered`, values: { lineNo } }]);
      }
      await this.threads.addEntry(manager, { invoiceId: id, supplierId: invoice.supplierId, lineNo, kind: status, authorUserId: actor.userId, side: 'supplier', comment });
      await this.audit.record(manager, actor, { action: `invoice.line_${status}`, entityType: 'invoice', entityId: id, change: { lineNo, comment } });
      if (status === 'disputed') {
        // Finance is told; the comment stays in the portal. One response "under query" while disputes are open.
        await this.notifications.publish(manager, [notificationEvent('invoice.disputed', `${id}:${lineNo}`, { invoiceId: id, invoiceNumber: invoice.invoiceNumber, supplierId: invoice.supplierId, lineNo })]);
        if ((await this.responses.latest(manager, id))?.responseCode !== 'UQ') await this.responses.record(manager, id, 'disputed', `Leverandøren gør indsigelse mod linje ${lineNo}`);
      }
    });
    return this.thread(id, scope);
  }

  /** Finance's answer to a disputed line, in the thread; the supplier is told. */
  async reply(id: string, lineNo: number, comment: string, scope: AccessScope, actor: Actor): Promise<InvoiceThreadDto> {
    await this.dataSource.transaction(async (manager) => {
      const invoice = await this.locked(manager, id, scope);
      const dispute = (await this.threads.answersOf(manager, id)).find((a) => a.lineNo === lineNo);
      if (!dispute || dispute.status !== 'disputed') {
        throw DomainException.conflict(`Line ${lineNo} has no open dispute`, [{ field: 'lineNo', rule: 'open_dispute', message: `line ${lineNo} is ${dispute?.status ?? 'not answered'}; only an open dispute is answered`, values: { lineNo } }]);
      }
      await this.threads.addEntry(manager, { invoiceId: id, supplierId: invoice.supplierId, lineNo, kind: 'answered', authorUserId: actor.userId, side: 'finance', comment: comment.trim() });
      await this.audit.record(manager, actor, { action: 'invoice.dispute_answered', entityType: 'invoice', entityId: id, change: { lineNo } });
      const replies = (await this.threads.thread(manager, id)).filter((e) => e.kind === 'answered').length;
      await this.notifications.publish(manager, [notificationEvent('invoice.dispute_answered', `${id}:${lineNo}:${replies}`, { invoiceId: id, invoiceNumber: invoice.invoiceNumber, supplierId: invoice.supplierId, lineNo })]);
    });
    return this.thread(id, scope);
  }

  /** Why the line cannot be resolved this way now, or null: the check the confirmation page makes before it offers the step. */
  async resolutionCheck(id: string, lineNo: number, resolution: Resolution, scope: AccessScope): Promise<DomainException | null> {
    const manager = this.dataSource.manager;
    const invoice = await this.visible(manager, id, scope);
    if ((await this.threads.answersOf(manager, id)).find((a) => a.lineNo === lineNo)?.status !== 'disputed') {
      return DomainException.conflict(`Line ${lineNo} has no open dispute`, [{ field: 'lineNo', rule: 'open_dispute', message: `line ${lineNo} has no open dispute`, values: { lineNo } }]);
    }
    const problem = resolutionProblem(resolution, await this.invoiceStore.referringDocuments(manager, invoice));
    return problem ? DomainException.rule('The dispute cannot be resolved that way', [problem]) : null;
  }

  /** Finance resolves a disputed line: approved, rejected, or by the supplier's replacement invoice or credit note. */
  async resolve(id: string, lineNo: number, command: { resolution: Resolution; comment?: string }, scope: AccessScope, actor: Actor): Promise<InvoiceThreadDto> {
    await this.dataSource.transaction(async (manager) => {
      const invoice = await this.locked(manager, id, scope);
      const problem = resolutionProblem(command.resolution, await this.invoiceStore.referringDocuments(manager, invoice));
      if (problem) throw DomainException.rule('The dispute cannot be resolved that way', [problem]);
      const resolved = await this.threads.resolve(manager, id, lineNo, command.resolution, actor.userId, actor.role as TransitionRole);
      if (resolved.length === 0) {
        throw DomainException.conflict(`Line ${lineNo} has no open dispute`, [{ field: 'lineNo', rule: 'finding_answer_transition', message: `line ${lineNo} has no open dispute to resolve`, values: { lineNo, to: 'resolved' } }]);
      }
      await this.threads.addEntry(manager, { invoiceId: id, supplierId: invoice.supplierId, lineNo, kind: 'resolved', authorUserId: actor.userId, side: 'finance', comment: command.comment?.trim() || `resolution:${command.resolution}` });
      await this.audit.record(manager, actor, { action: 'invoice.dispute_resolved', entityType: 'invoice', entityId: id, change: { lineNo, resolution: command.resolution } });
      const replies = (await this.threads.thread(manager, id)).filter((e) => e.kind === 'resolved').length;
      await this.notifications.publish(manager, [notificationEvent('invoice.dispute_answered', `${id}:${lineNo}:resolved:${replies}`, { invoiceId: id, invoiceNumber: invoice.invoiceNumber, supplierId: invoice.supplierId, lineNo })]);
    });
    return this.thread(id, scope);
  }

  /** The invoice's decision resolves its open disputes (by the system), in the decision's transaction. */
  async resolveByDecision(manager: EntityManager, invoice: Pick<InvoiceRow, 'id' | 'supplierId'>, resolution: 'approved' | 'rejected'): Promise<void> {
    const lines = await this.threads.resolve(manager, invoice.id, null, resolution, null, 'system');
    for (const lineNo of lines) {
      await this.threads.addEntry(manager, { invoiceId: invoice.id, supplierId: invoice.supplierId, lineNo, kind: 'resolved', authorUserId: null, side: 'system', comment: `resolution:${resolution}` });
    }
  }

  private async visible(manager: EntityManager, id: string, scope: AccessScope): Promise<InvoiceRow> {
    const invoice = await this.invoiceStore.get(manager, id);
    if (!invoice || !scope.canSee(invoice.supplierId)) throw DomainException.notFound('Invoice');
    return invoice;
  }

  private async locked(manager: EntityManager, id: string, scope: AccessScope): Promise<InvoiceRow> {
    const peek = await this.visible(manager, id, scope);
    await this.invoiceStore.lockSupplierInvoicing(manager, peek.supplierId);
    return (await this.invoiceStore.get(manager, id, true)) as InvoiceRow;
  }
}
