import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { isDateWithin, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import type { MentorType } from '../rules/rule-set';
import { RulesService } from '../rules/rules.service';
import { AgreementsService } from '../suppliers/agreements.service';
import { CitizensService } from './citizens.service';
import { DueTaskOrder } from './due-task-order.service';
import { activeFromOnApproval, approvalStateProblem, checkApproval, checkExtension, checkGrantTerms } from './grant.rules';
import { cover, grantDto, tasksWithState } from './grant.presenter';
import { containsPattern, type KeysetPage, type PageRequest } from '../common/web/list-query';
import { GrantStore, type GrantSort, type GrantExpenseTerms, type GrantFilter, type GrantInvoicingFacts, type GrantMeeting, type GrantRow, type ProgressReportCount, type GrantWithReports, type StatisticsGrantRow } from './grant.store';
import type { GrantDto, GrantPageDto, Outcome, ProposeGrantDto, SupplierGrantDto } from './grants.dto';
import { checkSupplierVisibleTexts } from './personal-data.rules';
import { CommonErrorCode } from '../common/errors/common.errors';
import { GrantsErrorCode } from './grants.errors';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import type { EarlyEndReason } from '../rules/course-rule-set';
import { checkEligibility } from './eligibility.rules';
import { allowedEarlyEndReasons, checkEnd, successorState } from './grant-end.rules';
import { GrantCourseStore } from './grant-course.store';
import { checkPartnershipMinutes, keptExcessReason } from './partnership-minutes.rules';

export type { GrantExpenseTerms, GrantFilter, GrantInvoicingFacts, GrantMeeting, ProgressReportCount, StatisticsGrantRow } from './grant.store';

export interface CreateGrantCommand {
  citizenId: string;
  agreementId: string;
  mentorType: MentorType;
  serviceLevel: number;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  goal: string;
  tasks: string;
  mentorName: string;
  mentorPhone?: string;
  mentorEmail?: string;
  complaintGuidance?: string;
  /** The eligibility facts: a discharge coordinator's discharge date; a single parent's enrolment with an education order. */
  dischargeDate?: CalendarDate;
  enrolmentDate?: CalendarDate;
  /** The holistic period this one follows (GrantCourseService.proposeSuccessor). */
  previousGrantId?: string;
  /** Why a company grant needs more minutes a week than its partnership agreement's; required then. */
  excessReason?: string;
}


/**
 * Grants (bevillinger): created, extended and ended under the transition table in grant.rules.ts, the terms
 * checked against the rule set in force on the start, every write audited in its transaction; and the reads.
 */
@Injectable()
export class GrantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantStore,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly agreements: AgreementsService,
    private readonly citizens: CitizensService,
    private readonly taskOrder: DueTaskOrder,
    private readonly clock: Clock,
    private readonly course: GrantCourseStore,
    private readonly events: NotificationEvents,
  ) {}

  async create(command: CreateGrantCommand, actor: Actor): Promise<GrantDto> {
    if (!command.mentorPhone?.trim() && !command.mentorEmail?.trim()) {
      throw DomainException.rule('The grant breaks the rules', [{ field: 'mentorPhone', rule: GrantsErrorCode.MentorContact, message: 'give the mentor’s phone or e-mail' }]);
    }
    const citizen = await this.citizens.forGrant(command.citizenId);
    if (!citizen) throw DomainException.rule('The citizen does not exist', [{ field: 'citizenId', rule: CommonErrorCode.Exists, message: 'no citizen has this id' }]);
    const agreement = await this.agreements.termsFor(command.agreementId);
    if (!agreement) throw DomainException.rule('The agreement does not exist', [{ field: 'agreementId', rule: CommonErrorCode.Exists, message: 'no agreement has this id' }]);
    const ruleSet = await this.rules.valuesInForce(command.start);
    const problems = checkGrantTerms({ ruleSet, mentorType: command.mentorType, serviceLevel: command.serviceLevel, minutesPerWeek: command.minutesPerWeek, start: command.start, end: command.end, agreement: cover(agreement) });
    const minutesInput = { agreementKind: agreement.kind, agreementMinutesPerWeek: agreement.defaultMinutesPerWeek, mentorType: command.mentorType, minutesPerWeek: command.minutesPerWeek, excessReason: command.excessReason };
    problems.push(...checkPartnershipMinutes(minutesInput));
    if (!agreement.active) problems.push({ field: 'agreementId', rule: GrantsErrorCode.AgreementActive, message: `the agreement ${agreement.reference} is not active` });
    // Terminated before the start, or a deactivated supplier: the suppliers module says why.
    problems.push(...(await this.agreements.grantStartRefusals(command.agreementId, command.start)));
    // The supplier sees these texts (the complaint guidance only in the written agreement, which names the citizen anyway).
    problems.push(
      ...checkSupplierVisibleTexts({ goal: command.goal, tasks: command.tasks, mentorName: command.mentorName, mentorPhone: command.mentorPhone, mentorEmail: command.mentorEmail }, citizen.name),
      ...checkSupplierVisibleTexts({ complaintGuidance: command.complaintGuidance }, null),
    );
    // The target group that counts is the one in force on the grant's start (Copenhagen 000, fn. 1).
    const targetGroupAtStart = (await this.citizens.targetGroupOn(command.citizenId, command.start)) ?? citizen.targetGroup;
    const facts = { previousGrantId: command.previousGrantId ?? null, dischargeDate: command.dischargeDate ?? null, enrolmentDate: command.enrolmentDate ?? null };
    problems.push(...checkEligibility({ rules: ruleSet.eligibility, mentorType: command.mentorType, targetGroup: targetGroupAtStart, start: command.start, end: command.end, ...facts }));
    if (problems.length > 0) throw DomainException.rule('The grant breaks the rules', problems);

    const id = await this.dataSource.transaction(async (manager) => {
      const reference = `MS-${command.start.slice(0, 4)}-${await this.store.nextReferenceNumber(manager)}`;
      const grantId = await this.store.insert(manager, reference, {
        citizenId: command.citizenId,
        agreementId: agreement.id,
        supplierId: agreement.supplierId,
        mentorType: command.mentorType,
        serviceLevel: command.serviceLevel,
        minutesPerWeek: command.minutesPerWeek,
        start: command.start,
        end: command.end,
        targetGroupAtStart,
        goal: command.goal,
        tasks: command.tasks,
        mentorName: command.mentorName.trim(),
        mentorPhone: command.mentorPhone?.trim() || null,
        mentorEmail: command.mentorEmail?.trim() || null,
        complaintGuidance: command.complaintGuidance ?? null,
        excessReason: keptExcessReason(minutesInput),
        createdBy: actor.userId,
      });
      const hasFacts = facts.previousGrantId !== null || facts.dischargeDate !== null || facts.enrolmentDate !== null;
      if (hasFacts) await this.course.upsertFacts(manager, grantId, facts);
      await this.audit.record(manager, actor, {
        action: 'grant.created',
        entityType: 'grant',
        entityId: grantId,
        change: {
          status: 'proposed', reference, citizenId: command.citizenId, agreementId: agreement.id, supplierId: agreement.supplierId, mentorType: command.mentorType,
          serviceLevel: command.serviceLevel, minutesPerWeek: command.minutesPerWeek, start: command.start, end: command.end, targetGroupAtStart,
          ...(keptExcessReason(minutesInput) ? { excessReason: keptExcessReason(minutesInput) } : {}),
          ...(hasFacts ? facts : {}),
        },
      });
      return grantId;
    });
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  /**
   * A team leader approves a proposal (four eyes: not its creator or proposer): it becomes active from the day
   * named, or the later of its start and today, its written agreement final and its supplier able to invoice it.
   */
  async approve(id: string, activeFrom: CalendarDate | undefined, actor: Actor): Promise<GrantDto> {
    const role = transitionRole(actor);
    const grant = await this.row(id, AccessScope.unrestricted());
    const notProposed = approvalStateProblem(grant.status);
    if (notProposed) throw DomainException.conflict(`The grant cannot go from ${grant.status} to active`, [notProposed]);
    this.store.assertTransition(grant.status, 'active', role);
    const today = this.clock.today();
    const problems = checkApproval({ createdBy: grant.createdBy, proposedBy: grant.proposedBy, start: grant.start, end: grant.end, approverId: actor.userId ?? '', activeFrom, today });
    problems.push(...(await this.agreements.grantStartRefusals(grant.agreementId, grant.start)));
    if (problems.length > 0) throw DomainException.rule('The grant cannot be approved', problems);
    const from = activeFromOnApproval({ start: grant.start, activeFrom, today });
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.approve(manager, id, actor.userId as string, from, role))) throw changedMeanwhile();
      await this.audit.record(manager, actor, { action: 'grant.approved', entityType: 'grant', entityId: id, change: { status: { from: 'proposed', to: 'active' }, activeFrom: from } });
      // The caseworker who proposed it is told (issue 15); a grant is approved once.
      await this.events.publish(manager, [notificationEvent('grant_proposal.approved', id, { grantId: id, grantReference: grant.reference })]);
    });
    // An active grant has due tasks: its first open one is computed by the job.
    await this.taskOrder.requestRebuild();
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  /** A team leader sends a proposal back to the caseworker with the reason. */
  async sendBack(id: string, reason: string, actor: Actor): Promise<GrantDto> {
    const role = transitionRole(actor);
    const grant = await this.row(id, AccessScope.unrestricted());
    this.store.assertTransition(grant.status, 'sent_back', role);
    const text = reason.trim();
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.sendBack(manager, id, actor.userId as string, text, role))) throw changedMeanwhile();
      await this.audit.record(manager, actor, { action: 'grant.sent_back', entityType: 'grant', entityId: id, change: { status: { from: 'proposed', to: 'sent_back' }, reason: text } });
      // Each proposal is sent back at most once: its time names the occasion. The reason stays in the portal.
      await this.events.publish(manager, [notificationEvent('grant_proposal.sent_back', `${id}:${grant.proposedAt?.toISOString() ?? 'first'}`, { grantId: id, grantReference: grant.reference })]);
    });
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  /**
   * The caseworker proposes a grant sent back again, with the terms changed: every term is checked again against
   * the rule set in force on its start, as a new grant's are.
   */
  async propose(id: string, changes: ProposeGrantDto, actor: Actor): Promise<GrantDto> {
    const role = transitionRole(actor);
    const grant = await this.row(id, AccessScope.unrestricted());
    this.store.assertTransition(grant.status, 'proposed', role);
    const next = {
      serviceLevel: changes.serviceLevel ?? grant.serviceLevel,
      minutesPerWeek: changes.minutesPerWeek ?? grant.minutesPerWeek,
      end: changes.end ?? grant.end,
      goal: changes.goal ?? grant.goal,
      tasks: changes.tasks ?? grant.tasks,
      mentorName: (changes.mentorName ?? grant.mentorName).trim(),
      // A term left out (or sent as null, which the optional fields let through) stays as it was.
      mentorPhone: typeof changes.mentorPhone === 'string' ? changes.mentorPhone.trim() || null : grant.mentorPhone,
      mentorEmail: typeof changes.mentorEmail === 'string' ? changes.mentorEmail.trim() || null : grant.mentorEmail,
      excessReason: grant.excessReason,
    };
    const agreement = await this.agreements.termsFor(grant.agreementId);
    if (!agreement) throw DomainException.notFound('Agreement');
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const problems = checkGrantTerms({ ruleSet, mentorType: grant.mentorType, serviceLevel: next.serviceLevel, minutesPerWeek: next.minutesPerWeek, start: grant.start, end: next.end, agreement: cover(agreement) });
    const minutesInput = { agreementKind: agreement.kind, agreementMinutesPerWeek: agreement.defaultMinutesPerWeek, mentorType: grant.mentorType, minutesPerWeek: next.minutesPerWeek, excessReason: changes.excessReason ?? grant.excessReason };
    problems.push(...checkPartnershipMinutes(minutesInput));
    next.excessReason = keptExcessReason(minutesInput);
    if (!next.mentorPhone && !next.mentorEmail) problems.push({ field: 'mentorPhone', rule: GrantsErrorCode.MentorContact, message: 'give the mentor’s phone or e-mail' });
    problems.push(...(await this.eligibilityProblems(grant, next.end)));
    problems.push(...checkSupplierVisibleTexts({ goal: next.goal, tasks: next.tasks, mentorName: next.mentorName, mentorPhone: next.mentorPhone ?? undefined, mentorEmail: next.mentorEmail ?? undefined }, grant.citizenName));
    if (problems.length > 0) throw DomainException.rule('The grant breaks the rules', problems);
    const changed = Object.fromEntries(
      (Object.keys(next) as Array<keyof typeof next>).filter((key) => next[key] !== grant[key]).map((key) => [key, { from: grant[key], to: next[key] }]),
    );
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.propose(manager, id, actor.userId, next, role))) throw changedMeanwhile();
      await this.audit.record(manager, actor, { action: 'grant.proposed', entityType: 'grant', entityId: id, change: { status: { from: 'sent_back', to: 'proposed' }, ...changed } });
    });
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  /** The oldest proposals awaiting a team leader, oldest first. */
  async proposals(limit: number): Promise<GrantDto[]> {
    return (await this.store.proposals(this.dataSource.manager, limit)).map((row) => grantDto(row, AccessScope.unrestricted()) as GrantDto);
  }

  /** The grants sent back to their caseworkers, oldest first. */
  async sentBack(limit: number): Promise<GrantDto[]> {
    return (await this.store.sentBack(this.dataSource.manager, limit)).map((row) => grantDto(row, AccessScope.unrestricted()) as GrantDto);
  }

  async list(filter: GrantFilter, scope: AccessScope): Promise<GrantPageDto> {
    const rows = await this.store.list(this.dataSource.manager, { ...filter, scopeSupplierId: scope.supplierId });
    const page = rows.slice(0, filter.limit);
    return { items: page.map((row) => grantDto(row, scope)), nextCursor: rows.length > filter.limit ? page[page.length - 1].reference : null };
  }

  /**
   * A page of the searchable grants list. `q` finds a grant reference; for staff also a citizen's name or case
   * number, a whole CPR number or a masked one (DDMMYY-XXXX). A supplier's search never reaches the citizen: a CPR
   * number or a name finds nothing, and it cannot sort by the citizen's name.
   */
  async search(filter: GrantFilter, q: string | null, request: PageRequest<GrantSort>, scope: AccessScope): Promise<KeysetPage<GrantDto | SupplierGrantDto>> {
    const pattern = q === null ? null : containsPattern(q);
    const staff = !scope.isSupplier;
    const cpr = staff && q !== null ? this.citizens.cprSearchKeys(q) : { cprLookup: null, maskedCpr: null };
    const search = pattern === null ? null : { referencePattern: pattern, citizenPattern: staff ? pattern : null, ...cpr };
    const wanted = !staff && request.sort === 'citizen' ? { ...request, sort: 'reference' as const, cursor: null } : request;
    const page = await this.store.search(this.dataSource.manager, { ...filter, scopeSupplierId: scope.supplierId }, search, wanted);
    return { ...page, items: page.items.map((row) => grantDto(row, scope)) };
  }

  /** One grant with its due tasks; a supplier user sees only its own supplier's grants, without the citizen. */
  async get(id: string, scope: AccessScope): Promise<GrantDto | SupplierGrantDto> {
    const row = await this.row(id, scope);
    const ruleSet = await this.rules.valuesInForce(row.start);
    const dto = { ...grantDto(row, scope), dueTasks: tasksWithState(row, ruleSet, this.clock.today()) };
    if (scope.isSupplier) return dto;
    const facts = await this.course.facts(this.dataSource.manager, id);
    const course = {
      previousGrantId: facts.previousGrantId,
      nextGrantId: facts.nextGrantId,
      dischargeDate: facts.dischargeDate,
      enrolmentDate: facts.enrolmentDate,
      endReason: facts.endReason,
      earlyEndReasons: allowedEarlyEndReasons(ruleSet, row.mentorType),
      successor: successorState(row, facts.nextGrantId !== null),
    };
    return { ...dto, course };
  }

  /** The stored grant with its progress reports' dates; 404 when it does not exist or belongs to another supplier. */
  async row(id: string, scope: AccessScope): Promise<GrantWithReports> {
    const row = await this.store.get(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Grant');
    scope.assertVisible(row.supplierId, 'Grant');
    return row;
  }

  /** Whether the citizen has a grant (of any state). */
  hasGrantFor(citizenId: string): Promise<boolean> {
    return this.store.anyOfCitizen(this.dataSource.manager, citizenId);
  }

  /** The citizen's grants (of any state) by reference: their references and terms, for staff. */
  async ofCitizen(citizenId: string): Promise<Array<Pick<GrantRow, 'id' | 'reference' | 'agreementId' | 'mentorType' | 'serviceLevel' | 'status'>>> {
    return (await this.store.ofCitizen(this.dataSource.manager, citizenId)).map(({ id, reference, agreementId, mentorType, serviceLevel, status }) => ({ id, reference, agreementId, mentorType, serviceLevel, status }));
  }

  /** For reports: active and ended grants whose period (to the day it ended, when ended) meets from..to. */
  grantsMeeting(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<GrantMeeting[]> {
    return this.store.meeting(manager, from, to);
  }

  /** For the course statistics: every approved grant started by `until`, with its citizen id and target group at start. */
  statisticsGrants(manager: EntityManager, until: CalendarDate): Promise<StatisticsGrantRow[]> {
    return this.store.statisticsGrants(manager, until);
  }

  /** Progress reports due in from..to per supplier and quarter, with how many came late (supplier performance). */
  progressReportCounts(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<ProgressReportCount[]> {
    return this.store.progressReportCounts(manager, from, to);
  }

  /** For reports: the citizen behind each of these grant references. */
  citizenIdsByReference(manager: EntityManager, references: string[]): Promise<Map<string, string>> {
    return this.store.citizensOfReferences(manager, [...new Set(references)]);
  }

  /**
   * What expenses on these grants are booked and refunded by (mentor type, target group at the grant's start),
   * by grant id, read in the caller's transaction; every id asked for has an entry (an unknown one is a 404).
   * `period`: the expenses' period; the grants meeting it are read in one range read and only the others by id,
   * so a national month's thousands of grants cost no list of ids.
   */
  async expenseTerms(manager: EntityManager, grantIds: string[], period?: { from: CalendarDate; to: CalendarDate }): Promise<Map<string, GrantExpenseTerms>> {
    const unique = [...new Set(grantIds)];
    if (unique.length === 0) return new Map();
    const terms = period ? await this.store.expenseTermsMeeting(manager, period.from, period.to) : new Map<string, GrantExpenseTerms>();
    const missing = unique.filter((id) => !terms.has(id));
    for (const [id, found] of await this.store.expenseTermsOf(manager, missing)) terms.set(id, found);
    if (unique.some((id) => !terms.has(id))) throw DomainException.notFound('Grant');
    return terms;
  }

  /** The grants with these references, read in the caller's transaction. */
  /** The caseworker who granted each grant (null when unknown), for the notifications module. */
  caseworkersOf(grantIds: readonly string[]): Promise<Map<string, string | null>> {
    return this.store.caseworkersOf(this.dataSource.manager, grantIds);
  }

  invoicingFacts(manager: EntityManager, references: string[]): Promise<GrantInvoicingFacts[]> {
    return this.store.invoicingFacts(manager, references);
  }

  async extend(id: string, newEnd: CalendarDate, actor: Actor): Promise<GrantDto> {
    const role = transitionRole(actor);
    const grant = await this.row(id, AccessScope.unrestricted());
    // An extension keeps the grant active: only an active one may be extended.
    this.store.assertTransition(grant.status, 'active', role);
    const agreement = await this.agreements.termsFor(grant.agreementId);
    if (!agreement) throw DomainException.notFound('Agreement');
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const problems = checkExtension({
      ruleSet,
      grant: { mentorType: grant.mentorType, serviceLevel: grant.serviceLevel, start: grant.start, end: grant.end, extensionsUsed: grant.extensionsUsed },
      newEnd,
      agreement: cover(agreement),
    });
    problems.push(...(await this.eligibilityProblems(grant, newEnd)));
    if (problems.length > 0) throw DomainException.rule('The extension breaks the rules', problems);
    await this.dataSource.transaction(async (manager) => {
      // Only from the state the rules were checked against: a concurrent extension or ending makes this a conflict.
      if (!(await this.store.transition(manager, grant, grant.status, { to: 'active', newEnd }, role))) throw changedMeanwhile();
      await this.audit.record(manager, actor, {
        action: 'grant.extended',
        entityType: 'grant',
        entityId: id,
        change: { end: { from: grant.end, to: newEnd }, extensionsUsed: { from: grant.extensionsUsed, to: grant.extensionsUsed + 1 } },
      });
    });
    // The extension cleared the grant's first open task.
    await this.taskOrder.requestRebuild();
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  /**
   * Ends an active grant on a day in its period with an outcome; before the period's last day only for a reason its
   * mentor type allows under the rule set in force on its start (a holistic course only when the citizen is ready
   * for an active offer, or has left the target group).
   */
  /** The grant's eligibility with another end (proposed again, extended), by the facts it was proposed with. */
  private async eligibilityProblems(grant: GrantRow, end: CalendarDate) {
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const facts = await this.course.facts(this.dataSource.manager, grant.id);
    return checkEligibility({ rules: ruleSet.eligibility, mentorType: grant.mentorType, targetGroup: grant.targetGroupAtStart, start: grant.start, end, dischargeDate: facts.dischargeDate, enrolmentDate: facts.enrolmentDate });
  }

  async end(id: string, outcome: Outcome, endedOn: CalendarDate, actor: Actor, reason: EarlyEndReason | null = null): Promise<GrantDto> {
    const role = transitionRole(actor);
    const grant = await this.row(id, AccessScope.unrestricted());
    this.store.assertTransition(grant.status, 'ended', role);
    if (!isDateWithin(endedOn, grant.start, grant.end)) {
      throw DomainException.rule('The grant cannot end on that date', [
        { field: 'endedOn', rule: GrantsErrorCode.EndedWithinPeriod, message: `the grant runs from ${grant.start} to ${grant.end}; it cannot end on ${endedOn}`, values: { start: grant.start, end: grant.end, endedOn } },
      ]);
    }
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const problems = checkEnd({ ruleSet, mentorType: grant.mentorType, end: grant.end, endedOn, outcome, reason });
    if (problems.length > 0) throw DomainException.rule('The grant cannot end so', problems);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.transition(manager, grant, grant.status, { to: 'ended', outcome, endedOn }, role))) throw changedMeanwhile();
      await this.course.setEndReason(manager, id, reason);
      await this.audit.record(manager, actor, { action: 'grant.ended', entityType: 'grant', entityId: id, change: { status: { from: grant.status, to: 'ended' }, outcome, endedOn, ...(reason ? { reason } : {}) } });
    });
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }
}

/** The role a transition is checked for; the routes that move grants admit no anonymous caller. */
function transitionRole(actor: Actor): TransitionRole {
  if (actor.role === 'anonymous') throw DomainException.forbidden();
  return actor.role;
}

function changedMeanwhile(): DomainException {
  return DomainException.conflict('The grant changed meanwhile', [
    { field: 'status', rule: GrantsErrorCode.GrantChanged, message: 'the grant was changed (approved, sent back, proposed, extended or ended) while this change was made; read it again' },
  ]);
}
