import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor, Role } from '../common/actor';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { CommonErrorCode } from '../common/errors/common.errors';
import { UsersService } from '../identity/users.service';
import { NotificationsErrorCode as E } from './notifications.errors';
import { DelegationStore, type DelegationRow } from './delegation.store';

/** The roles whose waiting work can go to a deputy: finance's approvers, and the team leaders who approve grant proposals. */
export const DELEGATING_ROLES: readonly Role[] = ['finance', 'team_leader'];

export interface DelegationView extends DelegationRow {
  principal: string;
  deputy: string;
}

/**
 * A user names a deputy of the same role for a period: the deputy is told of the user's waiting work meanwhile,
 * and what the deputy does is audited as done for the user. Admin may name a deputy for anyone who can have one.
 */
@Injectable()
export class DelegationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: DelegationStore,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(user: AuthenticatedUser): Promise<DelegationView[]> {
    const rows = await this.store.list(this.dataSource.manager, user.role === 'admin' ? null : user.id);
    return this.named(rows);
  }

  async create(user: AuthenticatedUser, command: { principalUserId?: string; deputyUserId: string; validFrom: CalendarDate; validTo: CalendarDate }, actor: Actor): Promise<DelegationView> {
    const principalId = command.principalUserId ?? user.id;
    if (principalId !== user.id && user.role !== 'admin') throw DomainException.forbidden('Only admin names a deputy for someone else');
    const [principal, deputy] = await Promise.all([this.activeUser(principalId, 'principalUserId'), this.activeUser(command.deputyUserId, 'deputyUserId')]);
    const problems: ErrorDetail[] = [];
    if (!DELEGATING_ROLES.includes(principal.role)) problems.push({ field: 'principalUserId', rule: E.DelegatingRole, message: `a ${principal.role} user has no waiting work to hand over`, values: { role: principal.role } });
    if (deputy.id === principal.id) problems.push({ field: 'deputyUserId', rule: E.DeputyNotSelf, message: 'the deputy must be someone else' });
    else if (deputy.role !== principal.role) problems.push({ field: 'deputyUserId', rule: E.DeputySameRole, message: `the deputy must be a ${principal.role} user, like the one they stand in for`, values: { role: principal.role } });
    if (compareDates(command.validTo, command.validFrom) < 0) problems.push({ field: 'validTo', rule: CommonErrorCode.PeriodOrder, message: `the period ends ${command.validTo}, before it starts ${command.validFrom}`, values: { validFrom: command.validFrom, validTo: command.validTo } });
    else if (compareDates(command.validTo, this.clock.today()) < 0) problems.push({ field: 'validTo', rule: E.DelegationInPast, message: `the period ended ${command.validTo}, before today`, values: { validTo: command.validTo } });
    if (problems.length > 0) throw DomainException.rule('The deputy cannot be named', problems);
    const row = await this.dataSource.transaction(async (manager) => {
      if (await this.store.overlapping(manager, principal.id, command.validFrom, command.validTo)) {
        throw DomainException.conflict('A deputy is already named for part of the period', [{ field: 'validFrom', rule: E.DelegationOverlap, message: 'end the other delegation first, or choose another period' }]);
      }
      const id = await this.store.insert(manager, { principalId: principal.id, deputyId: deputy.id, validFrom: command.validFrom, validTo: command.validTo, createdBy: actor.userId });
      await this.audit.record(manager, actor, { action: 'delegation.created', entityType: 'delegation', entityId: id, change: { principal: principal.email, deputy: deputy.email, validFrom: command.validFrom, validTo: command.validTo } });
      return (await this.store.get(manager, id)) as DelegationRow;
    });
    return { ...row, principal: principal.displayName, deputy: deputy.displayName };
  }

  /** Ends a delegation (its principal, its deputy or admin); another's is not found. */
  async end(user: AuthenticatedUser, id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.store.get(manager, id);
      if (!row || (user.role !== 'admin' && row.principalId !== user.id && row.deputyId !== user.id)) throw DomainException.notFound('Delegation');
      if (!(await this.store.end(manager, id))) throw DomainException.conflict('The delegation has ended already');
      await this.audit.record(manager, actor, { action: 'delegation.ended', entityType: 'delegation', entityId: id, change: { principalUserId: row.principalId, deputyUserId: row.deputyId } });
    });
  }

  /** For whom the user stands in today (the audit's "on behalf of"); null when for nobody. */
  async actingFor(userId: string): Promise<{ userId: string; label: string } | null> {
    const principals = await this.store.principalsOn(this.dataSource.manager, userId, this.clock.today());
    if (principals.length === 0) return null;
    const users = await this.users.recipients({ ids: principals });
    return users.length === 0 ? null : { userId: users[0].id, label: users.map((u) => u.email).join(', ') };
  }

  /** The users who could stand in for the user (same role), for the page's choice. */
  async candidates(user: AuthenticatedUser): Promise<Array<{ id: string; displayName: string; email: string }>> {
    if (!DELEGATING_ROLES.includes(user.role)) return [];
    return (await this.users.recipients({ roles: [user.role] })).filter((u) => u.id !== user.id).map((u) => ({ id: u.id, displayName: u.displayName, email: u.email }));
  }

  private async activeUser(id: string, field: string) {
    const [found] = await this.users.recipients({ ids: [id] });
    if (!found) throw DomainException.rule('The user does not exist or is not active', [{ field, rule: E.ActiveUser, message: 'no active user has this id' }]);
    return found;
  }

  private async named(rows: DelegationRow[]): Promise<DelegationView[]> {
    const ids = [...new Set(rows.flatMap((row) => [row.principalId, row.deputyId]))];
    const names = new Map(ids.length === 0 ? [] : (await this.users.list()).filter((u) => ids.includes(u.id)).map((u) => [u.id, u.displayName]));
    return rows.map((row) => ({ ...row, principal: names.get(row.principalId) ?? '–', deputy: names.get(row.deputyId) ?? '–' }));
  }
}
