import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Published figures of the municipalities (Jobindsats' mentor tables) for the comparison with other
 * municipalities (STAR's analysis 002): per municipality and year, the persons with a mentor, the population or
 * target group they are counted in, and the cost in øre when published. An import replaces a municipality's
 * figures of a year; each import is audited.
 */
export class MunicipalityComparison1763892000000 implements MigrationInterface {
  name = 'MunicipalityComparison1763892000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE municipality_figure (
        municipality_code text NOT NULL CHECK (municipality_code ~ '^[0-9]{3}$'),
        municipality_name text NOT NULL,
        period integer NOT NULL CHECK (period BETWEEN 2007 AND 2100),
        persons_with_mentor integer NOT NULL CHECK (persons_with_mentor >= 0),
        population integer NOT NULL CHECK (population > 0 AND population >= persons_with_mentor),
        cost_ore bigint CHECK (cost_ore >= 0),
        imported_by uuid REFERENCES app_user(id),
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (period, municipality_code)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE municipality_figure`);
  }
}
