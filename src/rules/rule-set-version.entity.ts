import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RuleSetValues } from './rule-set';

/** A rule-set version an admin added; the shipped defaults live in code (DEFAULT_RULE_SET_VERSIONS). */
@Entity('rule_set_version')
export class RuleSetVersionRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ name: 'rule_values', type: 'jsonb' })
  values: RuleSetValues;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;
}
