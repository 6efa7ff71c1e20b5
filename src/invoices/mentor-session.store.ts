import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';
import type { ContactForm } from './parsed-invoice';
import type { LoggedSession, WithWhom } from './session-log.rules';

/** A logged mentor session as stored, with the invoice it is on while that invoice's line stands. */
export interface MentorSessionRow {
  id: string;
  supplierId: string;
  grantId: string;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  contactForm: ContactForm;
  withWhom: WithWhom;
  /** The invoice whose line (neither rejected nor credited) covers the session; null while it is not invoiced. */
  invoiceId: string | null;
  /** That invoice's number; null while it is not invoiced. */
  invoiceNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewMentorSession {
  grantId: string;
  grantReference: string;
  date: CalendarDate;
  minutes: number;
  contactForm: ContactForm;
  withWhom: WithWhom;
}

export interface MentorSessionFilter {
  /** The supplier a supplier user sees; null for staff (all). */
  supplierId: string | null;
  grantId: string | null;
  from: CalendarDate | null;
  to: CalendarDate | null;
  invoiced: boolean | null;
  limit: number;
}

// The delivery a session became, while it stands: a rejected or credited line frees the session again.
const STANDING_DELIVERY = `d.id = s.delivery_id AND d.status NOT IN ('rejected', 'credited')`;
const COLUMNS = `s.id, s.supplier_id AS "supplierId", s.grant_id AS "grantId", s.grant_reference AS "grantReference", s.held_on::text AS date,
       s.minutes, s.contact_form AS "contactForm", s.with_whom AS "withWhom", d.invoice_id AS "invoiceId", i.invoice_number AS "invoiceNumber", s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

const Q = sqlQueries('invoices/mentor-session.store', {
  insert: `
    INSERT INTO mentor_session (supplier_id, logged_by, grant_id, grant_reference, held_on, minutes, contact_form, with_whom)
    SELECT $1, $2, * FROM unnest($3::uuid[], $4::text[], $5::date[], $6::int[], $7::text[], $8::text[])
    ON CONFLICT ON CONSTRAINT mentor_session_once DO NOTHING
    RETURNING id`,
  // The sessions among these (grant, day, minutes) that are logged already, other than `except`.
  existing: `
    SELECT s.grant_id AS "grantId", s.held_on::text AS date, s.minutes
      FROM mentor_session s
      JOIN unnest($1::uuid[], $2::date[], $3::int[]) AS n(grant_id, held_on, minutes)
        ON n.grant_id = s.grant_id AND n.held_on = s.held_on AND n.minutes = s.minutes
     WHERE $4::uuid IS NULL OR s.id <> $4`,
  list: `
    SELECT ${COLUMNS}
      FROM mentor_session s LEFT JOIN delivery d ON ${STANDING_DELIVERY} LEFT JOIN invoice i ON i.id = d.invoice_id
     WHERE ($1::uuid IS NULL OR s.supplier_id = $1) AND ($2::uuid IS NULL OR s.grant_id = $2)
       AND ($3::date IS NULL OR s.held_on >= $3) AND ($4::date IS NULL OR s.held_on <= $4)
       AND ($5::boolean IS NULL OR (d.id IS NOT NULL) = $5)
     ORDER BY s.held_on, s.created_at, s.id
     LIMIT $6`,
  byIds: `
    SELECT ${COLUMNS}
      FROM mentor_session s LEFT JOIN delivery d ON ${STANDING_DELIVERY} LEFT JOIN invoice i ON i.id = d.invoice_id
     WHERE s.id = ANY($1::uuid[])
     ORDER BY s.held_on, s.created_at, s.id`,
  // Changed only while no standing invoice line covers it: the count says whether it was.
  update: `
    UPDATE mentor_session s SET held_on = $2, minutes = $3, contact_form = $4, with_whom = $5, updated_at = now()
     WHERE s.id = $1 AND NOT EXISTS (SELECT 1 FROM delivery d WHERE ${STANDING_DELIVERY})`,
  remove: `
    DELETE FROM mentor_session s
     WHERE s.id = $1 AND NOT EXISTS (SELECT 1 FROM delivery d WHERE ${STANDING_DELIVERY})`,
  // The supplier's sessions of these grants in a period, invoiced or not, for matching a monthly invoice line.
  forMatching: `
    SELECT s.id, s.grant_reference AS "grantReference", s.held_on::text AS date, s.minutes, s.contact_form AS "contactForm", (d.id IS NOT NULL) AS invoiced
      FROM mentor_session s LEFT JOIN delivery d ON ${STANDING_DELIVERY}
     WHERE s.supplier_id = $1 AND s.grant_reference = ANY($2::text[]) AND s.held_on BETWEEN $3 AND $4`,
  markInvoiced: `
    UPDATE mentor_session s SET delivery_id = u.delivery_id
      FROM unnest($1::uuid[], $2::uuid[]) AS u(id, delivery_id)
     WHERE s.id = u.id`,
});

/** Every query on mentor_session (the session log). */
@Injectable()
export class MentorSessionStore {
  /** Inserts the sessions; answers how many were new (a session logged meanwhile is left out). */
  async insert(manager: EntityManager, supplierId: string, loggedBy: string | null, sessions: NewMentorSession[]): Promise<string[]> {
    const rows = (await manager.query(Q.insert, [
      supplierId,
      loggedBy,
      sessions.map((s) => s.grantId),
      sessions.map((s) => s.grantReference),
      sessions.map((s) => s.date),
      sessions.map((s) => s.minutes),
      sessions.map((s) => s.contactForm),
      sessions.map((s) => s.withWhom),
    ])) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  async existing(manager: EntityManager, sessions: ReadonlyArray<{ grantId: string; date: CalendarDate; minutes: number }>, except: string | null = null): Promise<Array<{ grantId: string; date: CalendarDate; minutes: number }>> {
    if (sessions.length === 0) return [];
    return (await manager.query(Q.existing, [sessions.map((s) => s.grantId), sessions.map((s) => s.date), sessions.map((s) => s.minutes), except])) as Array<{ grantId: string; date: CalendarDate; minutes: number }>;
  }

  async list(manager: EntityManager, filter: MentorSessionFilter): Promise<MentorSessionRow[]> {
    return (await manager.query(Q.list, [filter.supplierId, filter.grantId, filter.from, filter.to, filter.invoiced, filter.limit])) as MentorSessionRow[];
  }

  async byIds(manager: EntityManager, ids: string[]): Promise<MentorSessionRow[]> {
    if (ids.length === 0) return [];
    return (await manager.query(Q.byIds, [ids])) as MentorSessionRow[];
  }

  /** False when an invoice line covers the session (it is no longer changed). */
  async update(manager: EntityManager, id: string, fields: Pick<NewMentorSession, 'date' | 'minutes' | 'contactForm' | 'withWhom'>): Promise<boolean> {
    const [, affected] = (await manager.query(Q.update, [id, fields.date, fields.minutes, fields.contactForm, fields.withWhom])) as [unknown, number];
    return affected === 1;
  }

  /** False when an invoice line covers the session (it is no longer removed). */
  async remove(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.remove, [id])) as [unknown, number];
    return affected === 1;
  }

  async forMatching(manager: EntityManager, supplierId: string, grantReferences: string[], from: CalendarDate, to: CalendarDate): Promise<LoggedSession[]> {
    if (grantReferences.length === 0) return [];
    return (await manager.query(Q.forMatching, [supplierId, grantReferences, from, to])) as LoggedSession[];
  }

  async markInvoiced(manager: EntityManager, pairs: ReadonlyArray<{ sessionId: string; deliveryId: string }>): Promise<void> {
    if (pairs.length === 0) return;
    await manager.query(Q.markInvoiced, [pairs.map((p) => p.sessionId), pairs.map((p) => p.deliveryId)]);
  }
}
