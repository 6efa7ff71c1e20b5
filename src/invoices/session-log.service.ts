import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import type { CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { GrantsService } from '../grants/grants.service';
import { InvoiceStore } from './invoice.store';
import { MentorSessionStore, type MentorSessionRow, type NewMentorSession } from './mentor-session.store';
import type { ReceivedInvoice } from './received-invoice';
import type { CreateMentorSessionDto, MentorSessionDto, MentorSessionImportDto, MentorSessionListDto, MentorSessionQueryDto, UpdateMentorSessionDto } from './session-log.dto';
import { checkSession, coversPeriod, duplicateRows, matchSessionLog, parseSessionCsv, SESSION_CSV_MAX_BYTES, type MatchedLine, type SessionFields } from './session-log.rules';

// Sessions can be logged on a grant the team leader has approved (and, up to its end, one that has ended).
const LOGGABLE = new Set(['active', 'ended']);

interface GrantOfSession {
  id: string;
  reference: string;
  supplierId: string;
  status: string;
  start: CalendarDate;
  end: CalendarDate;
}

/**
 * The session log (sessionslog): a supplier's sessions as they are held, changed or removed until an invoice line
 * covers them; a file of sessions is logged whole or not at all. For invoicing, a monthly line is matched against
 * the log (session-log.rules.ts) and the sessions it covers are marked with their deliveries. Every change is audited.
 */
@Injectable()
export class SessionLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: MentorSessionStore,
    private readonly invoiceStore: InvoiceStore,
    private readonly grants: GrantsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async log(body: CreateMentorSessionDto, scope: AccessScope, actor: Actor): Promise<MentorSessionDto> {
    const supplierId = supplierOf(scope);
    const grant = await this.grants.row(body.grantId, scope);
    const session = this.checked(body, grant, '');
    const [created] = await this.insert(supplierId, [{ grant, session, field: '' }], actor);
    return created;
  }

  /** A session log file (CSV): every row valid and new, or nothing logged and a problem per row. */
  async importCsv(body: unknown, scope: AccessScope, actor: Actor): Promise<MentorSessionImportDto> {
    const supplierId = supplierOf(scope);
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : null;
    if (text === null) throw new DomainException(DomainErrorCode.InvalidInput, 'Send the session log as text/csv', [{ field: 'file', rule: 'file_type', message: 'the file must be text/csv' }]);
    if (Buffer.byteLength(text, 'utf8') > SESSION_CSV_MAX_BYTES) {
      // The one error shape of a body too large (413, rule max_size), as the body parser's.
      throw Object.assign(new Error('session log file too large'), { type: 'entity.too.large', status: 413, limit: SESSION_CSV_MAX_BYTES });
    }
    const parsed = parseSessionCsv(text);
    if (!parsed.ok) throw DomainException.rule('The session log file cannot be read', parsed.problems);
    const references = [...new Set(parsed.rows.map((row) => row.grantReference))];
    const grants = new Map((await this.grants.invoicingFacts(this.dataSource.manager, references)).filter((g) => g.supplierId === supplierId).map((g) => [g.reference, g]));
    const problems: ErrorDetail[] = [];
    const rows: Array<{ rowNo: number; grantReference: string; grant: GrantOfSession; session: SessionFields; field: string }> = [];
    for (const row of parsed.rows) {
      const at = `rows[${row.rowNo}].`;
      const grant = grants.get(row.grantReference);
      // Another supplier's grant is answered as one that does not exist.
      if (grant === undefined) {
        problems.push({ field: `${at}grantReference`, rule: 'own_active_grant', message: `grant ${row.grantReference} is not one of your grants`, values: { row: row.rowNo } });
        continue;
      }
      const checked = this.check(row.input, grant, at);
      if (!checked.ok) problems.push(...checked.problems);
      else rows.push({ rowNo: row.rowNo, grantReference: row.grantReference, grant, session: checked.session, field: at });
    }
    problems.push(...duplicateRows(rows));
    if (problems.length > 0) throw DomainException.rule('The session log file has errors; nothing was logged', problems.slice(0, 200));
    const items = await this.insert(supplierId, rows, actor);
    return { created: items.length, items };
  }

  async list(query: MentorSessionQueryDto, scope: AccessScope): Promise<MentorSessionListDto> {
    if (query.grantId) await this.grants.row(query.grantId, scope);
    const rows = await this.store.list(this.dataSource.manager, {
      supplierId: scope.supplierId,
      grantId: query.grantId ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      invoiced: query.invoiced === undefined ? null : query.invoiced === 'true',
      limit: query.limit ?? 500,
    });
    const items = rows.map(sessionDto);
    return { items, totalMinutes: sum(items), notInvoicedMinutes: sum(items.filter((s) => !s.invoiced)) };
  }

  /**
   * A grant's whole session log for staff: every logged session, the invoice that covers it or none. The page is
   * staff's; a supplier has its own log (/supplier/sessions) and is answered as if the grant did not exist.
   */
  async ofGrant(grantId: string, scope: AccessScope): Promise<{ grant: { id: string; reference: string; start: CalendarDate; end: CalendarDate }; log: MentorSessionListDto }> {
    if (scope.isSupplier) throw DomainException.notFound('Grant');
    const grant = await this.grants.row(grantId, scope);
    const log = await this.list({ grantId, limit: 1000 }, scope);
    return { grant: { id: grant.id, reference: grant.reference, start: grant.start, end: grant.end }, log };
  }

  async update(id: string, body: UpdateMentorSessionDto, scope: AccessScope, actor: Actor): Promise<MentorSessionDto> {
    const before = await this.own(this.dataSource.manager, id, scope);
    const grant = await this.grants.row(before.grantId, scope);
    const session = this.checked({ date: body.date ?? before.date, minutes: body.minutes ?? before.minutes, contactForm: body.contactForm ?? before.contactForm, withWhom: body.withWhom ?? before.withWhom }, grant, '');
    return this.dataSource.transaction(async (manager) => {
      await this.invoiceStore.lockSupplierInvoicing(manager, before.supplierId);
      await this.refuseDuplicates(manager, [{ grantId: grant.id, session, field: '' }], id);
      if (!(await this.store.update(manager, id, session))) throw invoiced(before);
      await this.audit.record(manager, actor, {
        action: 'session.changed',
        entityType: 'mentor_session',
        entityId: id,
        change: changes(before, session),
      });
      const [after] = await this.store.byIds(manager, [id]);
      return sessionDto(after);
    });
  }

  async remove(id: string, scope: AccessScope, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.own(manager, id, scope);
      await this.invoiceStore.lockSupplierInvoicing(manager, before.supplierId);
      if (!(await this.store.remove(manager, id))) throw invoiced(before);
      await this.audit.record(manager, actor, {
        action: 'session.removed',
        entityType: 'mentor_session',
        entityId: id,
        change: { grantReference: before.grantReference, date: before.date, minutes: before.minutes },
      });
    });
  }

  /**
   * The invoice with each monthly line matched against the supplier's session log, in the caller's transaction
   * (which holds the supplier's invoicing lock); the invoice as it is when no line covers a period.
   */
  async match(manager: EntityManager, supplierId: string, received: ReceivedInvoice): Promise<{ invoice: ReceivedInvoice; lines: MatchedLine[] } | null> {
    const periodLines = received.lines.filter(coversPeriod);
    if (received.documentType !== 'invoice' || periodLines.length === 0) return null;
    const from = periodLines.reduce((min, line) => (line.date < min ? line.date : min), periodLines[0].date);
    const to = periodLines.reduce((max, line) => ((line.periodTo as CalendarDate) > max ? (line.periodTo as CalendarDate) : max), periodLines[0].periodTo as CalendarDate);
    const logged = await this.store.forMatching(manager, supplierId, [...new Set(periodLines.map((line) => line.grantReference))], from, to);
    if (logged.length === 0) return null;
    const lines = matchSessionLog(received, logged);
    return { invoice: { ...received, lines }, lines };
  }

  /** Marks the logged sessions an invoice's lines cover with their deliveries (`lines` as matched, `deliveries` as stored). */
  async markInvoiced(manager: EntityManager, lines: readonly MatchedLine[], deliveries: ReadonlyArray<{ id: string; lineNo: number }>): Promise<void> {
    const byLine = new Map(deliveries.map((d) => [d.lineNo, d.id]));
    const pairs = lines.filter((line) => line.mentorSessionId !== null && byLine.has(line.lineNo)).map((line) => ({ sessionId: line.mentorSessionId as string, deliveryId: byLine.get(line.lineNo) as string }));
    await this.store.markInvoiced(manager, pairs);
  }

  private check(input: Parameters<typeof checkSession>[0], grant: GrantOfSession, prefix: string): ReturnType<typeof checkSession> {
    if (!LOGGABLE.has(grant.status)) {
      return { ok: false, problems: [{ field: `${prefix}grantId`, rule: 'own_active_grant', message: `the grant is ${grant.status}; sessions are logged on approved grants`, values: { status: grant.status } }] };
    }
    return checkSession(input, { today: this.clock.today(), grantStart: grant.start, grantEnd: grant.end }, prefix);
  }

  private checked(input: Parameters<typeof checkSession>[0], grant: GrantOfSession, prefix: string): SessionFields {
    const result = this.check(input, grant, prefix);
    if (!result.ok) throw DomainException.rule('The session cannot be logged', result.problems);
    return result.session;
  }

  private async insert(supplierId: string, rows: Array<{ grant: GrantOfSession; session: SessionFields; field: string }>, actor: Actor): Promise<MentorSessionDto[]> {
    return this.dataSource.transaction(async (manager) => {
      await this.invoiceStore.lockSupplierInvoicing(manager, supplierId);
      await this.refuseDuplicates(manager, rows.map((row) => ({ grantId: row.grant.id, session: row.session, field: row.field })), null);
      const sessions: NewMentorSession[] = rows.map(({ grant, session }) => ({ grantId: grant.id, grantReference: grant.reference, ...session }));
      const ids = await this.store.insert(manager, supplierId, actor.userId, sessions);
      if (ids.length !== sessions.length) throw duplicate([{ field: 'date', rule: 'session_duplicate', message: 'a session was logged meanwhile' }]);
      for (const [i, id] of ids.entries()) {
        await this.audit.record(manager, actor, {
          action: 'session.logged',
          entityType: 'mentor_session',
          entityId: id,
          change: { grantReference: sessions[i].grantReference, date: sessions[i].date, minutes: sessions[i].minutes, contactForm: sessions[i].contactForm, withWhom: sessions[i].withWhom },
        });
      }
      return (await this.store.byIds(manager, ids)).map(sessionDto);
    });
  }

  private async refuseDuplicates(manager: EntityManager, rows: Array<{ grantId: string; session: SessionFields; field: string }>, except: string | null): Promise<void> {
    const existing = await this.store.existing(manager, rows.map((row) => ({ grantId: row.grantId, date: row.session.date, minutes: row.session.minutes })), except);
    if (existing.length === 0) return;
    const taken = new Set(existing.map((e) => `${e.grantId}|${e.date}|${e.minutes}`));
    const problems = rows
      .filter((row) => taken.has(`${row.grantId}|${row.session.date}|${row.session.minutes}`))
      .map((row) => ({ field: `${row.field}date`, rule: 'session_duplicate', message: `a session of ${row.session.minutes} minutes on ${row.session.date} is logged on this grant already`, values: { date: row.session.date, minutes: row.session.minutes } }));
    throw duplicate(problems);
  }

  private async own(manager: EntityManager, id: string, scope: AccessScope): Promise<MentorSessionRow> {
    const [row] = await this.store.byIds(manager, [id]);
    if (!row) throw DomainException.notFound('Session');
    scope.assertVisible(row.supplierId, 'Session');
    return row;
  }
}

