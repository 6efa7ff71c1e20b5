import { keysetPage, keysetQueries } from '../common/database/keyset';
import type { KeysetPage, PageRequest } from '../common/web/list-query';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import type { CalendarDate } from '../common/time/calendar-date';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import { grantTransitionProblem, NEW_GRANT_STATUS, type GrantStatus, type HeldFollowUp } from './grant.rules';
import type { Outcome } from './grants.dto';

/** A grant with its citizen's name, masked CPR and case number (never the CPR ciphertext or lookup hash). */
export interface GrantRow {
  id: string;
  reference: string;
  citizenId: string;
  agreementId: string;
  supplierId: string;
  mentorType: MentorType;
  serviceLevel: number;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  originalEnd: CalendarDate;
  extensionsUsed: number;
  targetGroupAtStart: TargetGroup;
  goal: string;
  tasks: string;
  mentorName: string;
  mentorPhone: string | null;
  mentorEmail: string | null;
  complaintGuidance: string | null;
  /** Why a company grant has more minutes a week than its partnership agreement's (for the team leader). */
  excessReason: string | null;
  status: GrantStatus;
  outcome: Outcome | null;
  endedOn: CalendarDate | null;
  createdAt: Date;
  createdBy: string | null;
  /** Visitation: who proposed it last and when; who approved it, when, and the day it is active from; its latest sending back. */
  proposedBy: string | null;
  proposedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  activeFrom: CalendarDate | null;
  sentBackBy: string | null;
  sentBackAt: Date | null;
  sentBackReason: string | null;
  citizenName: string;
  maskedCpr: string;
  caseNumber: string;
}

/** A grant with the follow-ups and evaluations held, which its due tasks need. */
export type GrantWithReports = GrantRow & { followUps: HeldFollowUp[] };

/** What a grant's due tasks are computed from. */
export interface TaskSource {
  id: string;
  start: CalendarDate;
  end: CalendarDate;
  status: GrantStatus;
  followUps: HeldFollowUp[];
}

/** A line of the caseworkers' list: no goal, tasks or contact texts. */
export type TaskLineSource = TaskSource & { reference: string; citizenName: string; caseNumber: string };

export interface NewGrant {
  citizenId: string;
  agreementId: string;
  supplierId: string;
  mentorType: MentorType;
  serviceLevel: number;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  targetGroupAtStart: TargetGroup;
  goal: string;
  tasks: string;
  mentorName: string;
  mentorPhone: string | null;
  mentorEmail: string | null;
  complaintGuidance: string | null;
  excessReason: string | null;
  createdBy: string | null;
}

/** What the grant list may be filtered by; `after` is a keyset cursor (a reference). */
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

/** What a search text finds: the reference always; the citizen's name, case number and CPR only for staff. */
export interface GrantSearch {
  referencePattern: string;
  citizenPattern: string | null;
  cprLookup: string | null;
  maskedCpr: string | null;
}

export interface GrantListFilter extends GrantFilter {
  /** A supplier user's own supplier; null for staff. */
  scopeSupplierId: string | null;
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
  /** The day an approved grant is active from; null while it is not approved. */
  activeFrom: CalendarDate | null;
}

/** What a resubmitted proposal may change: the terms the team leader sent back, checked again. */
export interface ProposalChanges {
  serviceLevel: number;
  minutesPerWeek: number;
  end: CalendarDate;
  goal: string;
  tasks: string;
  mentorName: string;
  mentorPhone: string | null;
  mentorEmail: string | null;
  excessReason: string | null;
}

/**
 * What an expense on a grant is booked and refunded by: the grant's mentor type and the citizen's target group
 * at the grant's start (the refund rule's target group), neither of which a grant's lifecycle changes.
 */
export interface GrantExpenseTerms {
  mentorType: MentorType;
  targetGroupAtStart: TargetGroup;
}

/** A grant's first open task as stored, with the row version it was computed from. */
export interface UnsetTaskDue {
  id: string;
  version: string;
  start: CalendarDate;
  end: CalendarDate;
  followUps: HeldFollowUp[];
}

export interface ProgressReportRow {
  id: string;
  grantId: string;
  dueDate: CalendarDate;
  progress: string;
  hoursUsedFor: string;
  deliverySummary: string;
  submittedAt: Date;
  late: boolean;
}

export interface NewProgressReport {
  grantId: string;
  dueDate: CalendarDate;
  progress: string;
  hoursUsedFor: string;
  deliverySummary: string;
  submittedBy: string | null;
  late: boolean;
}

interface GrantRecord {
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
  excess_reason: string | null;
  status: GrantStatus;
  outcome: Outcome | null;
  ended_on: CalendarDate | null;
  created_at: Date;
  created_by: string | null;
  proposed_by: string | null;
  proposed_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  active_from: CalendarDate | null;
  sent_back_by: string | null;
  sent_back_at: Date | null;
  sent_back_reason: string | null;
  citizen_name: string;
  cpr_masked: string;
  case_number: string;
}

