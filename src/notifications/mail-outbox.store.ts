import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';

export const MAIL_STATUSES = ['kept', 'pending', 'sending', 'sent', 'failed'] as const;
/** kept: no mail server, the mail stays here; pending → sending → sent, or back to pending for a retry, or failed. */
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** The SQL of the mail outbox: one row per mail, keyed per event and recipient (or digest and day). */
export const MAIL_OUTBOX_SQL = sqlQueries('notifications/mail-outbox.store', {
  insert: `
    INSERT INTO mail_outbox (idempotency_key, kind, user_id, recipient, subject, body_text, body_html, status)
    SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, idempotency_key AS "key", status`,
  // One sender at a time: a mail being sent is taken over only when its sender's claim has run out.
  claim: `
    UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, claimed_at = now()
     WHERE id = $1 AND (status = 'pending' OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $2)))
    RETURNING id, recipient, subject, body_text AS "text", body_html AS "html", attempts`,
  markSent: `UPDATE mail_outbox SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL WHERE id = $1 AND status = 'sending'`,
  markUnsent: `UPDATE mail_outbox SET status = $2, last_error = $3, claimed_at = NULL WHERE id = $1 AND status = 'sending'`,
  retry: `UPDATE mail_outbox SET status = 'pending', claimed_at = NULL WHERE id = $1 AND status = 'failed' RETURNING attempts`,
  // Mails whose job may be lost: waiting for a while, or claimed by a sender that has not finished in time.
  open: `
    SELECT id, attempts FROM mail_outbox
     WHERE (status = 'pending' AND created_at < now() - make_interval(secs => $1))
        OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $2))
     ORDER BY created_at LIMIT $3`,
  list: `
    SELECT id, kind, created_at AS "createdAt", recipient, subject, status, attempts, last_error AS "lastError", sent_at AS "sentAt"
      FROM mail_outbox
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::uuid IS NULL OR (created_at, id) < (SELECT c.created_at, c.id FROM mail_outbox c WHERE c.id = $2))
     ORDER BY created_at DESC, id DESC LIMIT $3`,
  ofUser: `
    SELECT id, created_at AS "createdAt", subject, body_text AS "text", status
      FROM mail_outbox WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
});

const Q = MAIL_OUTBOX_SQL;

export interface NewMail {
  key: string;
  kind: 'event' | 'digest';
  userId: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  status: 'kept' | 'pending';
}

export interface ClaimedMail {
  id: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  attempts: number;
}

export interface OutboxRow {
  id: string;
  kind: 'event' | 'digest';
  createdAt: Date;
  recipient: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
}

/** Every query on mail_outbox. */
@Injectable()
export class MailOutboxStore {
  /** Stores the mails not stored before (by key); answers the new ones. */
  async insert(manager: EntityManager, mails: readonly NewMail[]): Promise<Array<{ id: string; key: string; status: MailStatus }>> {
    if (mails.length === 0) return [];
    const column = <K extends keyof NewMail>(name: K) => mails.map((mail) => mail[name]);
    return (await manager.query(Q.insert, [column('key'), column('kind'), column('userId'), column('recipient'), column('subject'), column('text'), column('html'), column('status')])) as Array<{
      id: string;
      key: string;
      status: MailStatus;
    }>;
  }

  async claim(manager: EntityManager, id: string, leaseSeconds: number): Promise<ClaimedMail | null> {
    const [[row]] = (await manager.query(Q.claim, [id, leaseSeconds])) as [ClaimedMail[], number];
    return row ?? null;
  }

  async markSent(manager: EntityManager, id: string, messageId: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.markSent, [id, messageId])) as [unknown, number];
    return affected === 1;
  }

  async markUnsent(manager: EntityManager, id: string, status: 'pending' | 'failed', error: string): Promise<void> {
    await manager.query(Q.markUnsent, [id, status, error.slice(0, 1000)]);
  }

  /** A failed mail back to pending; null when it is not failed. */
  async retry(manager: EntityManager, id: string): Promise<number | null> {
    const [[row]] = (await manager.query(Q.retry, [id])) as [Array<{ attempts: number }>, number];
    return row?.attempts ?? null;
  }

  async open(manager: EntityManager, waitingSeconds: number, leaseSeconds: number, limit: number): Promise<Array<{ id: string; attempts: number }>> {
    return (await manager.query(Q.open, [waitingSeconds, leaseSeconds, limit])) as Array<{ id: string; attempts: number }>;
  }

  async list(manager: EntityManager, filter: { status: MailStatus | null; before: string | null; limit: number }): Promise<OutboxRow[]> {
    return (await manager.query(Q.list, [filter.status, filter.before, filter.limit])) as OutboxRow[];
  }

  async ofUser(manager: EntityManager, userId: string, limit: number): Promise<Array<{ id: string; createdAt: Date; subject: string; text: string; status: MailStatus }>> {
    return (await manager.query(Q.ofUser, [userId, limit])) as Array<{ id: string; createdAt: Date; subject: string; text: string; status: MailStatus }>;
  }
}
