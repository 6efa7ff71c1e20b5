import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { RulesService } from '../rules/rules.service';
import {
  amendmentStateProblem,
  checkAmendment,
  checkAmendmentApprover,
  minutesSteps,
  newAmendmentStatus,
  termsOn,
  termsVersions,
  type AmendmentChange,
  type GrantTerms,
  type MinutesStep,
  type RecordedAmendment,
  type TermsVersion,
} from './grant-amendment.rules';
import { GrantAmendmentStore, type AmendmentRow, type MentorChange, type ProposedAmendmentRow } from './grant-amendment.store';
import type { AmendmentDto, AmendmentListDto, CreateAmendmentDto, SupplierAmendmentDto, TermsInForceDto } from './grant-course.dto';
import { storedText } from './grant.presenter';
import type { GrantRow } from './grant.store';
import { GrantsService } from './grants.service';
import { GrantsErrorCode } from './grants.errors';
import { checkSupplierVisibleTexts } from './personal-data.rules';

/** A grant's terms as it was approved: what its amendments change. */
export function baseTerms(grant: GrantRow): GrantTerms {
  return {
    serviceLevel: grant.serviceLevel,
    minutesPerWeek: grant.minutesPerWeek,
    mentorName: grant.mentorName,
    mentorPhone: grant.mentorPhone,
    mentorEmail: grant.mentorEmail,
    goal: grant.goal,
    tasks: grant.tasks,
  };
}

export function recorded(row: AmendmentRow): RecordedAmendment {
  const common = { effectiveFrom: row.effectiveFrom, status: row.status };
  switch (row.kind) {
    case 'hours':
      return { ...common, kind: 'hours', serviceLevel: row.serviceLevel as number, minutesPerWeek: row.minutesPerWeek as number };
    case 'mentor':
      return { ...common, kind: 'mentor', mentorName: row.mentorName as string, mentorPhone: row.mentorPhone, mentorEmail: row.mentorEmail };
    case 'goal':
      return { ...common, kind: 'goal', goal: row.goal as string, tasks: row.tasks as string };
  }
}

/** The grant's history of terms: each version from its day, for the grant page and the written agreement. */
export interface GrantHistory {
  versions: TermsVersion[];
  inForce: TermsVersion;
  amendments: AmendmentRow[];
}

/**
 * Amendments of a grant: recorded by a caseworker from an effective date with a reason, checked against the rule set
 * in force on that day; one that raises the minutes is proposed and approved or rejected by a team leader other than
 * its creator, the others are in force at once. Every write is audited in its transaction.
 */