interface TaskLineRecord {
  id: string;
  reference: string;
  start: CalendarDate;
  end: CalendarDate;
  status: GrantStatus;
  citizen_name: string;
  case_number: string;
  follow_ups: HeldFollowUp[];
}

interface ReportRecord {
  id: string;
  grant_id: string;
  due_date: CalendarDate;
  progress: string;
  hours_used_for: string;
  delivery_summary: string;
  submitted_at: Date;
  late: boolean;
}

// Dates as text (YYYY-MM-DD), never the CPR ciphertext or lookup hash.
const COLUMNS = `g.id, g.reference, g.citizen_id, g.agreement_id, g.supplier_id, g.mentor_type, g.service_level, g.minutes_per_week,
       g.start_date::text AS start, g.end_date::text AS "end", g.original_end_date::text AS original_end, g.extensions_used,
       g.target_group_at_start, g.goal, g.tasks, g.mentor_name, g.mentor_phone, g.mentor_email, g.complaint_guidance, g.excess_reason,
       g.status, g.outcome, g.ended_on::text AS ended_on, g.created_at, g.created_by,
       g.proposed_by, g.proposed_at, g.approved_by, g.approved_at, g.active_from::text AS active_from, g.sent_back_by, g.sent_back_at, g.sent_back_reason,
       c.name AS citizen_name, c.cpr_masked, c.case_number`;
const FROM = `FROM mentor_grant g JOIN citizen c ON c.id = g.citizen_id`;
// The follow-ups and evaluations held, which the due tasks need; a list shows no tasks, so reads none.
const FOLLOW_UPS = `COALESCE((SELECT json_agg(json_build_object('kind', f.kind, 'heldOn', f.held_on::text, 'periodEnd', f.period_end::text) ORDER BY f.held_on, f.recorded_at)
         FROM grant_follow_up f WHERE f.grant_id = g.id), '[]'::json) AS follow_ups`;
// Only what a task line shows: no goal, tasks or contact texts.
const TASK_LINE = `g.id, g.reference, g.start_date::text AS start, g.end_date::text AS "end", g.status, c.name AS citizen_name, c.case_number, ${FOLLOW_UPS}`;
const REPORT_COLUMNS = 'id, grant_id, due_date::text AS due_date, progress, hours_used_for, delivery_summary, submitted_at, late';

/** The grants list's sorts and their first direction: reference, citizen name (staff only), start, end. */
export const GRANT_SORTS = { reference: 'asc', citizen: 'asc', start: 'desc', end: 'asc' } as const;
export type GrantSort = keyof typeof GRANT_SORTS;

// The searchable list: the filters of \`list\` ($1..$8), then the search. $9 finds the grant reference; for staff only,
// $10 a citizen's name or case number, $11 a whole CPR number by its lookup hash, $12 the masked CPR (birth date).
const SEARCH_WHERE = `
     WHERE ($1::uuid IS NULL OR g.supplier_id = $1) AND ($2::text IS NULL OR g.status = $2)
       AND ($3::uuid IS NULL OR g.supplier_id = $3) AND ($4::uuid IS NULL OR g.agreement_id = $4)
       AND ($5::text IS NULL OR g.mentor_type = $5) AND ($6::int IS NULL OR g.service_level = $6)
       AND ($7::text IS NULL OR g.reference = $7) AND ($8::date IS NULL OR $8 BETWEEN g.start_date AND g.end_date)
       AND ($9::text IS NULL OR g.reference ILIKE $9 OR c.name ILIKE $10::text OR c.case_number ILIKE $10::text
            OR c.cpr_lookup = $11::bpchar OR c.cpr_masked = $12::text)`;

