import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import { compareDates } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { RulesService } from '../rules/rules.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { courseTasks } from './grant.rules';
import { reportDto, storedText } from './grant.presenter';
import { GrantStore } from './grant.store';
import type { CreateProgressReportDto, ProgressReportDto } from './grants.dto';
import { GrantsService } from './grants.service';
import { checkSupplierVisibleTexts } from './personal-data.rules';
import { CommonErrorCode } from '../common/errors/common.errors';
import { GrantsErrorCode } from './grants.errors';

/** The supplier's progress reports (statusrapporter), one per follow-up date of a grant. */
@Injectable()
export class ProgressReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantStore,
    private readonly grants: GrantsService,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly suppliers: SuppliersService,
    private readonly clock: Clock,
    private readonly notifications: NotificationEvents,
  ) {}

  async submit(grantId: string, body: CreateProgressReportDto, scope: AccessScope, actor: Actor): Promise<ProgressReportDto> {
    // A deactivated supplier files no new report.
    if (scope.isSupplier) await this.suppliers.ownForWrite(scope);
    const grant = await this.grants.row(grantId, scope);
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const followUps = courseTasks({ start: grant.start, end: grant.end, ruleSet, held: grant.followUps }).filter((task) => task.kind === 'follow_up').map((task) => task.due);
    if (!followUps.includes(body.dueDate)) {
      throw DomainException.rule('The progress report is not for a follow-up date', [
        { field: 'dueDate', rule: GrantsErrorCode.NotAFollowUpDate, message: `${body.dueDate} is not one of the grant's follow-up dates (${followUps.join(', ') || 'none'})`, values: { dueDate: body.dueDate, followUpDates: followUps.join(', ') } },
      ]);
    }
    const personalData = checkSupplierVisibleTexts({ progress: body.progress, hoursUsedFor: body.hoursUsedFor, deliverySummary: body.deliverySummary }, grant.citizenName);
    if (personalData.length > 0) throw DomainException.rule('The progress report breaks the rules', personalData);
    const late = compareDates(this.clock.today(), body.dueDate) > 0;
    const report = await this.dataSource.transaction(async (manager) => {
      const row = await this.store.insertReport(manager, { grantId, dueDate: body.dueDate, progress: body.progress, hoursUsedFor: body.hoursUsedFor, deliverySummary: body.deliverySummary, submittedBy: actor.userId, late });
      if (!row) {
        throw DomainException.conflict('A progress report for this follow-up date has already been submitted', [
          { field: 'dueDate', rule: CommonErrorCode.Unique, message: `the report due ${body.dueDate} is already submitted`, values: { dueDate: body.dueDate } },
        ]);
      }
      await this.audit.record(manager, actor, { action: 'progress_report.submitted', entityType: 'grant', entityId: grantId, change: { progressReportId: row.id, dueDate: body.dueDate, late } });
      // A report closes no task: the grant's caseworker is told, reads it and records the follow-up. Its texts stay in the portal.
      await this.notifications.publish(manager, [notificationEvent('progress_report.arrived', row.id, { grantId, grantReference: grant.reference, dueDate: body.dueDate, late })]);
      return row;
    });
    return reportDto(report, storedText(scope, grant.citizenName));
  }

  async list(grantId: string, scope: AccessScope): Promise<ProgressReportDto[]> {
    const grant = await this.grants.row(grantId, scope);
    const clean = storedText(scope, grant.citizenName);
    return (await this.store.reports(this.dataSource.manager, grantId)).map((row) => reportDto(row, clean));
  }
}
