import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { GrantThreads, type GrantThreadMessage } from '../common/notifications/grant-threads';
import { NotificationEvents, notificationEvent, type GrantMessageKind } from '../common/notifications/notification-events';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { CommonErrorCode } from '../common/errors/common.errors';
import { GrantsService } from '../grants/grants.service';
import { InvoicesErrorCode } from '../invoices/invoices.errors';
import { NotificationsErrorCode } from './notifications.errors';
import { checkSupplierVisibleTexts } from '../grants/personal-data.rules';
import { UsersService } from '../identity/users.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { businessDaysUntil } from './business-days.rules';
import { GrantMessageStore, type GrantMessageRow } from './grant-message.store';

export interface NewGrantMessage {
  kind: GrantMessageKind;
  sessionDate?: CalendarDate;
  body: string;
}

/** A no-show or an absence is reported by the next business day after the session. */
const REPORT_WITHIN_BUSINESS_DAYS = 1;

/**
 * The thread of a grant between its caseworker and its supplier: questions and answers, no-shows and absence
 * (by the next business day). The supplier reads every message, so none may hold a CPR number or the citizen's
 * name. A message tells the other side.
 */
@Injectable()
export class GrantMessagesService extends GrantThreads {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantMessageStore,
    private readonly grants: GrantsService,
    private readonly users: UsersService,
    private readonly suppliers: SuppliersService,
    private readonly audit: AuditService,
    private readonly events: NotificationEvents,
    private readonly clock: Clock,
  ) {
    super();
  }

  async thread(grantId: string, scope: AccessScope): Promise<GrantThreadMessage[]> {
    await this.grants.row(grantId, scope);
    const rows = await this.store.thread(this.dataSource.manager, grantId);
    const authors = [...new Set(rows.flatMap((row) => (row.authorUserId ? [row.authorUserId] : [])))];
    const names = new Map(authors.length === 0 ? [] : (await this.users.recipients({ ids: authors })).map((user) => [user.id, user.displayName]));
    return rows.map((row) => messageView(row, names));
  }

  async post(grantId: string, message: NewGrantMessage, user: AuthenticatedUser, scope: AccessScope, actor: Actor): Promise<GrantThreadMessage> {
    // A deactivated supplier writes nothing.
    if (scope.isSupplier) await this.suppliers.ownForWrite(scope);
    const grant = await this.grants.row(grantId, scope);
    const from = user.role === 'supplier' ? 'supplier' : 'caseworker';
    const sessionDate = message.sessionDate ?? null;
    const today = this.clock.today();
    const problems = [...sessionProblems(message.kind, sessionDate, grant.start, today), ...checkSupplierVisibleTexts({ body: message.body }, grant.citizenName)];
    if (problems.length > 0) throw DomainException.rule('The message cannot be sent', problems);
    const row = await this.dataSource.transaction(async (manager) => {
      const stored = await this.store.insert(manager, { grantId, supplierId: grant.supplierId, authorUserId: user.id, from, kind: message.kind, sessionDate, reportedOn: today, body: message.body.trim() });
      await this.audit.record(manager, actor, { action: 'grant_message.posted', entityType: 'grant', entityId: grantId, change: { messageId: stored.id, kind: message.kind, from, sessionDate } });
      await this.events.publish(manager, [
        notificationEvent('grant_message.received', stored.id, { grantId, grantReference: grant.reference, messageId: stored.id, kind: message.kind, to: from === 'supplier' ? 'caseworker' : 'supplier', supplierId: grant.supplierId }),
      ]);
      return stored;
    });
    return messageView(row, new Map([[user.id, user.displayName]]));
  }
}

function sessionProblems(kind: GrantMessageKind, sessionDate: CalendarDate | null, grantStart: CalendarDate, today: CalendarDate): ErrorDetail[] {
  const aboutSession = kind === 'no_show' || kind === 'absence';
  if (aboutSession && sessionDate === null) return [{ field: 'sessionDate', rule: NotificationsErrorCode.SessionDateRequired, message: `a ${kind} names the date of the session`, values: { kind } }];
  if (!aboutSession && sessionDate !== null) return [{ field: 'sessionDate', rule: NotificationsErrorCode.SessionDateNotAllowed, message: 'only a no-show or an absence names a session date' }];
  if (sessionDate !== null && compareDates(sessionDate, today) > 0) return [{ field: 'sessionDate', rule: CommonErrorCode.NotInFuture, message: `the session date ${sessionDate} is after today (${today})`, values: { today } }];
  if (sessionDate !== null && compareDates(sessionDate, grantStart) < 0) return [{ field: 'sessionDate', rule: InvoicesErrorCode.BeforeGrant, message: `the session date ${sessionDate} is before the grant starts (${grantStart})`, values: { date: sessionDate, start: grantStart } }];
  return [];
}

function messageView(row: GrantMessageRow, names: Map<string, string>): GrantThreadMessage {
  return {
    id: row.id,
    kind: row.kind,
    from: row.from,
    author: (row.authorUserId ? names.get(row.authorUserId) : undefined) ?? '–',
    sessionDate: row.sessionDate,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    reportedLate: row.sessionDate !== null && businessDaysUntil(row.sessionDate, row.reportedOn) > REPORT_WITHIN_BUSINESS_DAYS,
  };
}