export const GRANT_SQL = sqlQueries('grants/grant.store', {
  ...keysetQueries('search', {
    select: COLUMNS,
    from: FROM,
    where: SEARCH_WHERE,
    params: 12,
    id: 'g.id',
    sorts: {
      reference: { expr: 'g.reference', cast: 'text' },
      citizen: { expr: 'c.name', cast: 'text' },
      start: { expr: 'g.start_date', cast: 'date' },
      end: { expr: 'g.end_date', cast: 'date' },
    },
  }),
  nextReferenceNumber: `SELECT nextval('grant_reference_seq')::text AS n`,
  insert: `
    INSERT INTO mentor_grant (reference, citizen_id, agreement_id, supplier_id, mentor_type, service_level, minutes_per_week,
      start_date, end_date, original_end_date, target_group_at_start, goal, tasks, mentor_name, mentor_phone, mentor_email,
      complaint_guidance, status, created_by, proposed_by, proposed_at, excess_reason)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, now(), $19) RETURNING id`,
  get: `SELECT ${COLUMNS}, ${FOLLOW_UPS} ${FROM} WHERE g.id = $1`,
  // A supplier's scope and the filters are parameters: null leaves one out.
  list: `
    SELECT ${COLUMNS} ${FROM}
     WHERE ($1::uuid IS NULL OR g.supplier_id = $1) AND ($2::text IS NULL OR g.status = $2)
       AND ($3::uuid IS NULL OR g.supplier_id = $3) AND ($4::uuid IS NULL OR g.agreement_id = $4)
       AND ($5::text IS NULL OR g.mentor_type = $5) AND ($6::int IS NULL OR g.service_level = $6)
       AND ($7::text IS NULL OR g.reference = $7) AND ($8::date IS NULL OR $8 BETWEEN g.start_date AND g.end_date)
       AND ($9::text IS NULL OR g.reference > $9)
     ORDER BY g.reference LIMIT $10`,
  anyOfCitizen: `SELECT EXISTS (SELECT 1 FROM mentor_grant WHERE citizen_id = $1) AS found`,
  ofCitizen: `SELECT ${COLUMNS} ${FROM} WHERE g.citizen_id = $1 ORDER BY g.reference`,
  // A citizen's grants with their target group at start, and a new one for the grants not yet approved that a change reaches.
  atStartOfCitizen: `SELECT reference, status, start_date::text AS start, target_group_at_start AS "targetGroupAtStart" FROM mentor_grant WHERE citizen_id = $1 ORDER BY start_date, reference`,
  retarget: `
    UPDATE mentor_grant SET target_group_at_start = $3, updated_at = now()
     WHERE citizen_id = $1 AND reference = ANY($2::text[]) AND status IN ('proposed', 'sent_back')`,
  // The team leaders' proposals, oldest first; the caseworkers' grants sent back, oldest first.
  proposals: `SELECT ${COLUMNS} ${FROM} WHERE g.status = 'proposed' ORDER BY g.proposed_at, g.reference LIMIT $1`,
  sentBack: `SELECT ${COLUMNS} ${FROM} WHERE g.status = 'sent_back' ORDER BY g.sent_back_at, g.reference LIMIT $1`,
  // Reports: active and ended grants whose period (to the day it ended, when ended) meets $1..$2.
  meeting: `
    SELECT id, reference, supplier_id AS "supplierId", agreement_id AS "agreementId", mentor_type AS "mentorType", service_level AS "serviceLevel",
           minutes_per_week AS "minutesPerWeek", start_date::text AS start, end_date::text AS "end", status, outcome, ended_on::text AS "endedOn"
      FROM mentor_grant
     WHERE status IN ('active', 'ended') AND start_date <= $2 AND COALESCE(ended_on, end_date) >= $1
     ORDER BY reference`,
  // The course statistics: every approved grant started by $1, with its citizen id (never a name or CPR number).
  statisticsGrants: `
    SELECT id, citizen_id AS "citizenId", supplier_id AS "supplierId", mentor_type AS "mentorType", target_group_at_start AS "targetGroup",
           start_date::text AS start, end_date::text AS "end", status, outcome, ended_on::text AS "endedOn", extensions_used AS "extensionsUsed"
      FROM mentor_grant
     WHERE status IN ('active', 'ended') AND start_date <= $1
     ORDER BY start_date, id`,
  citizensOfReferences: `SELECT reference, citizen_id AS "citizenId" FROM mentor_grant WHERE reference = ANY($1::text[])`,
  // Progress reports due in a period, per supplier and quarter of the due date, and how many came late.
  progressReportCounts: `
    SELECT g.supplier_id AS "supplierId", date_part('quarter', pr.due_date)::int AS quarter, count(*)::int AS reports, (count(*) FILTER (WHERE pr.late))::int AS late
      FROM progress_report pr JOIN mentor_grant g ON g.id = pr.grant_id
     WHERE pr.due_date BETWEEN $1 AND $2
     GROUP BY g.supplier_id, quarter`,
  invoicingFacts: `
    SELECT id, reference, supplier_id AS "supplierId", status, start_date::text AS start, end_date::text AS "end", ended_on::text AS "endedOn",
           minutes_per_week AS "minutesPerWeek", mentor_type AS "mentorType", service_level AS "serviceLevel",
           target_group_at_start AS "targetGroup", agreement_id AS "agreementId", active_from::text AS "activeFrom"
      FROM mentor_grant WHERE reference = ANY($1)`,
  // The expense terms of the grants whose period (to the day each ended, when ended) meets $1..$2: one range
  // read, however many grants, for the expenses of a period; and of grants by id.
  expenseTermsMeeting: `
    SELECT id, mentor_type AS "mentorType", target_group_at_start AS "targetGroupAtStart"
      FROM mentor_grant WHERE start_date <= $2 AND COALESCE(ended_on, end_date) >= $1`,
  expenseTermsOf: `
    SELECT g.id, g.mentor_type AS "mentorType", g.target_group_at_start AS "targetGroupAtStart"
      FROM unnest($1::uuid[]) AS u(id) JOIN mentor_grant g ON g.id = u.id`,
  // The transitions: one conditional UPDATE each, from the state in $2. An extension also only from the end and
  // extension count its rules were checked against, and its first open task may move: computed again by the job.
  extend: `
    UPDATE mentor_grant SET status = $3, end_date = $4, extensions_used = extensions_used + 1, next_task_due = NULL, updated_at = now()
     WHERE id = $1 AND status = $2 AND end_date = $5 AND extensions_used = $6`,
  end: `UPDATE mentor_grant SET status = $3, outcome = $4, ended_on = $5, updated_at = now() WHERE id = $1 AND status = $2`,
  // Visitation: approved (active from a day) or sent back with a reason by a team leader; proposed again, changed.
  approve: `UPDATE mentor_grant SET status = $3, approved_by = $4, approved_at = now(), active_from = $5, next_task_due = NULL, updated_at = now() WHERE id = $1 AND status = $2`,
  sendBack: `UPDATE mentor_grant SET status = $3, sent_back_by = $4, sent_back_at = now(), sent_back_reason = $5, updated_at = now() WHERE id = $1 AND status = $2`,
  propose: `
    UPDATE mentor_grant SET status = $3, proposed_by = $4, proposed_at = now(), service_level = $5, minutes_per_week = $6, end_date = $7,
           original_end_date = $7, goal = $8, tasks = $9, mentor_name = $10, mentor_phone = $11, mentor_email = $12, excess_reason = $13, updated_at = now()
     WHERE id = $1 AND status = $2`,

  // ---- the stored first open task (next_task_due), for the caseworkers' list ----
  taskOrderState: `
    SELECT (SELECT rules_fingerprint FROM grant_task_order) AS fingerprint,
           EXISTS (SELECT 1 FROM mentor_grant WHERE status = 'active' AND next_task_due IS NULL) AS unset`,
  ensureTaskOrder: `INSERT INTO grant_task_order (id, rules_fingerprint) VALUES (true, '') ON CONFLICT (id) DO NOTHING`,
  lockTaskOrder: `SELECT rules_fingerprint FROM grant_task_order FOR UPDATE`,
  clearAllTaskDue: `UPDATE mentor_grant SET next_task_due = NULL WHERE status = 'active' AND next_task_due IS NOT NULL`,
  setTaskOrderFingerprint: `UPDATE grant_task_order SET rules_fingerprint = $1`,
  clearTaskDue: `UPDATE mentor_grant SET next_task_due = NULL WHERE id = $1`,
  unsetTaskDue: `
    SELECT g.id, g.xmin::text AS version, g.start_date::text AS start, g.end_date::text AS "end", ${FOLLOW_UPS}
      FROM mentor_grant g WHERE g.status = 'active' AND g.next_task_due IS NULL LIMIT $1`,
  // A grant that changed since its date was computed (its row version differs) keeps none and is taken again.
  storeTaskDue: `
    UPDATE mentor_grant g SET next_task_due = v.due
      FROM unnest($1::uuid[], $2::text[], $3::date[]) AS v(id, version, due)
     WHERE g.id = v.id AND g.xmin::text = v.version AND g.next_task_due IS NULL`,
  // After a bulk computation the index of grants still to compute holds thousands of dead entries and the
  // planner's statistics count the dates as missing: cleaned, the next look for them is an index probe again.
  vacuum: `VACUUM (ANALYZE) mentor_grant`,
  // The due list a page at a time: active grants by their stored first open task, then id.
  ...keysetQueries('dueLines', {
    select: TASK_LINE,
    from: FROM,
    where: `WHERE g.status = 'active' AND g.next_task_due IS NOT NULL`,
    params: 0,
    id: 'g.id',
    sorts: { due: { expr: 'g.next_task_due', cast: 'date' } },
  }),
  firstTaskLines: `SELECT ${TASK_LINE} ${FROM} WHERE g.status = 'active' AND g.next_task_due IS NOT NULL ORDER BY g.next_task_due, g.reference LIMIT $1`,
  unsetTaskLines: `SELECT ${TASK_LINE} ${FROM} WHERE g.status = 'active' AND g.next_task_due IS NULL`,
  activeTaskLines: `SELECT ${TASK_LINE} ${FROM} WHERE g.status = 'active'`,
  taskSources: `SELECT g.id, g.start_date::text AS start, g.end_date::text AS "end", g.status, ${FOLLOW_UPS} FROM mentor_grant g WHERE g.id = ANY($1::uuid[])`,
  // For reminders: active grants whose first open task is due by the date (or not computed yet); no citizen data.
  reminderSources: `
    SELECT g.id, g.reference, g.supplier_id, g.start_date::text AS start, g.end_date::text AS "end", g.status, ${FOLLOW_UPS}
      FROM mentor_grant g WHERE g.status = 'active' AND (g.next_task_due IS NULL OR g.next_task_due <= $1)`,
  // The caseworker who granted each grant (who is told of its tasks and reports).
  // The caseworker of a grant: the one who proposed it last (a proposal sent back may be proposed by another), else its creator.
  caseworkersOf: `SELECT g.id, coalesce(g.proposed_by, g.created_by) AS created_by FROM mentor_grant g WHERE g.id = ANY($1::uuid[])`,

  // ---- progress reports ----
  insertReport: `
    INSERT INTO progress_report (grant_id, due_date, progress, hours_used_for, delivery_summary, submitted_by, late)
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (grant_id, due_date) DO NOTHING RETURNING ${REPORT_COLUMNS}`,
  reports: `SELECT ${REPORT_COLUMNS} FROM progress_report WHERE grant_id = $1 ORDER BY due_date`,
});

