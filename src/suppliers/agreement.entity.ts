import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { moneyTransformer } from '../common/database/money.transformer';
import type { MentorType } from '../rules/rule-set';

export type AgreementKind = 'framework' | 'partnership';
export const AGREEMENT_KINDS: readonly AgreementKind[] = ['framework', 'partnership'];
/** An agreement is in force until it is terminated (ended before its term); having run out is read from its dates. */
export type AgreementStatus = 'in_force' | 'terminated';
export type CommitmentPeriod = 'month' | 'quarter' | 'year';
export const COMMITMENT_PERIODS: readonly CommitmentPeriod[] = ['month', 'quarter', 'year'];

/** A framework agreement (rammeaftale) or a partnership agreement (partnerskabsaftale). */
@Entity('agreement')
export class Agreement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'supplier_id', type: 'uuid' }) supplierId: string;
  @Column({ type: 'text' }) kind: AgreementKind;
  @Column({ type: 'text' }) reference: string;
  @Column({ type: 'text' }) title: string;
  @Column({ name: 'valid_from', type: 'date' }) validFrom: string;
  @Column({ name: 'valid_to', type: 'date' }) validTo: string;
  @Column({ name: 'extension_options', type: 'int' }) extensionOptions: number;
  @Column({ name: 'extension_months', type: 'int' }) extensionMonths: number;
  @Column({ name: 'extensions_used', type: 'int' }) extensionsUsed: number;
  @Column({ name: 'mentor_types', type: 'text', array: true }) mentorTypes: MentorType[];
  @Column({ name: 'vat_rate_basis_points', type: 'int' }) vatRateBasisPoints: number;
  @Column({ name: 'ceiling_ore', type: 'bigint', nullable: true, transformer: moneyTransformer }) ceilingOre: number | null;
  @Column({ name: 'default_minutes_per_week', type: 'int', nullable: true }) defaultMinutesPerWeek: number | null;
  @Column({ name: 'default_rate_ore', type: 'bigint', nullable: true, transformer: moneyTransformer }) defaultRateOre: number | null;
  @Column({ type: 'boolean' }) active: boolean;
  @Column({ name: 'contact_name', type: 'text', nullable: true }) contactName: string | null;
  @Column({ name: 'contact_email', type: 'text', nullable: true }) contactEmail: string | null;
  @Column({ name: 'contact_phone', type: 'text', nullable: true }) contactPhone: string | null;
  @Column({ type: 'text', insert: false }) status: AgreementStatus;
  @Column({ name: 'terminated_on', type: 'date', nullable: true, insert: false }) terminatedOn: string | null;
  @Column({ name: 'termination_reason', type: 'text', nullable: true, insert: false }) terminationReason: string | null;
  /** A committed volume: this many minutes per commitment period (the virksomhedscenter model). */
  @Column({ name: 'committed_minutes', type: 'int', nullable: true }) committedMinutes: number | null;
  @Column({ name: 'commitment_period', type: 'text', nullable: true }) commitmentPeriod: CommitmentPeriod | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', insert: false }) updatedAt: Date;
}

/** One line of an agreement's rate card (timepris). */
@Entity('agreement_rate')
export class AgreementRate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'agreement_id', type: 'uuid' }) agreementId: string;
  @Column({ name: 'mentor_type', type: 'text' }) mentorType: MentorType;
  @Column({ name: 'service_level', type: 'int' }) serviceLevel: number;
  @Column({ name: 'valid_from', type: 'date' }) validFrom: string;
  @Column({ name: 'valid_to', type: 'date', nullable: true }) validTo: string | null;
  @Column({ name: 'rate_ore', type: 'bigint', transformer: moneyTransformer }) rateOre: number;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
}

/** The municipality's maximum price per hour for a mentor type and level, from a date. */
@Entity('price_cap')
export class PriceCap {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'mentor_type', type: 'text' }) mentorType: MentorType;
  @Column({ name: 'service_level', type: 'int' }) serviceLevel: number;
  @Column({ name: 'valid_from', type: 'date' }) validFrom: string;
  @Column({ name: 'rate_ore', type: 'bigint', transformer: moneyTransformer }) rateOre: number;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt: Date;
}
