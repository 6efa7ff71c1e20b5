import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The session log (sessionslog): a supplier records each mentor session as it is held (grant, day, minutes,
 * contact form, with whom), before any invoice. Not to be confused with sign-in sessions (auth_session). A
 * monthly e-invoice line is matched against the log of its grant and period; the delivery a logged session
 * became is kept on it, and the session is invoiced while that delivery is neither rejected nor credited.
 * "With whom" is a fixed list, never free text, so no personal data can be typed into it.
 */
export class SessionLog1763890700000 implements MigrationInterface {
  name = 'SessionLog1763890700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mentor_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supplier_id uuid NOT NULL,
        grant_id uuid NOT NULL,
        -- As the supplier quotes it on invoices (MS-2026-000123), which is how an invoice line finds its log.
        grant_reference text NOT NULL CHECK (length(grant_reference) BETWEEN 1 AND 60),
        held_on date NOT NULL CHECK (held_on BETWEEN '2000-01-01' AND '2099-12-31'),
        minutes int NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
        contact_form text NOT NULL CHECK (contact_form IN ('in_person', 'phone', 'video')),
        with_whom text NOT NULL CHECK (with_whom IN ('citizen', 'citizen_and_employer', 'citizen_and_network', 'employer_or_network')),
        delivery_id uuid REFERENCES delivery(id) ON DELETE SET NULL,
        logged_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (grant_id, supplier_id) REFERENCES mentor_grant (id, supplier_id),
        -- The same grant, day and minutes is one session: logged twice it would be invoiced twice.
        CONSTRAINT mentor_session_once UNIQUE (grant_id, held_on, minutes)
      )`);
    // The deliveries a monthly line became name that line's number, so the line is checked again as it was sent.
    await queryRunner.query(`ALTER TABLE delivery ADD COLUMN invoice_line_no int CHECK (invoice_line_no > 0)`);
    await queryRunner.query(`CREATE INDEX mentor_session_supplier_day_idx ON mentor_session (supplier_id, grant_reference, held_on)`);
    await queryRunner.query(`CREATE INDEX mentor_session_delivery_idx ON mentor_session (delivery_id) WHERE delivery_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mentor_session`);
    await queryRunner.query(`ALTER TABLE delivery DROP COLUMN invoice_line_no`);
  }
}