const Q = GRANT_SQL;

function grantRow(r: GrantRecord): GrantRow {
  return {
    id: r.id,
    reference: r.reference,
    citizenId: r.citizen_id,
    agreementId: r.agreement_id,
    supplierId: r.supplier_id,
    mentorType: r.mentor_type,
    serviceLevel: r.service_level,
    minutesPerWeek: r.minutes_per_week,
    start: r.start,
    end: r.end,
    originalEnd: r.original_end,
    extensionsUsed: r.extensions_used,
    targetGroupAtStart: r.target_group_at_start,
    goal: r.goal,
    tasks: r.tasks,
    mentorName: r.mentor_name,
    mentorPhone: r.mentor_phone,
    mentorEmail: r.mentor_email,
    complaintGuidance: r.complaint_guidance,
    excessReason: r.excess_reason,
    status: r.status,
    outcome: r.outcome,
    endedOn: r.ended_on,
    createdAt: r.created_at,
    createdBy: r.created_by,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    activeFrom: r.active_from,
    sentBackBy: r.sent_back_by,
    sentBackAt: r.sent_back_at,
    sentBackReason: r.sent_back_reason,
    citizenName: r.citizen_name,
    maskedCpr: r.cpr_masked,
    caseNumber: r.case_number,
  };
}

