import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import type { NotificationEvent, NotificationType } from '../common/notifications/notification-events';
import type { Delivery } from './notification-catalogue';

/** The SQL of the event outbox, the users' notifications and their preferences. */
export const NOTIFICATION_SQL = sqlQueries('notifications/notification.store', {
  insertEvents: `
    INSERT INTO notification_event (event_key, type, payload)
    SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
    ON CONFLICT (event_key) DO NOTHING`,
  pendingEvents: `
    SELECT id::text AS id, event_key AS "key", type, payload, occurred_at AS "occurredAt"
      FROM notification_event WHERE dispatched_at IS NULL ORDER BY id LIMIT $1`,
  // Another relay holding an event skips it; one already dispatched is not taken again.
  lockPending: `
    SELECT id::text AS id FROM notification_event
     WHERE id = ANY($1::bigint[]) AND dispatched_at IS NULL
     FOR UPDATE SKIP LOCKED`,
  markDispatched: `UPDATE notification_event SET dispatched_at = now() WHERE id = ANY($1::bigint[]) AND dispatched_at IS NULL`,
  insertNotifications: `
    INSERT INTO notification (event_id, user_id, on_behalf_of, type, delivery)
    SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])
    ON CONFLICT (event_id, user_id) DO NOTHING`,
  list: `
    SELECT n.id, n.type, n.created_at AS "createdAt", n.read_at AS "readAt", n.on_behalf_of AS "onBehalfOf", e.payload
      FROM notification n JOIN notification_event e ON e.id = n.event_id
     WHERE n.user_id = $1 AND (NOT $2::boolean OR n.read_at IS NULL)
       AND ($3::uuid IS NULL OR (n.created_at, n.id) < (SELECT c.created_at, c.id FROM notification c WHERE c.id = $3 AND c.user_id = $1))
     ORDER BY n.created_at DESC, n.id DESC LIMIT $4`,
  unreadCount: `SELECT count(*)::int AS count FROM notification WHERE user_id = $1 AND read_at IS NULL`,
  markRead: `UPDATE notification SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL`,
  isOwn: `SELECT 1 FROM notification WHERE id = $1 AND user_id = $2`,
  markAllRead: `UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`,
  preferences: `SELECT event_type AS "type", delivery FROM notification_preference WHERE user_id = $1`,
  preferencesFor: `SELECT user_id AS "userId", delivery FROM notification_preference WHERE user_id = ANY($1::uuid[]) AND event_type = $2`,
  upsertPreferences: `
    INSERT INTO notification_preference (user_id, event_type, delivery)
    SELECT $1, * FROM unnest($2::text[], $3::text[])
    ON CONFLICT (user_id, event_type) DO UPDATE SET delivery = EXCLUDED.delivery, updated_at = now()`,
  digestUsers: `
    SELECT DISTINCT user_id AS "userId" FROM notification
     WHERE delivery = 'daily_digest' AND digest_mail_id IS NULL AND created_at <= $1`,
  // The user's events for the digest, held until the digest mail is stored.
  digestItems: `
    SELECT n.id, n.type, n.on_behalf_of AS "onBehalfOf", e.payload
      FROM notification n JOIN notification_event e ON e.id = n.event_id
     WHERE n.user_id = $1 AND n.delivery = 'daily_digest' AND n.digest_mail_id IS NULL AND n.created_at <= $2
     ORDER BY n.created_at, n.id
     FOR UPDATE OF n SKIP LOCKED`,
  markDigested: `UPDATE notification SET digest_mail_id = $1 WHERE id = ANY($2::uuid[]) AND digest_mail_id IS NULL`,
});

const Q = NOTIFICATION_SQL;