@Injectable()
export class GrantAmendmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantAmendmentStore,
    private readonly grants: GrantsService,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
  ) {}

  async record(grantId: string, body: CreateAmendmentDto, actor: Actor): Promise<AmendmentDto> {
    const grant = await this.grants.row(grantId, AccessScope.unrestricted());
    const notActive = amendmentStateProblem(grant.status);
    if (notActive) throw DomainException.conflict(`A grant that is ${grant.status} is not amended`, [notActive]);
    const change = changeOf(body);
    const amendments = await this.store.ofGrant(this.dataSource.manager, grantId);
    const subject = { status: grant.status, start: grant.start, end: grant.end, base: baseTerms(grant), amendments: amendments.map(recorded) };
    const problems = checkAmendment({ ruleSet: await this.rules.valuesInForce(change.effectiveFrom), grant: subject, change });
    // The supplier sees the new terms (and never the reason, which is still kept free of a CPR number and the citizen's name).
    problems.push(...checkSupplierVisibleTexts(visibleTexts(body), grant.citizenName));
    if (problems.length > 0) throw DomainException.rule('The amendment breaks the rules', problems);
    const status = newAmendmentStatus(subject, change);
    const row = await this.dataSource.transaction(async (manager) => {
      const id = await this.store.insert(manager, {
        grantId,
        kind: change.kind,
        effectiveFrom: change.effectiveFrom,
        reason: body.reason.trim(),
        status,
        serviceLevel: change.kind === 'hours' ? change.serviceLevel : null,
        minutesPerWeek: change.kind === 'hours' ? change.minutesPerWeek : null,
        mentorName: change.kind === 'mentor' ? change.mentorName : null,
        mentorPhone: change.kind === 'mentor' ? change.mentorPhone : null,
        mentorEmail: change.kind === 'mentor' ? change.mentorEmail : null,
        goal: change.kind === 'goal' ? change.goal : null,
        tasks: change.kind === 'goal' ? change.tasks : null,
        createdBy: actor.userId,
      });
      if (id === null) {
        throw DomainException.conflict('An amendment of this kind is already recorded for that day', [
          { field: 'effectiveFrom', rule: GrantsErrorCode.AmendmentSameDay, message: `an amendment of kind ${change.kind} from ${change.effectiveFrom} is already recorded; reject it first or choose another day`, values: { kind: change.kind, effectiveFrom: change.effectiveFrom } },
        ]);
      }
      await this.audit.record(manager, actor, {
        action: status === 'proposed' ? 'grant_amendment.proposed' : 'grant_amendment.recorded',
        entityType: 'grant',
        entityId: grantId,
        change: { amendmentId: id, status, ...auditedChange(change, termsOn(subject.base, subject.start, subject.amendments, change.effectiveFrom).terms) },
      });
      return (await this.store.get(manager, grantId, id)) as AmendmentRow;
    });
    return this.staffDto(row, grant.citizenName, status === 'proposed');
  }

  /** Approves a proposed amendment (a team leader other than its creator); it is checked again against the grant as it is now. */
  async approve(grantId: string, amendmentId: string, actor: Actor): Promise<AmendmentDto> {
    const { grant, amendment, others } = await this.proposal(grantId, amendmentId);
    const problems = checkAmendmentApprover(amendment.createdBy, actor.userId ?? '');
    const notActive = amendmentStateProblem(grant.status);
    if (notActive) throw DomainException.conflict(`A grant that is ${grant.status} is not amended`, [notActive]);
    const change = recorded(amendment) as AmendmentChange;
    const subject = { status: grant.status, start: grant.start, end: grant.end, base: baseTerms(grant), amendments: others.map(recorded) };
    problems.push(...checkAmendment({ ruleSet: await this.rules.valuesInForce(change.effectiveFrom), grant: subject, change }));
    if (problems.length > 0) throw DomainException.rule('The amendment cannot be approved', problems);
    return this.decide(grant, amendment, 'approved', null, actor);
  }

  async reject(grantId: string, amendmentId: string, reason: string, actor: Actor): Promise<AmendmentDto> {
    const { grant, amendment } = await this.proposal(grantId, amendmentId);
    return this.decide(grant, amendment, 'rejected', reason.trim(), actor);
  }

  /** The grant's amendments and the terms in force today; its supplier sees those approved, without the reasons. */
  async list(grantId: string, scope: AccessScope): Promise<AmendmentListDto> {
    const grant = await this.grants.row(grantId, scope);
    const history = await this.history(grant);
    const clean = storedText(scope, grant.citizenName);
    const inForce = termsDto(termsOn(baseTerms(grant), grant.start, history.amendments.map(recorded), this.clock.today()), clean);
    // One recorded in force at once was decided by its creator; one that needed a team leader by another.
    const items = scope.isSupplier
      ? history.amendments.filter((a) => a.status === 'approved').map((a) => supplierDto(a, clean))
      : history.amendments.map((a) => this.staffDto(a, grant.citizenName, a.status === 'proposed' || a.decidedBy !== a.createdBy));
    return { inForce, items };
  }

  /** The versions of the grant's terms and its amendments (every state), for the pages and the written agreement. */
  async history(grant: GrantRow): Promise<GrantHistory> {
    const amendments = await this.store.ofGrant(this.dataSource.manager, grant.id);
    const records = amendments.map(recorded);
    const versions = termsVersions(baseTerms(grant), grant.start, records);
    return { versions, inForce: termsOn(baseTerms(grant), grant.start, records, this.clock.today()), amendments };
  }

  /** The amendments awaiting a team leader, oldest first, with their grants' references and citizens (staff only). */
  proposed(limit: number): Promise<ProposedAmendmentRow[]> {
    return this.store.proposed(this.dataSource.manager, limit);
  }

  /**
   * For invoice validation: each grant's level and minutes per week from each day they change (the grant's own from
   * its start, then its approved amendments), read in the caller's transaction.
   */
  async minutesStepsOf(manager: EntityManager, grants: ReadonlyArray<{ id: string; start: CalendarDate; serviceLevel: number; minutesPerWeek: number }>): Promise<Map<string, MinutesStep[]>> {
    const changes = await this.store.hoursSteps(manager, grants.map((g) => g.id));
    const steps = new Map<string, MinutesStep[]>();
    for (const grant of grants) {
      const own = changes.get(grant.id);
      if (!own) continue;
      const amendments: RecordedAmendment[] = own.map((s) => ({ kind: 'hours', effectiveFrom: s.from, serviceLevel: s.serviceLevel, minutesPerWeek: s.minutesPerWeek, status: 'approved' }));
      steps.set(grant.id, minutesSteps(grant, grant.start, amendments));
    }
    return steps;
  }

  /** For the statistics: approved mentor changes effective from..to, each a new course (Copenhagen 000). */
  mentorChanges(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<MentorChange[]> {
    return this.store.mentorChanges(manager, from, to);
  }

  private async proposal(grantId: string, amendmentId: string): Promise<{ grant: GrantRow; amendment: AmendmentRow; others: AmendmentRow[] }> {
    const grant = await this.grants.row(grantId, AccessScope.unrestricted());
    const all = await this.store.ofGrant(this.dataSource.manager, grantId);
    const amendment = all.find((a) => a.id === amendmentId);
    if (!amendment) throw DomainException.notFound('Amendment');
    return { grant, amendment, others: all.filter((a) => a.id !== amendmentId) };
  }

  private async decide(grant: GrantRow, amendment: AmendmentRow, to: 'approved' | 'rejected', reason: string | null, actor: Actor): Promise<AmendmentDto> {
    if (actor.role === 'anonymous') throw DomainException.forbidden();
    const role = actor.role;
    const row = await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.decide(manager, amendment.id, to, actor.userId as string, reason, role))) {
        const now = await this.store.get(manager, grant.id, amendment.id);
        throw DomainException.conflict(`The amendment cannot go from ${now?.status ?? amendment.status} to ${to}`, [
          { field: 'status', rule: GrantsErrorCode.GrantAmendmentTransition, message: `an amendment that is ${now?.status ?? amendment.status} cannot become ${to}: only a proposed one can`, values: { from: now?.status ?? amendment.status, to } },
        ]);
      }
      await this.audit.record(manager, actor, {
        action: `grant_amendment.${to}`,
        entityType: 'grant',
        entityId: grant.id,
        change: { amendmentId: amendment.id, status: { from: 'proposed', to }, ...(reason ? { reason } : {}) },
      });
      return (await this.store.get(manager, grant.id, amendment.id)) as AmendmentRow;
    });
    return this.staffDto(row, grant.citizenName, true);
  }

  private staffDto(row: AmendmentRow, citizenName: string, approvalNeeded: boolean): AmendmentDto {
    const clean = storedText(AccessScope.unrestricted(), citizenName);
    return {
      ...supplierDto(row, clean),
      grantId: row.grantId,
      reason: clean(row.reason),
      needsApproval: approvalNeeded,
      createdBy: row.createdBy,
      createdAt: new Date(row.createdAt).toISOString(),
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt ? new Date(row.decidedAt).toISOString() : null,
      rejectionReason: row.rejectionReason,
    };
  }
}