function taskLine(r: TaskLineRecord): TaskLineSource {
  return { id: r.id, reference: r.reference, start: r.start, end: r.end, status: r.status, citizenName: r.citizen_name, caseNumber: r.case_number, followUps: r.follow_ups };
}

function reportRow(r: ReportRecord): ProgressReportRow {
  return {
    id: r.id,
    grantId: r.grant_id,
    dueDate: r.due_date,
    progress: r.progress,
    hoursUsedFor: r.hours_used_for,
    deliverySummary: r.delivery_summary,
    submittedAt: r.submitted_at,
    late: r.late,
  };
}

type ExpenseTermsRecord = GrantExpenseTerms & { id: string };

function expenseTermsById(rows: ExpenseTermsRecord[]): Map<string, GrantExpenseTerms> {
  return new Map(rows.map((row) => [row.id, { mentorType: row.mentorType, targetGroupAtStart: row.targetGroupAtStart }]));
}

/** A grant as the reports read it: its terms, state and outcome, no personal data. */
/** A supplier's progress reports due in one quarter, and how many came late. */
export interface ProgressReportCount {
  supplierId: string;
  quarter: number;
  reports: number;
  late: number;
}

export interface GrantMeeting {
  id: string;
  reference: string;
  supplierId: string;
  agreementId: string;
  mentorType: MentorType;
  serviceLevel: number;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  status: 'active' | 'ended';
  outcome: Outcome | null;
  endedOn: CalendarDate | null;
}

/** An approved grant as the course statistics read it: the citizen by id only. */
export interface StatisticsGrantRow {
  id: string;
  citizenId: string;
  supplierId: string;
  mentorType: MentorType;
  targetGroup: TargetGroup;
  start: CalendarDate;
  end: CalendarDate;
  status: 'active' | 'ended';
  outcome: Outcome | null;
  endedOn: CalendarDate | null;
  extensionsUsed: number;
}

/** Every query on mentor_grant, progress_report, grant_task_order and the grant reference sequence. */
@Injectable()
export class GrantStore {
  /** The next reference number, padded: `MS-<year>-` goes before it. */
  async nextReferenceNumber(manager: EntityManager): Promise<string> {
    const [{ n }] = (await manager.query(Q.nextReferenceNumber)) as Array<{ n: string }>;
    return n.padStart(6, '0');
  }

