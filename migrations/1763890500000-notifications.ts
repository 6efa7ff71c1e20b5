import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications, mail, messages per grant and delegation, owned by the notifications module.
 *
 * - notification_event: the outbox the other modules write an event to in the transaction of their change;
 *   its key makes an event happen once. A relay tells each event's recipients and marks it dispatched.
 * - notification: what a user sees in the portal, one per event and user (the deputy's when delegated).
 * - mail_outbox: every mail, keyed per event and recipient (or per digest and day), with its delivery state;
 *   without a mail server it is where mails stay, for admin to read.
 * - notification_preference: per user and event type: immediately, daily digest or off.
 * - grant_message: the thread of a grant between its caseworker and its supplier.
 * - delegation: a deputy for a user over a period; the audit log names whom a deputy acted for.
 */
export class Notifications1763890500000 implements MigrationInterface {
  name = 'Notifications1763890500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE notification_event (
        id bigserial PRIMARY KEY,
        event_key text NOT NULL UNIQUE CHECK (length(event_key) BETWEEN 1 AND 300),
        type text NOT NULL CHECK (type ~ '^[a-z_]+\\.[a-z_]+$'),
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      )`);
    await q(`CREATE INDEX notification_event_pending_idx ON notification_event (id) WHERE dispatched_at IS NULL`);

    await q(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 400),
        kind text NOT NULL CHECK (kind IN ('event', 'digest')),
        user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        recipient text NOT NULL CHECK (recipient ~ '^[^@\\s]+@[^@\\s]+$'),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
        body_text text NOT NULL,
        body_html text NOT NULL,
        status text NOT NULL CHECK (status IN ('kept', 'pending', 'sending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error text,
        claimed_at timestamptz,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CHECK ((status = 'sent') = (sent_at IS NOT NULL))
      )`);
    await q(`CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at DESC, id)`);
    await q(`CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id, created_at DESC)`);
    await q(`CREATE INDEX mail_outbox_open_idx ON mail_outbox (created_at) WHERE status IN ('pending', 'sending')`);

    await q(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id bigint NOT NULL REFERENCES notification_event(id),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        on_behalf_of uuid REFERENCES app_user(id) ON DELETE SET NULL,
        type text NOT NULL,
        delivery text NOT NULL CHECK (delivery IN ('immediately', 'daily_digest', 'off')),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        digest_mail_id uuid REFERENCES mail_outbox(id),
        UNIQUE (event_id, user_id)
      )`);
    await q(`CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC, id)`);
    await q(`CREATE INDEX notification_unread_idx ON notification (user_id) WHERE read_at IS NULL`);
    await q(`CREATE INDEX notification_digest_idx ON notification (user_id, created_at) WHERE delivery = 'daily_digest' AND digest_mail_id IS NULL`);

    await q(`
      CREATE TABLE notification_preference (
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        event_type text NOT NULL,
        delivery text NOT NULL CHECK (delivery IN ('immediately', 'daily_digest', 'off')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, event_type)
      )`);

    await q(`
      CREATE TABLE grant_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        grant_id uuid NOT NULL REFERENCES mentor_grant(id),
        supplier_id uuid NOT NULL,
        author_user_id uuid REFERENCES app_user(id),
        author_side text NOT NULL CHECK (author_side IN ('caseworker', 'supplier')),
        kind text NOT NULL CHECK (kind IN ('question', 'answer', 'no_show', 'absence')),
        session_date date,
        -- The business day it was written on, against which a no-show's report is on time or late.
        reported_on date NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind IN ('no_show', 'absence')) = (session_date IS NOT NULL))
      )`);
    await q(`CREATE INDEX grant_message_grant_idx ON grant_message (grant_id, created_at, id)`);

    await q(`
      CREATE TABLE delegation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        principal_user_id uuid NOT NULL REFERENCES app_user(id),
        deputy_user_id uuid NOT NULL REFERENCES app_user(id),
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CHECK (principal_user_id <> deputy_user_id),
        CHECK (valid_to >= valid_from)
      )`);
    await q(`CREATE INDEX delegation_principal_idx ON delegation (principal_user_id, valid_from) WHERE ended_at IS NULL`);
    await q(`CREATE INDEX delegation_deputy_idx ON delegation (deputy_user_id, valid_from) WHERE ended_at IS NULL`);

    // Who a deputy acted for, beside who acted.
    await q(`ALTER TABLE audit_entry ADD COLUMN on_behalf_of_user_id uuid REFERENCES app_user(id), ADD COLUMN on_behalf_of_label text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_entry DROP COLUMN on_behalf_of_user_id, DROP COLUMN on_behalf_of_label`);
    for (const table of ['delegation', 'grant_message', 'notification_preference', 'notification', 'mail_outbox', 'notification_event']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
