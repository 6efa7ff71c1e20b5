import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/time/clock';
import { RulesService } from '../rules/rules.service';
import { DueTaskOrder } from './due-task-order.service';
import { checkFollowUpDay, followUpStateProblem, taskClosedBy } from './follow-up.rules';
import { FollowUpStore, type FollowUpRow } from './follow-up.store';
import { courseTasks } from './grant.rules';
import { maskCprNumbers } from './personal-data.rules';
import { GrantStore } from './grant.store';
import type { CreateFollowUpDto, FollowUpDto } from './grant-course.dto';
import { GrantsService } from './grants.service';
import { checkSupplierVisibleTexts } from './personal-data.rules';

/**
 * The follow-ups and evaluations the caseworker holds with the citizen: each closes its due task (a follow-up the first
 * open one, the next then falling due 13 weeks later; an evaluation the period's), audited in its transaction.
 */
@Injectable()
export class FollowUpsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: FollowUpStore,
    private readonly grantStore: GrantStore,
    private readonly grants: GrantsService,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly taskOrder: DueTaskOrder,
    private readonly clock: Clock,
  ) {}

  async record(grantId: string, body: CreateFollowUpDto, actor: Actor): Promise<FollowUpDto> {
    const kind = body.kind ?? 'follow_up';
    const grant = await this.grants.row(grantId, AccessScope.unrestricted());
    const notActive = followUpStateProblem(grant.status);
    if (notActive) throw DomainException.conflict(`A follow-up is not recorded on a grant that is ${grant.status}`, [notActive]);
    const problems = checkFollowUpDay({ grant, heldOn: body.heldOn, today: this.clock.today() });
    // Staff texts, kept free of CPR numbers as a grant's goal is (the citizen's name may be written here).
    problems.push(...checkSupplierVisibleTexts({ withWhom: body.withWhom, progress: body.progress, nextSteps: body.nextSteps }, null));
    if (problems.length > 0) throw DomainException.rule('The follow-up breaks the rules', problems);
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const row = await this.dataSource.transaction(async (manager) => {
      // The task it closes is read under the grant's lock, so two follow-ups recorded at once close two tasks.
      await this.store.lockGrant(manager, grantId);
      const held = (await this.store.ofGrant(manager, grantId)).map((f) => ({ kind: f.kind, heldOn: f.heldOn, periodEnd: f.periodEnd }));
      const closes = taskClosedBy(kind, { start: grant.start, end: grant.end, ruleSet, held });
      const stored = await this.store.insert(manager, {
        grantId,
        kind,
        heldOn: body.heldOn,
        form: body.form,
        withWhom: body.withWhom.trim(),
        progress: body.progress,
        nextSteps: body.nextSteps,
        taskDue: closes?.due ?? null,
        periodEnd: grant.end,
        recordedBy: actor.userId,
      });
      // The grant's first open task moved: computed again by the job queued below.
      await this.grantStore.clearTaskDue(manager, grantId);
      await this.audit.record(manager, actor, {
        action: kind === 'evaluation' ? 'grant.evaluation_recorded' : 'grant.follow_up_recorded',
        entityType: 'grant',
        entityId: grantId,
        change: { followUpId: stored.id, kind, heldOn: body.heldOn, form: body.form, closesTaskDue: closes?.due ?? null },
      });
      return stored;
    });
    await this.taskOrder.requestRebuild();
    const heldAll = [...grant.followUps, { kind, heldOn: row.heldOn, periodEnd: grant.end }];
    const next = courseTasks({ start: grant.start, end: grant.end, ruleSet, held: heldAll }).find((task) => task.kind === 'follow_up' && task.heldOn === undefined);
    return { ...followUpDto(row), nextDue: next?.due ?? null };
  }

  /** The grant's follow-ups and evaluations, by the day held (staff only). */
  async list(grantId: string): Promise<FollowUpDto[]> {
    await this.grants.row(grantId, AccessScope.unrestricted());
    return (await this.store.ofGrant(this.dataSource.manager, grantId)).map(followUpDto);
  }
}

export function followUpDto(row: FollowUpRow): FollowUpDto {
  return {
    id: row.id,
    grantId: row.grantId,
    kind: row.kind,
    heldOn: row.heldOn,
    form: row.form,
    withWhom: maskCprNumbers(row.withWhom),
    progress: maskCprNumbers(row.progress),
    nextSteps: maskCprNumbers(row.nextSteps),
    taskDue: row.taskDue,
    recordedBy: row.recordedBy,
    recordedAt: new Date(row.recordedAt).toISOString(),
  };
}