  /** Stores a new grant, proposed (no transition leads into a grant): a team leader approves it. */
  async insert(manager: EntityManager, reference: string, grant: NewGrant): Promise<string> {
    const initial: GrantStatus = NEW_GRANT_STATUS;
    const [row] = (await manager.query(Q.insert, [
      reference, grant.citizenId, grant.agreementId, grant.supplierId, grant.mentorType, grant.serviceLevel, grant.minutesPerWeek,
      grant.start, grant.end, grant.targetGroupAtStart, grant.goal, grant.tasks, grant.mentorName, grant.mentorPhone, grant.mentorEmail,
      grant.complaintGuidance, initial, grant.createdBy, grant.excessReason,
    ])) as Array<{ id: string }>;
    return row.id;
  }

  async get(manager: EntityManager, id: string): Promise<GrantWithReports | null> {
    const [row] = (await manager.query(Q.get, [id])) as Array<GrantRecord & { follow_ups: HeldFollowUp[] }>;
    return row ? { ...grantRow(row), followUps: row.follow_ups } : null;
  }

  /** Up to `limit + 1` grants by reference: the extra one says there is a next page. */
  async list(manager: EntityManager, filter: GrantListFilter): Promise<GrantRow[]> {
    const rows = (await manager.query(Q.list, [
      filter.scopeSupplierId, filter.status ?? null, filter.supplierId ?? null, filter.agreementId ?? null, filter.mentorType ?? null,
      filter.serviceLevel ?? null, filter.reference ?? null, filter.activeOn ?? null, filter.after ?? null, filter.limit + 1,
    ])) as GrantRecord[];
    return rows.map(grantRow);
  }

  /** A page of the searchable list; `search` null leaves the search out. */
  async search(manager: EntityManager, filter: Omit<GrantListFilter, 'after' | 'limit'>, search: GrantSearch | null, request: PageRequest<GrantSort>): Promise<KeysetPage<GrantRow>> {
    const page = await keysetPage<GrantRecord, GrantSort>(manager, Q, 'search', request, [
      filter.scopeSupplierId, filter.status ?? null, filter.supplierId ?? null, filter.agreementId ?? null, filter.mentorType ?? null,
      filter.serviceLevel ?? null, filter.reference ?? null, filter.activeOn ?? null,
      search?.referencePattern ?? null, search?.citizenPattern ?? null, search?.cprLookup ?? null, search?.maskedCpr ?? null,
    ]);
    return { ...page, items: page.items.map(grantRow) };
  }

  async anyOfCitizen(manager: EntityManager, citizenId: string): Promise<boolean> {
    const [row] = (await manager.query(Q.anyOfCitizen, [citizenId])) as Array<{ found: boolean }>;
    return row.found;
  }

  /** The citizen's grants (of any state), by reference. */
  async ofCitizen(manager: EntityManager, citizenId: string): Promise<GrantRow[]> {
    return ((await manager.query(Q.ofCitizen, [citizenId])) as GrantRecord[]).map(grantRow);
  }

  atStartOfCitizen(manager: EntityManager, citizenId: string): Promise<Array<{ reference: string; status: GrantStatus; start: CalendarDate; targetGroupAtStart: TargetGroup }>> {
    return manager.query(Q.atStartOfCitizen, [citizenId]) as Promise<Array<{ reference: string; status: GrantStatus; start: CalendarDate; targetGroupAtStart: TargetGroup }>>;
  }

  /** Gives the citizen's grants not yet approved among `references` the target group in force on their start; the number changed. */
  async retarget(manager: EntityManager, citizenId: string, references: string[], targetGroup: TargetGroup): Promise<number> {
    if (references.length === 0) return 0;
    const [, affected] = (await manager.query(Q.retarget, [citizenId, references, targetGroup])) as [unknown, number];
    return affected;
  }

  /** The oldest `limit` proposals awaiting a team leader. */
  async proposals(manager: EntityManager, limit: number): Promise<GrantRow[]> {
    return ((await manager.query(Q.proposals, [limit])) as GrantRecord[]).map(grantRow);
  }

  /** The oldest `limit` grants sent back to their caseworker. */
  async sentBack(manager: EntityManager, limit: number): Promise<GrantRow[]> {
    return ((await manager.query(Q.sentBack, [limit])) as GrantRecord[]).map(grantRow);
  }