export interface PendingEvent {
  id: string;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export interface NewNotification {
  eventId: string;
  userId: string;
  onBehalfOf: string | null;
  type: NotificationType;
  delivery: Delivery;
}

export interface NotificationRow {
  id: string;
  type: NotificationType;
  createdAt: Date;
  readAt: Date | null;
  onBehalfOf: string | null;
  payload: Record<string, unknown>;
}

export type DigestItemRow = Pick<NotificationRow, 'id' | 'type' | 'onBehalfOf' | 'payload'>;

/** Every query on notification_event, notification and notification_preference. */
@Injectable()
export class NotificationStore {
  /** Writes events in the caller's transaction; an event whose key is known is ignored. */
  async insertEvents(manager: EntityManager, events: readonly NotificationEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(Q.insertEvents, [events.map((e) => e.key), events.map((e) => e.type), events.map((e) => JSON.stringify(e.payload))]);
  }

  async pendingEvents(manager: EntityManager, limit: number): Promise<PendingEvent[]> {
    return (await manager.query(Q.pendingEvents, [limit])) as PendingEvent[];
  }

  async lockPending(manager: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await manager.query(Q.lockPending, [ids])) as Array<{ id: string }>;
    return new Set(rows.map((row) => row.id));
  }

  async markDispatched(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await manager.query(Q.markDispatched, [ids]);
  }

  async insertNotifications(manager: EntityManager, rows: readonly NewNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(Q.insertNotifications, [rows.map((r) => r.eventId), rows.map((r) => r.userId), rows.map((r) => r.onBehalfOf), rows.map((r) => r.type), rows.map((r) => r.delivery)]);
  }

  async list(manager: EntityManager, userId: string, filter: { unreadOnly: boolean; before: string | null; limit: number }): Promise<NotificationRow[]> {
    return (await manager.query(Q.list, [userId, filter.unreadOnly, filter.before, filter.limit])) as NotificationRow[];
  }

  async unreadCount(manager: EntityManager, userId: string): Promise<number> {
    const [row] = (await manager.query(Q.unreadCount, [userId])) as Array<{ count: number }>;
    return row.count;
  }

  /** Marks the user's notification read; null when the user has no such notification. */
  async markRead(manager: EntityManager, id: string, userId: string): Promise<boolean | null> {
    const [, affected] = (await manager.query(Q.markRead, [id, userId])) as [unknown, number];
    if (affected === 1) return true;
    return ((await manager.query(Q.isOwn, [id, userId])) as unknown[]).length === 1 ? false : null;
  }

  async markAllRead(manager: EntityManager, userId: string): Promise<number> {
    const [, affected] = (await manager.query(Q.markAllRead, [userId])) as [unknown, number];
    return affected;
  }

  async preferences(manager: EntityManager, userId: string): Promise<Map<string, Delivery>> {
    const rows = (await manager.query(Q.preferences, [userId])) as Array<{ type: string; delivery: Delivery }>;
    return new Map(rows.map((row) => [row.type, row.delivery]));
  }

  async preferencesFor(manager: EntityManager, userIds: readonly string[], type: NotificationType): Promise<Map<string, Delivery>> {
    if (userIds.length === 0) return new Map();
    const rows = (await manager.query(Q.preferencesFor, [userIds, type])) as Array<{ userId: string; delivery: Delivery }>;
    return new Map(rows.map((row) => [row.userId, row.delivery]));
  }

  async upsertPreferences(manager: EntityManager, userId: string, choices: ReadonlyArray<{ type: NotificationType; delivery: Delivery }>): Promise<void> {
    if (choices.length === 0) return;
    await manager.query(Q.upsertPreferences, [userId, choices.map((c) => c.type), choices.map((c) => c.delivery)]);
  }

  async digestUsers(manager: EntityManager, cutoff: Date): Promise<string[]> {
    return ((await manager.query(Q.digestUsers, [cutoff])) as Array<{ userId: string }>).map((row) => row.userId);
  }

  async digestItems(manager: EntityManager, userId: string, cutoff: Date): Promise<DigestItemRow[]> {
    return (await manager.query(Q.digestItems, [userId, cutoff])) as DigestItemRow[];
  }

  async markDigested(manager: EntityManager, mailId: string, ids: readonly string[]): Promise<void> {
    await manager.query(Q.markDigested, [mailId, ids]);
  }
}
