import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope } from '../common/auth/access-scope';
import { NotificationEvents, notificationEvent, type NotificationEvent } from '../common/notifications/notification-events';
import { addDays, compareDates, todayInCopenhagen, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { DueTasksService } from '../grants/due-tasks.service';
import { GrantsService } from '../grants/grants.service';
import { InvoicesService } from '../invoices/invoices.service';
import { AgreementTermService } from '../suppliers/agreement-term.service';
import { paymentTerm } from './business-days.rules';

/** A task due within this many days is told in advance. */
export const REMINDER_HORIZON_DAYS = 7;
/** The oldest waiting invoices named in finance's daily reminder. */
const WAITING_LISTED = 10;
const PAGE = 200;
/** The proposals counted in the team leaders' daily reminder (more show as this many). */
const PROPOSALS_COUNTED = 200;

/**
 * The reminders of the day, published as events: follow-ups and evaluations due within 7 days and overdue (to
 * the caseworker; a follow-up's progress report to the supplier too), grant proposals waiting for a team leader,
 * oldest first, invoices waiting for approval, oldest
 * first, and invoices whose 30-day payment term ends within 5 business days (to finance); agreements 90, 60 and
 * 30 days before they run out (to procurement). Each event's key
 * names its occasion (the task's due date, the day, the invoice), so a run repeated on the day tells nobody again.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger('Reminders');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: NotificationEvents,
    private readonly dueTasks: DueTasksService,
    private readonly invoices: InvoicesService,
    private readonly clock: Clock,
    private readonly grants: GrantsService,
    private readonly agreementTerm: AgreementTermService,
  ) {}

  async run(): Promise<number> {
    const today = this.clock.today();
    const events = [...(await this.taskEvents(today)), ...(await this.financeEvents(today)), ...(await this.teamLeaderEvents(today)), ...(await this.agreementTerm.expiryEvents(today))];
    await this.dataSource.transaction((manager) => this.events.publish(manager, events));
    if (events.length > 0) this.logger.log({ day: today, events: events.length }, 'reminders published');
    return events.length;
  }

  private async taskEvents(today: CalendarDate): Promise<NotificationEvent[]> {
    const tasks = await this.dueTasks.openTasksDueBy(addDays(today, REMINDER_HORIZON_DAYS));
    return tasks.flatMap((task): NotificationEvent[] => {
      const key = `${task.grantId}:${task.due}`;
      const grant = { grantId: task.grantId, grantReference: task.reference, due: task.due };
      if (task.kind === 'evaluation') return [notificationEvent(task.state === 'overdue' ? 'evaluation.overdue' : 'evaluation.due_soon', key, grant)];
      const report = { ...grant, supplierId: task.supplierId };
      return task.state === 'overdue'
        ? [notificationEvent('follow_up.overdue', key, grant), notificationEvent('progress_report.overdue', key, report)]
        : [notificationEvent('follow_up.due_soon', key, grant), notificationEvent('progress_report.due_soon', key, report)];
    });
  }

  /** The proposals waiting for a team leader, told once a day (to a team leader's deputy while one is named). */
  private async teamLeaderEvents(today: CalendarDate): Promise<NotificationEvent[]> {
    const proposals = await this.grants.proposals(PROPOSALS_COUNTED);
    if (proposals.length === 0) return [];
    // Oldest first: the first has waited longest.
    const oldest = proposals[0];
    const submitted = todayInCopenhagen(new Date(oldest.visitation.proposedAt ?? oldest.createdAt));
    return [notificationEvent('grant_proposals.waiting', today, { count: proposals.length, oldestSubmittedOn: submitted })];
  }

  private async financeEvents(today: CalendarDate): Promise<NotificationEvent[]> {
    const waiting = await this.waitingInvoices();
    if (waiting.length === 0) return [];
    const events: NotificationEvent[] = [
      notificationEvent('approvals.waiting', today, {
        count: waiting.length,
        oldest: waiting.slice(0, WAITING_LISTED).map((invoice) => ({ invoiceId: invoice.id, invoiceNumber: invoice.invoiceNumber, receivedOn: invoice.receivedOn })),
      }),
    ];
    for (const invoice of waiting) {
      const term = paymentTerm(invoice.receivedOn, today);
      if (term.warn) events.push(notificationEvent('payment_term.ending', invoice.id, { invoiceId: invoice.id, invoiceNumber: invoice.invoiceNumber, receivedOn: invoice.receivedOn, termEndsOn: term.termEndsOn, businessDaysLeft: term.businessDaysLeft }));
    }
    return events;
  }

  /** Every invoice waiting for approval, oldest received first. */
  private async waitingInvoices(): Promise<Array<{ id: string; invoiceNumber: string; receivedOn: CalendarDate }>> {
    const out: Array<{ id: string; invoiceNumber: string; receivedOn: CalendarDate }> = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.invoices.list({ status: 'validated', after, limit: PAGE }, AccessScope.unrestricted());
      for (const invoice of page.items) out.push({ id: invoice.id, invoiceNumber: invoice.invoiceNumber, receivedOn: todayInCopenhagen(new Date(invoice.createdAt)) });
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    return out.sort((a, b) => compareDates(a.receivedOn, b.receivedOn) || a.invoiceNumber.localeCompare(b.invoiceNumber));
  }
}