  meeting(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<GrantMeeting[]> {
    return manager.query(Q.meeting, [from, to]) as Promise<GrantMeeting[]>;
  }

  /** Every approved grant (active or ended) started by `until`, oldest first. */
  statisticsGrants(manager: EntityManager, until: CalendarDate): Promise<StatisticsGrantRow[]> {
    return manager.query(Q.statisticsGrants, [until]) as Promise<StatisticsGrantRow[]>;
  }

  /** Progress reports due in from..to per supplier and quarter, with how many were late. */
  async progressReportCounts(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<ProgressReportCount[]> {
    return (await manager.query(Q.progressReportCounts, [from, to])) as ProgressReportCount[];
  }

  async citizensOfReferences(manager: EntityManager, references: string[]): Promise<Map<string, string>> {
    if (references.length === 0) return new Map();
    const rows = (await manager.query(Q.citizensOfReferences, [references])) as Array<{ reference: string; citizenId: string }>;
    return new Map(rows.map((row) => [row.reference, row.citizenId]));
  }

  async invoicingFacts(manager: EntityManager, references: string[]): Promise<GrantInvoicingFacts[]> {
    if (references.length === 0) return [];
    // The query names its columns as the facts do.
    return (await manager.query(Q.invoicingFacts, [references])) as GrantInvoicingFacts[];
  }

  /** The expense terms of the grants whose period meets from..to, by grant id. */
  async expenseTermsMeeting(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<Map<string, GrantExpenseTerms>> {
    return expenseTermsById((await manager.query(Q.expenseTermsMeeting, [from, to])) as ExpenseTermsRecord[]);
  }

  /** The expense terms of these grants, by grant id; ids not found are left out. */
  async expenseTermsOf(manager: EntityManager, ids: string[]): Promise<Map<string, GrantExpenseTerms>> {
    if (ids.length === 0) return new Map();
    return expenseTermsById((await manager.query(Q.expenseTermsOf, [ids])) as ExpenseTermsRecord[]);
  }

  /**
   * Moves a grant from `from` in one conditional UPDATE: extended (it stays active) only from the end and
   * count its rules were checked against, or ended. False when it was no longer so (another write won). A
   * transition the table does not allow `role` is a 409 naming both states.
   */
  async transition(
    manager: EntityManager,
    grant: Pick<GrantRow, 'id' | 'end' | 'extensionsUsed'>,
    from: GrantStatus,
    change: { to: 'active'; newEnd: CalendarDate } | { to: 'ended'; outcome: Outcome; endedOn: CalendarDate },
    role: TransitionRole,
  ): Promise<boolean> {
    this.assertTransition(from, change.to, role);
    const [, affected] = (
      change.to === 'active'
        ? await manager.query(Q.extend, [grant.id, from, change.to, change.newEnd, grant.end, grant.extensionsUsed])
        : await manager.query(Q.end, [grant.id, from, change.to, change.outcome, change.endedOn])
    ) as [unknown, number];
    return affected === 1;
  }

  /** Approves a proposal, active from `activeFrom`, in one conditional UPDATE; false when it was no longer proposed. */
  async approve(manager: EntityManager, id: string, approvedBy: string, activeFrom: CalendarDate, role: TransitionRole): Promise<boolean> {
    this.assertTransition('proposed', 'active', role);
    const [, affected] = (await manager.query(Q.approve, [id, 'proposed', 'active', approvedBy, activeFrom])) as [unknown, number];
    return affected === 1;
  }

  /** Sends a proposal back with the reason, in one conditional UPDATE; false when it was no longer proposed. */
  async sendBack(manager: EntityManager, id: string, sentBackBy: string, reason: string, role: TransitionRole): Promise<boolean> {
    this.assertTransition('proposed', 'sent_back', role);
    const [, affected] = (await manager.query(Q.sendBack, [id, 'proposed', 'sent_back', sentBackBy, reason])) as [unknown, number];
    return affected === 1;
  }

  /**
   * Proposes a grant sent back again with its changed terms, in one conditional UPDATE: only while it is sent back.
   * False when another write won (it was proposed again meanwhile).
   */
  async propose(manager: EntityManager, id: string, proposedBy: string | null, changes: ProposalChanges, role: TransitionRole): Promise<boolean> {
    this.assertTransition('sent_back', 'proposed', role);
    const [, affected] = (await manager.query(Q.propose, [
      id, 'sent_back', 'proposed', proposedBy, changes.serviceLevel, changes.minutesPerWeek, changes.end, changes.goal, changes.tasks, changes.mentorName, changes.mentorPhone, changes.mentorEmail, changes.excessReason,
    ])) as [unknown, number];
    return affected === 1;
  }

  /** A 409 naming both states when the table does not let `role` move a grant from `from` to `to`. */
  assertTransition(from: GrantStatus, to: GrantStatus, role: TransitionRole): void {
    const problem = grantTransitionProblem(from, to, role);
    if (problem) throw DomainException.conflict(`The grant cannot go from ${from} to ${to}`, [problem]);
  }

  // ---- the stored first open task ----

  /** The rule sets the stored dates were computed under, and whether an active grant has none stored. */
  async taskOrderState(manager: EntityManager): Promise<{ fingerprint: string | null; unset: boolean }> {
    const [row] = (await manager.query(Q.taskOrderState)) as Array<{ fingerprint: string | null; unset: boolean }>;
    return { fingerprint: row.fingerprint, unset: row.unset };
  }

  /**
   * Clears every stored date when they were computed under other rule sets, and records `fingerprint`; in the
   * caller's transaction, under the order row's lock, so two processes clear once.
   */
  async resetTaskOrder(manager: EntityManager, fingerprint: string): Promise<void> {
    await manager.query(Q.ensureTaskOrder);
    const [locked] = (await manager.query(Q.lockTaskOrder)) as Array<{ rules_fingerprint: string }>;
    if (locked.rules_fingerprint === fingerprint) return;
    await manager.query(Q.clearAllTaskDue);
    await manager.query(Q.setTaskOrderFingerprint, [fingerprint]);
  }

  /** The grant's first open task may have moved: computed again by the job. */
  async clearTaskDue(manager: EntityManager, grantId: string): Promise<void> {
    await manager.query(Q.clearTaskDue, [grantId]);
  }

  async unsetTaskDue(manager: EntityManager, limit: number): Promise<UnsetTaskDue[]> {
    const rows = (await manager.query(Q.unsetTaskDue, [limit])) as Array<{ id: string; version: string; start: CalendarDate; end: CalendarDate; follow_ups: HeldFollowUp[] }>;
    return rows.map((r) => ({ id: r.id, version: r.version, start: r.start, end: r.end, followUps: r.follow_ups }));
  }

  /** Stores the dates of grants unchanged since they were read; the number stored. */
  async storeTaskDue(manager: EntityManager, dues: Array<{ id: string; version: string; due: CalendarDate | null }>): Promise<number> {
    const [, affected] = (await manager.query(Q.storeTaskDue, [dues.map((d) => d.id), dues.map((d) => d.version), dues.map((d) => d.due)])) as [unknown, number];
    return affected;
  }

  /** Outside a transaction only. */
  async vacuum(manager: EntityManager): Promise<void> {
    await manager.query(Q.vacuum);
  }

  /** The `limit` active grants whose stored first open task is due first. */
  async firstTaskLines(manager: EntityManager, limit: number): Promise<TaskLineSource[]> {
    return ((await manager.query(Q.firstTaskLines, [limit])) as TaskLineRecord[]).map(taskLine);
  }

  /** A page of active grants by their stored first open task (the due list's pages). */
  async dueTaskLines(manager: EntityManager, request: PageRequest<'due'>): Promise<KeysetPage<TaskLineSource>> {
    const page = await keysetPage<TaskLineRecord, 'due'>(manager, Q, 'dueLines', request, []);
    return { ...page, items: page.items.map(taskLine) };
  }

  /** The active grants with no stored first open task (all active ones when `all`). */
  async unsetTaskLines(manager: EntityManager, all: boolean): Promise<TaskLineSource[]> {
    return ((await manager.query(all ? Q.activeTaskLines : Q.unsetTaskLines)) as TaskLineRecord[]).map(taskLine);
  }

  async taskSources(manager: EntityManager, ids: readonly string[]): Promise<TaskSource[]> {
    if (ids.length === 0) return [];
    const rows = (await manager.query(Q.taskSources, [ids])) as Array<{ id: string; start: CalendarDate; end: CalendarDate; status: GrantStatus; follow_ups: HeldFollowUp[] }>;
    return rows.map((r) => ({ id: r.id, start: r.start, end: r.end, status: r.status, followUps: r.follow_ups }));
  }

  /** Active grants with an open task due by `until` (or not computed yet), for reminders: no citizen data. */
  async reminderSources(manager: EntityManager, until: CalendarDate): Promise<Array<TaskSource & { reference: string; supplierId: string }>> {
    const rows = (await manager.query(Q.reminderSources, [until])) as Array<{ id: string; reference: string; supplier_id: string; start: CalendarDate; end: CalendarDate; status: GrantStatus; follow_ups: HeldFollowUp[] }>;
    return rows.map((r) => ({ id: r.id, reference: r.reference, supplierId: r.supplier_id, start: r.start, end: r.end, status: r.status, followUps: r.follow_ups }));
  }

  async caseworkersOf(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = (await manager.query(Q.caseworkersOf, [ids])) as Array<{ id: string; created_by: string | null }>;
    return new Map(rows.map((r) => [r.id, r.created_by]));
  }

  // ---- progress reports ----

  /** Stores the report; null when one for that date is already stored. */
  async insertReport(manager: EntityManager, report: NewProgressReport): Promise<ProgressReportRow | null> {
    const [row] = (await manager.query(Q.insertReport, [
      report.grantId, report.dueDate, report.progress, report.hoursUsedFor, report.deliverySummary, report.submittedBy, report.late,
    ])) as ReportRecord[];
    return row ? reportRow(row) : null;
  }

  async reports(manager: EntityManager, grantId: string): Promise<ProgressReportRow[]> {
    return ((await manager.query(Q.reports, [grantId])) as ReportRecord[]).map(reportRow);
  }
}