function changeOf(body: CreateAmendmentDto): AmendmentChange {
  switch (body.kind) {
    case 'hours':
      return { kind: 'hours', effectiveFrom: body.effectiveFrom, serviceLevel: body.serviceLevel as number, minutesPerWeek: body.minutesPerWeek as number };
    case 'mentor':
      return { kind: 'mentor', effectiveFrom: body.effectiveFrom, mentorName: (body.mentorName as string).trim(), mentorPhone: body.mentorPhone?.trim() || null, mentorEmail: body.mentorEmail?.trim() || null };
    case 'goal':
      return { kind: 'goal', effectiveFrom: body.effectiveFrom, goal: body.goal as string, tasks: body.tasks as string };
  }
}

function visibleTexts(body: CreateAmendmentDto): Record<string, string | undefined> {
  return { reason: body.reason, goal: body.goal, tasks: body.tasks, mentorName: body.mentorName, mentorPhone: body.mentorPhone, mentorEmail: body.mentorEmail };
}

// What the audit keeps of a change: each term from what was in force on the day to what it becomes.
function auditedChange(change: AmendmentChange, before: GrantTerms): Record<string, unknown> {
  const { kind, effectiveFrom, ...terms } = change;
  const fields = Object.fromEntries(Object.entries(terms).map(([key, to]) => [key, { from: before[key as keyof GrantTerms], to }]));
  return { kind, effectiveFrom, ...fields };
}

function supplierDto(row: AmendmentRow, clean: (text: string) => string): SupplierAmendmentDto {
  return {
    id: row.id,
    kind: row.kind,
    effectiveFrom: row.effectiveFrom,
    status: row.status,
    serviceLevel: row.serviceLevel,
    minutesPerWeek: row.minutesPerWeek,
    mentor: row.mentorName === null ? null : { name: clean(row.mentorName), phone: row.mentorPhone && clean(row.mentorPhone), email: row.mentorEmail && clean(row.mentorEmail) },
    goal: row.goal === null ? null : clean(row.goal),
    tasks: row.tasks === null ? null : clean(row.tasks),
  };
}

export function termsDto(version: TermsVersion, clean: (text: string) => string): TermsInForceDto {
  const t = version.terms;
  return {
    since: version.from,
    serviceLevel: t.serviceLevel,
    minutesPerWeek: t.minutesPerWeek,
    mentor: { name: clean(t.mentorName), phone: t.mentorPhone && clean(t.mentorPhone), email: t.mentorEmail && clean(t.mentorEmail) },
    goal: clean(t.goal),
    tasks: clean(t.tasks),
  };
}
