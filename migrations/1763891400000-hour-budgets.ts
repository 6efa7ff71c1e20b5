import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hour budgets (004: a separate account of the mentor hours used) beside the budgets in kroner: an append-only
 * ledger per year, mentor type and supplier (no supplier: every supplier of the mentor type), whose sum is the
 * budget in minutes. And the municipality's full-time persons in the target group per year (in hundredths),
 * entered or imported, against which the 2026 budget-guarantee limit (LAB § 203 a) is monitored.
 */
export class HourBudgets1763891400000 implements MigrationInterface {
  name = 'HourBudgets1763891400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE hour_budget_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        mentor_type text NOT NULL,
        supplier_id uuid REFERENCES supplier(id),
        minutes bigint NOT NULL,
        note text,
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX hour_budget_entry_year ON hour_budget_entry (year, mentor_type, supplier_id)`);
    await queryRunner.query(`
      CREATE TABLE full_time_persons_year (
        year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        hundredths bigint NOT NULL CHECK (hundredths >= 0),
        source text NOT NULL CHECK (source IN ('entered', 'imported')),
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE full_time_persons_year`);
    await queryRunner.query(`DROP TABLE hour_budget_entry`);
  }
}
