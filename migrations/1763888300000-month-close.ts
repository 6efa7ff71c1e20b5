import { MigrationInterface, QueryRunner } from 'typeorm';

/** Month close: billing runs, statements (final ones immutable, numbered without gaps), refund claims, budgets. */
export class MonthClose1763888300000 implements MigrationInterface {
  name = 'MonthClose1763888300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE billing_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        kind text NOT NULL DEFAULT 'build' CHECK (kind IN ('build', 'finalise')),
        status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        -- Each planning of the run (the first, and any after work was lost) numbers its batch jobs anew.
        plan_generation int NOT NULL DEFAULT 0,
        error text,
        started_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    // One run of a month at a time: a second request while one is going gets the same run.
    await q(`CREATE UNIQUE INDEX billing_run_one_at_a_time ON billing_run (month) WHERE status IN ('queued', 'running')`);
    await q(`CREATE INDEX billing_run_month_idx ON billing_run (month, created_at DESC)`);
    // The suppliers of a run, each done once; a resumed run picks up what is still pending.
    await q(`
      CREATE TABLE billing_run_item (
        run_id uuid NOT NULL REFERENCES billing_run(id) ON DELETE CASCADE,
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        batch int NOT NULL CHECK (batch >= 0),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
        statement_id uuid,
        done_at timestamptz,
        PRIMARY KEY (run_id, supplier_id)
      )`);
    await q(`CREATE INDEX billing_run_item_batch_idx ON billing_run_item (run_id, batch, status)`);

    await q(`
      CREATE TABLE statement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supplier_id uuid NOT NULL REFERENCES supplier(id),
        month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        status text NOT NULL CHECK (status IN ('draft', 'final')),
        number text UNIQUE CHECK (number ~ '^AF-[0-9]{4}-[0-9]{6}$'),
        self_billed boolean NOT NULL,
        billing_run_id uuid REFERENCES billing_run(id),
        issued_on date NOT NULL,
        due_on date NOT NULL CHECK (due_on >= issued_on AND due_on <= issued_on + 30),
        minutes int NOT NULL,
        net_ore bigint NOT NULL,
        vat_ore bigint NOT NULL,
        total_ore bigint NOT NULL CHECK (total_ore = net_ore + vat_ore),
        content jsonb NOT NULL,
        pdf bytea,
        finalised_by uuid REFERENCES app_user(id),
        finalised_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT statement_supplier_month UNIQUE (supplier_id, month),
        CHECK ((status = 'final') = (number IS NOT NULL AND pdf IS NOT NULL AND finalised_at IS NOT NULL))
      )`);
    await q(`CREATE INDEX statement_month_idx ON statement (month, status)`);
    // A final statement never changes; a correction is a credit line in a later month.
    await q(`
      CREATE FUNCTION statement_final_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'final' THEN
          RAISE EXCEPTION 'statement % is final and cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q(`CREATE TRIGGER statement_final_immutable BEFORE UPDATE OR DELETE ON statement FOR EACH ROW EXECUTE FUNCTION statement_final_is_immutable()`);
    // Gap-free statement numbers per year: taken under the row's lock in the transaction that finalises.
    await q(`CREATE TABLE statement_number_counter (year int PRIMARY KEY, last_number int NOT NULL CHECK (last_number >= 0))`);

    // The deliveries a statement pays: each on one statement at most; a replaced draft lets its deliveries go.
    await q(`
      CREATE TABLE statement_line (
        delivery_id uuid PRIMARY KEY REFERENCES delivery(id),
        statement_id uuid NOT NULL REFERENCES statement(id) ON DELETE CASCADE
      )`);
    await q(`CREATE INDEX statement_line_statement_idx ON statement_line (statement_id)`);

    await q(`
      CREATE TABLE budget_year (
        year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        budget_ore bigint NOT NULL CHECK (budget_ore >= 0),
        frame_ore bigint CHECK (frame_ore >= 0),
        note text,
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q(`
      CREATE TABLE refund_claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period_from date NOT NULL,
        period_to date NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'draft', 'submitted', 'failed')),
        expense_ore bigint NOT NULL DEFAULT 0,
        claimed_ore bigint NOT NULL DEFAULT 0,
        content jsonb,
        error text,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        submitted_by uuid REFERENCES app_user(id),
        submitted_at timestamptz,
        CHECK (period_to >= period_from),
        CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
      )`);
    // Two submitted claims never cover the same day.
    await q(`ALTER TABLE refund_claim ADD CONSTRAINT refund_claim_no_overlap EXCLUDE USING gist (daterange(period_from, period_to, '[]') WITH &&) WHERE (status = 'submitted')`);
    await q(`
      CREATE FUNCTION refund_claim_submitted_is_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'submitted' THEN
          RAISE EXCEPTION 'refund claim % is submitted and frozen', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q(`CREATE TRIGGER refund_claim_frozen BEFORE UPDATE OR DELETE ON refund_claim FOR EACH ROW EXECUTE FUNCTION refund_claim_submitted_is_frozen()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TABLE refund_claim`);
    await q(`DROP FUNCTION refund_claim_submitted_is_frozen`);
    await q(`DROP TABLE budget_year`);
    await q(`DROP TABLE statement_line`);
    await q(`DROP TABLE statement_number_counter`);
    await q(`DROP TABLE statement`);
    await q(`DROP FUNCTION statement_final_is_immutable`);
    await q(`DROP TABLE billing_run_item`);
    await q(`DROP TABLE billing_run`);
  }
}
