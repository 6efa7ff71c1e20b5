import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { GrantMessageKind } from '../common/notifications/notification-events';
import type { CalendarDate } from '../common/time/calendar-date';

/** The SQL of the grants' message threads. */
export const GRANT_MESSAGE_SQL = sqlQueries('notifications/grant-message.store', {
  insert: `
    INSERT INTO grant_message (grant_id, supplier_id, author_user_id, author_side, kind, session_date, reported_on, body)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    RETURNING id, author_user_id AS "authorUserId", author_side AS "from", kind, session_date::text AS "sessionDate", reported_on::text AS "reportedOn", body, created_at AS "createdAt"`,
  thread: `
    SELECT id, author_user_id AS "authorUserId", author_side AS "from", kind, session_date::text AS "sessionDate", reported_on::text AS "reportedOn", body, created_at AS "createdAt"
      FROM grant_message WHERE grant_id = $1 ORDER BY created_at, id LIMIT 500`,
});

const Q = GRANT_MESSAGE_SQL;

export interface GrantMessageRow {
  id: string;
  authorUserId: string | null;
  from: 'caseworker' | 'supplier';
  kind: GrantMessageKind;
  sessionDate: CalendarDate | null;
  reportedOn: CalendarDate;
  body: string;
  createdAt: Date;
}

/** Every query on grant_message. */
@Injectable()
export class GrantMessageStore {
  async insert(
    manager: EntityManager,
    message: { grantId: string; supplierId: string; authorUserId: string | null; from: 'caseworker' | 'supplier'; kind: GrantMessageKind; sessionDate: CalendarDate | null; reportedOn: CalendarDate; body: string },
  ): Promise<GrantMessageRow> {
    const [row] = (await manager.query(Q.insert, [message.grantId, message.supplierId, message.authorUserId, message.from, message.kind, message.sessionDate, message.reportedOn, message.body])) as GrantMessageRow[];
    return row;
  }

  async thread(manager: EntityManager, grantId: string): Promise<GrantMessageRow[]> {
    return (await manager.query(Q.thread, [grantId])) as GrantMessageRow[];
  }
}
