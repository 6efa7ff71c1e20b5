import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { compareDates, isDateWithin, todayInCopenhagen, type CalendarDate } from '../common/time/calendar-date';
import { templatesDir } from '../common/web/view-engine';
import { loadGrantAgreementTexts, missingMandatoryContent, renderGrantAgreement } from '../documents/grant-agreement.document';
import type { MentorType, RuleSetValues, TargetGroup } from '../rules/rule-set';
import { AgreementsService } from '../suppliers/agreements.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { RulesService, type RuleSetSnapshot } from '../rules/rules.service';
import type { AgreementTerms } from '../suppliers/agreement-terms';
import { checkExtension, checkGrantTerms, compareOpenTasks, dueTasks, firstOpenTaskDue, openTasks, taskState, type AgreementCover } from './grant.rules';
import { grantAgreementView } from './grant-agreement.view';
import { checkSupplierVisibleTexts, maskCprNumbers, maskName } from './personal-data.rules';
import type {
  CreateProgressReportDto,
  DueTaskDto,
  DueTaskItemDto,
  GrantDto,
  GrantPageDto,
  GrantStatus,
  Outcome,
  ProgressReportDto,
  SupplierGrantDto,
} from './grants.dto';
import { Clock } from '../common/time/clock';
import { compareText } from '../common/compare';

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
}

export interface GrantFilter {
  status?: GrantStatus;
  supplierId?: string;
  agreementId?: string;
  mentorType?: MentorType;
  serviceLevel?: number;
  reference?: string;
  activeOn?: CalendarDate;
  after?: string;
  limit: number;
}

interface GrantRow {
  id: string;
  reference: string;
  citizen_id: string;
  agreement_id: string;
  supplier_id: string;
  mentor_type: MentorType;
  service_level: number;
  minutes_per_week: number;
  start: CalendarDate;
  end: CalendarDate;
  original_end: CalendarDate;
  extensions_used: number;
  target_group_at_start: TargetGroup;
  goal: string;
  tasks: string;
  mentor_name: string;
  mentor_phone: string | null;
  mentor_email: string | null;
  complaint_guidance: string | null;
  status: GrantStatus;
  outcome: Outcome | null;
  ended_on: CalendarDate | null;
  created_at: Date;
  citizen_name: string;
  cpr_masked: string;
  case_number: string;
  report_dates: CalendarDate[];
}

type GrantListRow = Omit<GrantRow, 'report_dates'>;

// Dates as text (YYYY-MM-DD), never the CPR ciphertext or lookup hash.
const GRANT_COLUMNS = `
  SELECT g.id, g.reference, g.citizen_id, g.agreement_id, g.supplier_id, g.mentor_type, g.service_level, g.minutes_per_week,
         g.start_date::text AS start, g.end_date::text AS "end", g.original_end_date::text AS original_end, g.extensions_used,
         g.target_group_at_start, g.goal, g.tasks, g.mentor_name, g.mentor_phone, g.mentor_email, g.complaint_guidance,
         g.status, g.outcome, g.ended_on::text AS ended_on, g.created_at,
         c.name AS citizen_name, c.cpr_masked, c.case_number`;
const GRANT_FROM = `FROM mentor_grant g JOIN citizen c ON c.id = g.citizen_id`;
// With the dates of the progress reports, which the due tasks need; a list shows no tasks, so reads none.
const REPORT_DATES = `ARRAY(SELECT p.due_date::text FROM progress_report p WHERE p.grant_id = g.id ORDER BY p.due_date) AS report_dates`;
const GRANT_SELECT = `${GRANT_COLUMNS}, ${REPORT_DATES} ${GRANT_FROM}`;

interface ProgressReportRow {
  id: string;
  grant_id: string;
  due_date: CalendarDate;
  progress: string;
  hours_used_for: string;
  delivery_summary: string;
  submitted_at: Date;
  late: boolean;
}