function supplierOf(scope: AccessScope): string {
  if (!scope.isSupplier) throw DomainException.forbidden('Sessions are logged by the supplier');
  return scope.supplierId as string;
}

function duplicate(details: ErrorDetail[]): DomainException {
  return DomainException.conflict('The session is logged already', details);
}

function invoiced(row: MentorSessionRow): DomainException {
  return DomainException.conflict('The session is invoiced', [{ field: 'id', rule: 'session_invoiced', message: `the session on ${row.date} is on an invoice and can no longer be changed or removed`, values: { date: row.date } }]);
}

function changes(before: MentorSessionRow, after: SessionFields): Record<string, unknown> {
  const out: Record<string, unknown> = { grantReference: before.grantReference };
  for (const name of ['date', 'minutes', 'contactForm', 'withWhom'] as const) {
    if (before[name] !== after[name]) out[name] = { from: before[name], to: after[name] };
  }
  return out;
}

const sum = (items: ReadonlyArray<{ minutes: number }>): number => items.reduce((total, item) => total + item.minutes, 0);

function sessionDto(row: MentorSessionRow): MentorSessionDto {
  return {
    id: row.id,
    grantId: row.grantId,
    grantReference: row.grantReference,
    date: row.date,
    minutes: row.minutes,
    contactForm: row.contactForm,
    withWhom: row.withWhom,
    invoiced: row.invoiceId !== null,
    invoiceId: row.invoiceId,
    invoiceNumber: row.invoiceNumber,
  };
}
