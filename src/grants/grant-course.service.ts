import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { CalendarDate } from '../common/time/calendar-date';
import { RulesService } from '../rules/rules.service';
import { checkSuccessor, successorPeriod } from './grant-end.rules';
import { GrantCourseStore, type ChainPeriod, type HolisticPeriodRow } from './grant-course.store';
import type { GrantDto } from './grants.dto';
import { GrantsErrorCode } from './grants.errors';
import { GrantsService } from './grants.service';

/**
 * A grant's course beyond its terms: the chain of holistic periods, and the next period a holistic period asks for
 * at its end (Copenhagen 000: "skal der gives et nyt tilbud om mentorstøtte for en ny periode på 6 måneder"). The
 * next period is a new grant with the same terms, proposed like any other and approved by a team leader.
 */
@Injectable()
export class GrantCourseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantCourseStore,
    private readonly grants: GrantsService,
    private readonly rules: RulesService,
  ) {}

  /** The chain of periods through the grant, oldest first (one period when it is not linked). */
  async chain(id: string, scope: AccessScope): Promise<ChainPeriod[]> {
    await this.grants.row(id, scope);
    return this.store.chain(this.dataSource.manager, id);
  }

  /** The next holistic period after this one: from the day after its end, for the rule set's period length, linked to it. */
  async proposeSuccessor(id: string, actor: Actor): Promise<GrantDto> {
    const grant = await this.grants.row(id, AccessScope.unrestricted());
    const facts = await this.store.facts(this.dataSource.manager, id);
    const { problem, conflict } = checkSuccessor(grant, facts.nextGrantId !== null);
    if (problem) throw conflict ? DomainException.conflict('No next period can follow this one', [problem]) : DomainException.rule('No next period can follow this one', [problem]);
    const ruleSet = await this.rules.valuesInForce(grant.end);
    const period = successorPeriod(ruleSet, grant.end);
    try {
      return await this.grants.create(
        {
          citizenId: grant.citizenId,
          agreementId: grant.agreementId,
          mentorType: grant.mentorType,
          serviceLevel: grant.serviceLevel,
          minutesPerWeek: grant.minutesPerWeek,
          start: period.start,
          end: period.end,
          goal: grant.goal,
          tasks: grant.tasks,
          mentorName: grant.mentorName,
          mentorPhone: grant.mentorPhone ?? undefined,
          mentorEmail: grant.mentorEmail ?? undefined,
          complaintGuidance: grant.complaintGuidance ?? undefined,
          previousGrantId: id,
        },
        actor,
      );
    } catch (error) {
      // Two next periods proposed at once: the unique link decides.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw DomainException.conflict('No next period can follow this one', [{ rule: GrantsErrorCode.SuccessorExists, message: 'a next period is already linked to this period' }]);
      }
      throw error;
    }
  }

  /** For the statistics: the approved holistic periods that started by `until`. */
  holisticPeriods(manager: EntityManager, until: CalendarDate): Promise<HolisticPeriodRow[]> {
    return this.store.holisticPeriods(manager, until);
  }
}