/** What invoice validation needs of a grant, found by the reference a supplier quotes; no citizen data. */
export interface GrantInvoicingFacts {
  id: string;
  reference: string;
  supplierId: string;
  status: GrantStatus;
  start: CalendarDate;
  end: CalendarDate;
  endedOn: CalendarDate | null;
  minutesPerWeek: number;
  mentorType: MentorType;
  serviceLevel: number;
  targetGroup: TargetGroup;
  agreementId: string;
}

const REPORT_COLUMNS = 'id, grant_id, due_date::text AS due_date, progress, hours_used_for, delivery_summary, submitted_at, late';
const DUE_TASK_LIMIT = 200;
/** Grants whose first open task is computed per round, and the rounds one read of the list does at most. */
const TASK_ORDER_BATCH = 5_000;
const TASK_ORDER_MAX_ROUNDS = 100;
const TASK_ORDER_VACUUM_AFTER = 1_000;

/** Grants (bevillinger): terms checked against the rule set in force on the start, every write audited in its transaction. */
@Injectable()
export class GrantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly agreements: AgreementsService,
    private readonly suppliers: SuppliersService,
    private readonly clock: Clock,
  ) {}

  async create(command: CreateGrantCommand, actor: Actor): Promise<GrantDto> {
    if (!command.mentorPhone?.trim() && !command.mentorEmail?.trim()) {
      throw DomainException.rule('The grant breaks the rules', [{ field: 'mentorPhone', rule: 'mentor_contact', message: 'give the mentor’s phone or e-mail' }]);
    }
    const [citizen] = (await this.dataSource.query(`SELECT target_group, name FROM citizen WHERE id = $1`, [command.citizenId])) as Array<{ target_group: TargetGroup; name: string }>;
    if (!citizen) throw DomainException.rule('The citizen does not exist', [{ field: 'citizenId', rule: 'exists', message: 'no citizen has this id' }]);
    const agreement = await this.agreementTerms(command.agreementId);
    if (!agreement) throw DomainException.rule('The agreement does not exist', [{ field: 'agreementId', rule: 'exists', message: 'no agreement has this id' }]);
    const ruleSet = await this.rules.valuesInForce(command.start);
    const problems = checkGrantTerms({ ruleSet, mentorType: command.mentorType, serviceLevel: command.serviceLevel, minutesPerWeek: command.minutesPerWeek, start: command.start, end: command.end, agreement: cover(agreement) });
    if (!agreement.active) problems.push({ field: 'agreementId', rule: 'agreement_active', message: `the agreement ${agreement.reference} is not active` });
    // The supplier sees these texts (the complaint guidance only in the written agreement, which names the citizen anyway).
    problems.push(
      ...checkSupplierVisibleTexts({ goal: command.goal, tasks: command.tasks, mentorName: command.mentorName, mentorPhone: command.mentorPhone, mentorEmail: command.mentorEmail }, citizen.name),
      ...checkSupplierVisibleTexts({ complaintGuidance: command.complaintGuidance }, null),
    );
    if (problems.length > 0) throw DomainException.rule('The grant breaks the rules', problems);

    const id = await this.dataSource.transaction(async (manager) => {
      const [{ n }] = (await manager.query(`SELECT nextval('grant_reference_seq')::text AS n`)) as Array<{ n: string }>;
      const reference = `MS-${command.start.slice(0, 4)}-${n.padStart(6, '0')}`;
      const [row] = (await manager.query(
        `INSERT INTO mentor_grant (reference, citizen_id, agreement_id, supplier_id, mentor_type, service_level, minutes_per_week,
           start_date, end_date, original_end_date, target_group_at_start, goal, tasks, mentor_name, mentor_phone, mentor_email,
           complaint_guidance, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14, $15, $16, 'active', $17) RETURNING id`,
        [
          reference, command.citizenId, agreement.id, agreement.supplierId, command.mentorType, command.serviceLevel, command.minutesPerWeek,
          command.start, command.end, citizen.target_group, command.goal, command.tasks, command.mentorName.trim(),
          command.mentorPhone?.trim() || null, command.mentorEmail?.trim() || null, command.complaintGuidance ?? null, actor.userId,
        ],
      )) as Array<{ id: string }>;
      await this.audit.record(manager, actor, {
        action: 'grant.created',
        entityType: 'grant',
        entityId: row.id,
        change: {
          reference, citizenId: command.citizenId, agreementId: agreement.id, supplierId: agreement.supplierId, mentorType: command.mentorType,
          serviceLevel: command.serviceLevel, minutesPerWeek: command.minutesPerWeek, start: command.start, end: command.end, targetGroupAtStart: citizen.target_group,
        },
      });
      return row.id;
    });
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  async list(filter: GrantFilter, scope: AccessScope): Promise<GrantPageDto> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (scope.isSupplier) add('g.supplier_id = ?', scope.supplierId);
    if (filter.status) add('g.status = ?', filter.status);
    if (filter.supplierId) add('g.supplier_id = ?', filter.supplierId);
    if (filter.agreementId) add('g.agreement_id = ?', filter.agreementId);
    if (filter.mentorType) add('g.mentor_type = ?', filter.mentorType);
    if (filter.serviceLevel !== undefined) add('g.service_level = ?', filter.serviceLevel);
    if (filter.reference) add('g.reference = ?', filter.reference);
    if (filter.activeOn) add('? BETWEEN g.start_date AND g.end_date', filter.activeOn);
    if (filter.after) add('g.reference > ?', filter.after);
    params.push(filter.limit + 1);
    const rows = (await this.dataSource.query(`${GRANT_COLUMNS} ${GRANT_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY g.reference LIMIT $${params.length}`, params)) as GrantListRow[];
    const page = rows.slice(0, filter.limit);
    return { items: page.map((row) => toDto(row, scope)), nextCursor: rows.length > filter.limit ? page[page.length - 1].reference : null };
  }

  /** One grant with its due tasks; a supplier user sees only its own supplier's grants, without the citizen. */
  async get(id: string, scope: AccessScope): Promise<GrantDto | SupplierGrantDto> {
    const row = await this.row(this.dataSource.manager, id, scope);
    const ruleSet = await this.rules.valuesInForce(row.start);
    return { ...toDto(row, scope), dueTasks: tasksWithState(row, ruleSet, this.clock.today()) };
  }

  async extend(id: string, newEnd: CalendarDate, actor: Actor): Promise<GrantDto> {
    const grant = await this.row(this.dataSource.manager, id, AccessScope.unrestricted());
    assertActive(grant);
    const agreement = await this.agreementTerms(grant.agreement_id);
    if (!agreement) throw DomainException.notFound('Agreement');
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const problems = checkExtension({
      ruleSet,
      grant: { mentorType: grant.mentor_type, serviceLevel: grant.service_level, start: grant.start, end: grant.end, extensionsUsed: grant.extensions_used },
      newEnd,
      agreement: cover(agreement),
    });
    if (problems.length > 0) throw DomainException.rule('The extension breaks the rules', problems);
    await this.dataSource.transaction(async (manager) => {
      // Only from the state the rules were checked against: a concurrent extension or ending makes this a conflict.
      const [, affected] = (await manager.query(
        `UPDATE mentor_grant SET end_date = $2, extensions_used = extensions_used + 1, next_task_due = NULL, updated_at = now()
          WHERE id = $1 AND status = 'active' AND end_date = $3 AND extensions_used = $4`,
        [id, newEnd, grant.end, grant.extensions_used],
      )) as [unknown, number];
      if (affected !== 1) throw notActive();
      await this.audit.record(manager, actor, {
        action: 'grant.extended',
        entityType: 'grant',
        entityId: id,
        change: { end: { from: grant.end, to: newEnd }, extensionsUsed: { from: grant.extensions_used, to: grant.extensions_used + 1 } },
      });
    });
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  async end(id: string, outcome: Outcome, endedOn: CalendarDate, actor: Actor): Promise<GrantDto> {
    const grant = await this.row(this.dataSource.manager, id, AccessScope.unrestricted());
    assertActive(grant);
    if (!isDateWithin(endedOn, grant.start, grant.end)) {
      throw DomainException.rule('The grant cannot end on that date', [
        { field: 'endedOn', rule: 'ended_within_period', message: `the grant runs from ${grant.start} to ${grant.end}; it cannot end on ${endedOn}`, values: { start: grant.start, end: grant.end, endedOn } },
      ]);
    }
    await this.dataSource.transaction(async (manager) => {
      const [, affected] = (await manager.query(
        `UPDATE mentor_grant SET status = 'ended', outcome = $2, ended_on = $3, updated_at = now() WHERE id = $1 AND status = 'active'`,
        [id, outcome, endedOn],
      )) as [unknown, number];
      if (affected !== 1) throw notActive();
      await this.audit.record(manager, actor, { action: 'grant.ended', entityType: 'grant', entityId: id, change: { status: { from: 'active', to: 'ended' }, outcome, endedOn } });
    });
    return (await this.get(id, AccessScope.unrestricted())) as GrantDto;
  }

  /** The written agreement as PDF (staff only); the viewing is audited. */
  async agreementPdf(id: string, actor: Actor): Promise<{ reference: string; pdf: Buffer }> {
    const grant = await this.row(this.dataSource.manager, id, AccessScope.unrestricted());
    const agreement = await this.agreementTerms(grant.agreement_id);
    if (!agreement) throw DomainException.notFound('Agreement');
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const firstFollowUp = dueTasks({ start: grant.start, end: grant.end, ruleSet }).find((task) => task.kind === 'follow_up')?.due ?? null;
    const view = grantAgreementView(
      {
        reference: grant.reference,
        issuedOn: todayInCopenhagen(grant.created_at),
        citizen: { name: grant.citizen_name, maskedCpr: grant.cpr_masked, caseNumber: grant.case_number },
        agreement,
        mentorType: grant.mentor_type,
        serviceLevel: grant.service_level,
        minutesPerWeek: grant.minutes_per_week,
        start: grant.start,
        end: grant.end,
        goal: grant.goal,
        tasks: grant.tasks,
        mentor: { name: grant.mentor_name, phone: grant.mentor_phone, email: grant.mentor_email },
        complaintGuidance: grant.complaint_guidance,
        firstFollowUp,
        ruleSet,
      },
      loadGrantAgreementTexts('da', templatesDir()),
    );
    // A grant stored before its texts were checked at input may lack what the agreement must state: a conflict to
    // resolve on the grant, never a server error.
    const missing = missingMandatoryContent(view);
    if (missing.length > 0) {
      throw DomainException.conflict(
        'The written agreement lacks mandatory content',
        missing.map((name) => ({ field: AGREEMENT_FIELDS[name] ?? name, rule: 'agreement_content', message: `the written agreement must state ${AGREEMENT_FIELDS[name] ?? name}` })),
      );
    }
    const pdf = await renderGrantAgreement(view);
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, actor, { action: 'grant.agreement_pdf_viewed', entityType: 'grant', entityId: id, change: { reference: grant.reference } }),
    );
    return { reference: grant.reference, pdf };
  }

  /** The grants with these references, read in the caller's transaction. */
  async invoicingFacts(manager: EntityManager, references: string[]): Promise<GrantInvoicingFacts[]> {
    if (references.length === 0) return [];
    return (await manager.query(
      `SELECT id, reference, supplier_id AS "supplierId", status, start_date::text AS start, end_date::text AS "end", ended_on::text AS "endedOn",
              minutes_per_week AS "minutesPerWeek", mentor_type AS "mentorType", service_level AS "serviceLevel",
              target_group_at_start AS "targetGroup", agreement_id AS "agreementId"
         FROM mentor_grant WHERE reference = ANY($1)`,
      [references],
    )) as GrantInvoicingFacts[];
  }

  /**
   * The caseworkers' list: the first `limit` (at most DUE_TASK_LIMIT) open tasks of active grants, overdue first,
   * then by due date. It reads only the `limit` active grants whose first open task is due first (stored in
   * mentor_grant.next_task_due): every task in the list belongs to one of them, since each of those grants has
   * an open task due no later than the grant of any task after them.
   */
  async openDueTasks(limit = DUE_TASK_LIMIT): Promise<DueTaskItemDto[]> {
    const take = Math.min(limit, DUE_TASK_LIMIT);
    const rules = await this.rules.snapshot();
    await this.computeTaskOrder(rules);
    // Only what a task line shows: no goal, tasks or contact texts.
    const rows = (await this.dataSource.query(
      `SELECT g.id, g.reference, g.start_date::text AS start, g.end_date::text AS "end", g.status, c.name AS citizen_name, c.case_number, ${REPORT_DATES}
         ${GRANT_FROM} WHERE g.status = 'active' ORDER BY g.next_task_due, g.reference LIMIT $1`,
      [take],
    )) as Array<TaskSource & Pick<GrantRow, 'id' | 'reference' | 'citizen_name' | 'case_number'>>;
    const today = this.clock.today();
    const items: DueTaskItemDto[] = rows.flatMap((row) =>
      openTasks(tasksWithState(row, rules.valuesOn(row.start), today)).map((task) => ({ ...task, grantId: row.id, reference: row.reference, citizenName: row.citizen_name, caseNumber: row.case_number })),
    );
    items.sort((a, b) => compareOpenTasks(a, b) || compareText(a.reference, b.reference));
    return items.slice(0, take);
  }

  /** The first open task (overdue first, then by date) of each of the given grants that has one: for a page of grants. */
  async nextOpenTasks(grantIds: readonly string[]): Promise<Map<string, DueTaskDto>> {
    const next = new Map<string, DueTaskDto>();
    if (grantIds.length === 0) return next;
    const rows = (await this.dataSource.query(
      `SELECT g.id, g.start_date::text AS start, g.end_date::text AS "end", g.status, ${REPORT_DATES}
         FROM mentor_grant g WHERE g.id = ANY($1::uuid[])`,
      [grantIds],
    )) as Array<TaskSource & Pick<GrantRow, 'id'>>;
    const rules = await this.rules.snapshot();
    const today = this.clock.today();
    for (const row of rows) {
      const [first] = openTasks(tasksWithState(row, rules.valuesOn(row.start), today));
      if (first) next.set(row.id, first);
    }
    return next;
  }

  /**
   * Computes the first open task's due date of every active grant that has none: new grants, and those a write
   * cleared (an extension, a progress report). When the rule sets changed, all are cleared first. A grant that
   * changed while its date was computed keeps none (its row version no longer matches) and is taken again.
   */
  private async computeTaskOrder({ fingerprint, valuesOn }: RuleSetSnapshot): Promise<void> {
    const [state] = (await this.dataSource.query(
      `SELECT (SELECT rules_fingerprint FROM grant_task_order) AS fingerprint,
              EXISTS (SELECT 1 FROM mentor_grant WHERE status = 'active' AND next_task_due IS NULL) AS unset`,
    )) as Array<{ fingerprint: string | null; unset: boolean }>;
    if (state.fingerprint === fingerprint && !state.unset) return;
    if (state.fingerprint !== fingerprint) {
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO grant_task_order (id, rules_fingerprint) VALUES (true, '') ON CONFLICT (id) DO NOTHING`);
        const [locked] = (await manager.query(`SELECT rules_fingerprint FROM grant_task_order FOR UPDATE`)) as Array<{ rules_fingerprint: string }>;
        if (locked.rules_fingerprint === fingerprint) return;
        await manager.query(`UPDATE mentor_grant SET next_task_due = NULL WHERE status = 'active' AND next_task_due IS NOT NULL`);
        await manager.query(`UPDATE grant_task_order SET rules_fingerprint = $1`, [fingerprint]);
      });
    }
    let computed = 0;
    for (let round = 0; round < TASK_ORDER_MAX_ROUNDS; round += 1) {
      const rows = (await this.dataSource.query(
        `SELECT g.id, g.xmin::text AS version, g.start_date::text AS start, g.end_date::text AS "end", ${REPORT_DATES}
           FROM mentor_grant g WHERE g.status = 'active' AND g.next_task_due IS NULL LIMIT $1`,
        [TASK_ORDER_BATCH],
      )) as Array<{ id: string; version: string; start: CalendarDate; end: CalendarDate; report_dates: CalendarDate[] }>;
      if (rows.length === 0) break;
      const dues = rows.map((row) => firstOpenTaskDue(dueTasks({ start: row.start, end: row.end, ruleSet: valuesOn(row.start) }), { reportDates: row.report_dates, grantActive: true }));
      const [, affected] = (await this.dataSource.query(
        `UPDATE mentor_grant g SET next_task_due = v.due
           FROM unnest($1::uuid[], $2::text[], $3::date[]) AS v(id, version, due)
          WHERE g.id = v.id AND g.xmin::text = v.version AND g.next_task_due IS NULL`,
        [rows.map((row) => row.id), rows.map((row) => row.version), dues],
      )) as [unknown, number];
      computed += affected;
    }
    // After a bulk computation (a new release, a changed rule set) the index of grants still to compute holds
    // thousands of dead entries and the planner's statistics count the dates as missing: cleaned at once, the
    // next look for missing dates is an index probe again rather than a scan of every grant.
    if (computed >= TASK_ORDER_VACUUM_AFTER) await this.dataSource.query('VACUUM (ANALYZE) mentor_grant');
  }

  async submitProgressReport(grantId: string, body: CreateProgressReportDto, scope: AccessScope, actor: Actor): Promise<ProgressReportDto> {
    // A deactivated supplier reads its grants' reports but files no new one.
    if (scope.isSupplier) await this.suppliers.ownForWrite(scope);
    const grant = await this.row(this.dataSource.manager, grantId, scope);
    const ruleSet = await this.rules.valuesInForce(grant.start);
    const followUps = dueTasks({ start: grant.start, end: grant.end, ruleSet }).filter((task) => task.kind === 'follow_up').map((task) => task.due);
    if (!followUps.includes(body.dueDate)) {
      throw DomainException.rule('The progress report is not for a follow-up date', [
        { field: 'dueDate', rule: 'not_a_follow_up_date', message: `${body.dueDate} is not one of the grant's follow-up dates (${followUps.join(', ') || 'none'})`, values: { dueDate: body.dueDate, followUpDates: followUps.join(', ') } },
      ]);
    }
    const personalData = checkSupplierVisibleTexts({ progress: body.progress, hoursUsedFor: body.hoursUsedFor, deliverySummary: body.deliverySummary }, grant.citizen_name);
    if (personalData.length > 0) throw DomainException.rule('The progress report breaks the rules', personalData);
    const late = compareDates(this.clock.today(), body.dueDate) > 0;
    return this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO progress_report (grant_id, due_date, progress, hours_used_for, delivery_summary, submitted_by, late)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (grant_id, due_date) DO NOTHING RETURNING ${REPORT_COLUMNS}`,
        [grantId, body.dueDate, body.progress, body.hoursUsedFor, body.deliverySummary, actor.userId, late],
      )) as ProgressReportRow[];
      if (!row) {
        throw DomainException.conflict('A progress report for this follow-up date has already been submitted', [
          { field: 'dueDate', rule: 'unique', message: `the report due ${body.dueDate} is already submitted`, values: { dueDate: body.dueDate } },
        ]);
      }
      // The grant's first open task may have moved: computed again when the caseworkers' list is next read.
      await manager.query(`UPDATE mentor_grant SET next_task_due = NULL WHERE id = $1`, [grantId]);
      await this.audit.record(manager, actor, { action: 'progress_report.submitted', entityType: 'grant', entityId: grantId, change: { progressReportId: row.id, dueDate: body.dueDate, late } });
      return reportDto(row, storedText(scope, grant.citizen_name));
    });
  }

  async progressReports(grantId: string, scope: AccessScope): Promise<ProgressReportDto[]> {
    const grant = await this.row(this.dataSource.manager, grantId, scope);
    const rows = (await this.dataSource.query(`SELECT ${REPORT_COLUMNS} FROM progress_report WHERE grant_id = $1 ORDER BY due_date`, [grantId])) as ProgressReportRow[];
    const clean = storedText(scope, grant.citizen_name);
    return rows.map((row) => reportDto(row, clean));
  }

  private async row(manager: EntityManager, id: string, scope: AccessScope): Promise<GrantRow> {
    const [row] = (await manager.query(`${GRANT_SELECT} WHERE g.id = $1`, [id])) as GrantRow[];
    if (!row) throw DomainException.notFound('Grant');
    scope.assertVisible(row.supplier_id, 'Grant');
    return row;
  }

  private agreementTerms(id: string): Promise<AgreementTerms | null> {
    return this.agreements.termsFor(id);
  }
}

/** The grant's fields by the names the written agreement's mandatory contents have. */
const AGREEMENT_FIELDS: Record<string, string> = { 'mentor.name': 'mentorName', 'mentor.phone or mentor.email': 'mentorPhone', 'citizen.name': 'citizenId', 'citizen.maskedCpr': 'citizenId' };

/**
 * How a stored free text is shown: a CPR number masked for everyone, and for a supplier also the citizen's name.
 * Texts are checked at input; this covers those stored before the check.
 */
function storedText(scope: AccessScope, citizenName: string): (text: string) => string {
  return scope.isSupplier ? (text) => maskName(maskCprNumbers(text), citizenName) : maskCprNumbers;
}

function cover(agreement: AgreementTerms): AgreementCover {
  return { validFrom: agreement.validFrom, validTo: agreement.validTo, mentorTypes: agreement.mentorTypes };
}

function notActive(): DomainException {
  return DomainException.conflict('The grant is not active', [{ field: 'status', rule: 'grant_active', message: 'only an active grant can be extended or ended' }]);
}

function assertActive(grant: GrantRow): void {
  if (grant.status !== 'active') {
    throw DomainException.conflict('The grant is not active', [{ field: 'status', rule: 'grant_active', message: `the grant is ${grant.status}`, values: { status: grant.status } }]);
  }
}

/** What the due tasks of a grant are computed from. */
type TaskSource = Pick<GrantRow, 'start' | 'end' | 'status' | 'report_dates'>;

function tasksWithState(row: TaskSource, ruleSet: RuleSetValues, today: CalendarDate): DueTaskDto[] {
  const progress = { reportDates: row.report_dates, grantActive: row.status === 'active', today };
  return dueTasks({ start: row.start, end: row.end, ruleSet }).map((task) => ({ kind: task.kind, due: task.due, state: taskState(task, progress) }));
}

function toDto(row: GrantListRow, scope: AccessScope): GrantDto | SupplierGrantDto {
  const clean = storedText(scope, row.citizen_name);
  const supplierView: SupplierGrantDto = {
    id: row.id,
    reference: row.reference,
    agreementId: row.agreement_id,
    mentorType: row.mentor_type,
    serviceLevel: row.service_level,
    minutesPerWeek: row.minutes_per_week,
    start: row.start,
    end: row.end,
    goal: clean(row.goal),
    tasks: clean(row.tasks),
    mentor: { name: clean(row.mentor_name), phone: row.mentor_phone && clean(row.mentor_phone), email: row.mentor_email && clean(row.mentor_email) },
    status: row.status,
  };
  if (scope.isSupplier) return supplierView;
  // Object.assign rather than a spread: V8 copies `{ ...supplierView, more }` slowly (about 20 µs a grant, 1 ms a page).
  const staffView: GrantDto = Object.assign(supplierView, {
    citizenId: row.citizen_id,
    citizenName: row.citizen_name,
    maskedCpr: row.cpr_masked,
    caseNumber: row.case_number,
    supplierId: row.supplier_id,
    originalEnd: row.original_end,
    extensionsUsed: row.extensions_used,
    targetGroupAtStart: row.target_group_at_start,
    complaintGuidance: row.complaint_guidance && clean(row.complaint_guidance),
    outcome: row.outcome,
    endedOn: row.ended_on,
    createdAt: row.created_at.toISOString(),
  });
  return staffView;
}

function reportDto(row: ProgressReportRow, clean: (text: string) => string): ProgressReportDto {
  return {
    id: row.id,
    grantId: row.grant_id,
    dueDate: row.due_date,
    progress: clean(row.progress),
    hoursUsedFor: clean(row.hours_used_for),
    deliverySummary: clean(row.delivery_summary),
    submittedAt: row.submitted_at.toISOString(),
    late: row.late,
  };
}
