import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { notificationEvent, type NotificationEvent } from '../common/notifications/notification-events';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import type { Agreement } from './agreement.entity';
import { AgreementGrantsDirectory, AgreementUsageDirectory, type RunningGrant } from './agreement-grants.directory';
import { AgreementRecordsStore, type AgreementHistoryEntry } from './agreement-records.store';
import { agreementKpis, type AgreementKpis } from './agreement-kpi.rules';
import { agreementTransitionProblem, checkTermination, commitmentPeriodOf, commitmentUse, expiryMark } from './agreement-term.rules';
import { AgreementStore } from './agreement.store';
import { SuppliersErrorCode } from './suppliers.errors';

export interface TerminationCommand {
  terminatedOn: CalendarDate;
  reason: string;
}

/** What a termination would do: the grants still running, those ending after the termination date marked. */
export interface TerminationPreview {
  terminatedOn: CalendarDate;
  runningGrants: Array<RunningGrant & { endsAfterTermination: boolean }>;
}

/** A committed volume's use in the commitment period a day lies in. */
export interface CommitmentUse {
  from: CalendarDate;
  to: CalendarDate;
  committedMinutes: number;
  usedMinutes: number;
  leftMinutes: number;
  percent: number;
}

export interface ExpiringAgreement {
  id: string;
  reference: string;
  validTo: CalendarDate;
  mark: number;
  daysLeft: number;
  extensionsLeft: number;
}

/**
 * An agreement's term: its history, termination (with the grants still running listed first), which grants may
 * still start under it, and the expiry warnings 90, 60 and 30 days before it runs out.
 */
@Injectable()
export class AgreementTermService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: AgreementStore,
    private readonly records: AgreementRecordsStore,
    private readonly grants: AgreementGrantsDirectory,
    private readonly usage: AgreementUsageDirectory,
    private readonly clock: Clock,
  ) {}

  /** The changes to the agreement's terms, oldest first. */
  history(agreementId: string): Promise<AgreementHistoryEntry[]> {
    return this.records.history(this.dataSource.manager, agreementId);
  }

  /** Checks a termination and lists the grants it reaches; nothing is stored. */
  async previewTermination(agreementId: string, terminatedOn: CalendarDate, actor: Actor): Promise<TerminationPreview> {
    const agreement = await this.store.findById(this.dataSource.manager, agreementId);
    if (!agreement) throw DomainException.notFound('Agreement');
    assertTerminable(agreement, terminatedOn, actor);
    const running = await this.grants.runningUnder(agreementId);
    return { terminatedOn, runningGrants: running.map((grant) => ({ ...grant, endsAfterTermination: compareDates(grant.end, terminatedOn) > 0 })) };
  }

  /** Terminates the agreement from a date, with a reason: one conditional UPDATE, its history and its audit. */
  async terminate(agreementId: string, command: TerminationCommand, actor: Actor): Promise<TerminationPreview> {
    const preview = await this.previewTermination(agreementId, command.terminatedOn, actor);
    await this.dataSource.transaction(async (manager) => {
      const agreement = await this.store.findById(manager, agreementId, true);
      if (!agreement) throw DomainException.notFound('Agreement');
      assertTerminable(agreement, command.terminatedOn, actor);
      if (!(await this.store.terminate(manager, agreementId, command.terminatedOn, command.reason.trim()))) throw terminationConflict(agreement.status);
      const change = { status: { from: 'in_force', to: 'terminated' }, terminatedOn: command.terminatedOn, reason: command.reason.trim(), runningGrants: preview.runningGrants.map((g) => g.reference) };
      await this.records.appendHistory(manager, agreementId, 'terminated', change, actor);
      await this.audit.record(manager, actor, { action: 'agreement.terminated', entityType: 'agreement', entityId: agreementId, change });
    });
    return preview;
  }

  /** The use of the agreement's committed volume in the period `on` lies in, or null without a commitment. */
  async commitmentUse(agreement: Pick<Agreement, 'id' | 'committedMinutes' | 'commitmentPeriod'>, on: CalendarDate = this.clock.today()): Promise<CommitmentUse | null> {
    if (agreement.committedMinutes === null || agreement.commitmentPeriod === null) return null;
    const period = commitmentPeriodOf(on, agreement.commitmentPeriod);
    const used = await this.usage.minutesDelivered(agreement.id, period.from, period.to);
    return { ...period, committedMinutes: agreement.committedMinutes, ...commitmentUse(agreement.committedMinutes, used) };
  }

  /** The agreement's KPIs on `today`: contact held in the grants' weeks, and progress reports on time. */
  async kpis(agreementId: string, today: CalendarDate = this.clock.today()): Promise<AgreementKpis> {
    const facts = await this.usage.kpiFacts(agreementId, today);
    return agreementKpis(facts.grants, facts.reports, today);
  }

  /** The active agreements in force that have reached an expiry mark on `today`, the soonest first. */
  async expiring(today: CalendarDate = this.clock.today()): Promise<ExpiringAgreement[]> {
    const inForce = await this.store.list(this.dataSource.manager, { activeOn: today }, AccessScope.unrestricted());
    return inForce
      .flatMap((agreement) => {
        const reached = expiryMark(agreement, today);
        return reached === null ? [] : [{ id: agreement.id, reference: agreement.reference, validTo: agreement.validTo, ...reached, extensionsLeft: agreement.extensionOptions - agreement.extensionsUsed }];
      })
      .sort((a, b) => compareDates(a.validTo, b.validTo) || a.reference.localeCompare(b.reference));
  }

  /**
   * The expiry warnings for procurement on `today`: one event per agreement, end date and mark, so a warning is
   * told once, and again only when the agreement is extended and runs up to the mark anew.
   */
  async expiryEvents(today: CalendarDate): Promise<NotificationEvent[]> {
    return (await this.expiring(today)).map((a) =>
      notificationEvent('agreement.expiring', `${a.id}:${a.validTo}:${a.mark}`, { agreementId: a.id, agreementReference: a.reference, validTo: a.validTo, daysLeft: a.daysLeft }),
    );
  }
}

function assertTerminable(agreement: Agreement, terminatedOn: CalendarDate, actor: Actor): void {
  if (actor.role === 'anonymous') throw DomainException.forbidden();
  const transition = agreementTransitionProblem(agreement.status, 'terminated', actor.role as TransitionRole);
  if (transition) throw DomainException.conflict(`The agreement cannot go from ${agreement.status} to terminated`, [transition]);
  const problems = checkTermination(agreement, terminatedOn);
  if (problems.length > 0) throw DomainException.rule('The agreement cannot be terminated on that date', problems);
}

function terminationConflict(from: string): DomainException {
  return DomainException.conflict('The agreement changed meanwhile', [
    { field: 'status', rule: SuppliersErrorCode.AgreementTransition, message: `the agreement was terminated while this termination was made (it was ${from})`, values: { from, to: 'terminated' } },
  ]);
}
