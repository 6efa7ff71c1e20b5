import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import type { CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import type { MentorType } from '../rules/rule-set';
import type { Agreement, AgreementRate } from './agreement.entity';
import { AgreementStore } from './agreement.store';
import { checkNewRate } from './rate-card.rules';
import { checkOpenForChange } from './agreement-term.rules';
import { checkCorrectable, checkRateSequence, endRate, indexFactor, percentFactor, planRegulation, type RegulationFactor, type StoredRate } from './rate-sequence.rules';
import { SuppliersErrorCode } from './suppliers.errors';

/** How much a price regulation moves the rates: a percentage or an index, both as decimal strings. */
export interface RegulationAdjustment {
  percent?: string;
  index?: { base: string; current: string };
}

export interface RegulationCommand extends RegulationAdjustment {
  effectiveFrom: CalendarDate;
}

export interface RegulationLine {
  /** The rate in force that ends the day before the regulation. */
  endingRateId: string;
  /** The new rate's id once applied; null in a preview. */
  newRateId: string | null;
  mentorType: MentorType;
  serviceLevel: number;
  oldRateOre: number;
  endsOn: CalendarDate;
  newRateOre: number;
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
}

export interface RegulationPlan {
  effectiveFrom: CalendarDate;
  percent: string | null;
  index: { base: string; current: string } | null;
  lines: RegulationLine[];
}

export interface CorrectRateCommand {
  validFrom?: CalendarDate;
  validTo?: CalendarDate | null;
  rateOre?: number;
}

/**
 * A rate card through time: ending a rate, correcting one nothing can have used yet, and the yearly price
 * regulation (preview, then apply). Each locks the agreement's row, so two changes to one card never interleave.
 */
@Injectable()
export class RateCardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: AgreementStore,
    private readonly clock: Clock,
  ) {}

  /** Ends a rate on `validTo` (the last day it applies); the card must still follow on without gaps or overlaps. */
  async endRate(agreementId: string, rateId: string, validTo: CalendarDate, actor: Actor): Promise<AgreementRate> {
    return this.dataSource.transaction(async (manager) => {
      const { card, rate } = await this.lockedRate(manager, agreementId, rateId);
      const { problems } = endRate(card.map(asStored), rateId, validTo);
      if (problems.length > 0) throw DomainException.rule('The rate cannot be ended on that date', problems);
      await this.store.endRate(manager, agreementId, rateId, validTo);
      await this.audit.record(manager, actor, {
        action: 'agreement_rate.ended',
        entityType: 'agreement',
        entityId: agreementId,
        change: { rateId, mentorType: rate.mentorType, serviceLevel: rate.serviceLevel, validTo: { from: rate.validTo, to: validTo } },
      });
      return { ...rate, validTo };
    });
  }

  /** Corrects the dates or price of a rate that has not started yet; it is checked like a new rate, and for gaps. */
  async correctRate(agreementId: string, rateId: string, command: CorrectRateCommand, actor: Actor): Promise<AgreementRate> {
    return this.dataSource.transaction(async (manager) => {
      const { card, rate } = await this.lockedRate(manager, agreementId, rateId);
      const today = this.clock.today();
      const corrected = { ...asStored(rate), ...defined(command) };
      const problems = [...checkCorrectable(rate, today)];
      if (problems.length === 0) problems.push(...checkCorrectable(corrected, today));
      if (problems.length === 0) {
        const others = card.filter((r) => r.id !== rateId).map(asStored);
        const cap = await this.store.capInForce(manager, corrected.mentorType, corrected.serviceLevel, corrected.validFrom);
        problems.push(...checkNewRate(others, corrected, cap?.rateOre ?? null));
        if (problems.length === 0) problems.push(...checkRateSequence([...others, corrected]));
      }
      if (problems.length > 0) throw DomainException.rule('The rate cannot be corrected', problems);
      await this.store.correctRate(manager, agreementId, rateId, corrected);
      const change: Record<string, unknown> = { rateId };
      for (const key of ['validFrom', 'validTo', 'rateOre'] as const) {
        if (corrected[key] !== rate[key]) change[key] = { from: rate[key], to: corrected[key] };
      }
      await this.audit.record(manager, actor, { action: 'agreement_rate.corrected', entityType: 'agreement', entityId: agreementId, change });
      return { ...rate, validFrom: corrected.validFrom, validTo: corrected.validTo, rateOre: corrected.rateOre };
    });
  }

  /** What a price regulation would do, changing nothing. */
  async previewRegulation(agreementId: string, command: RegulationCommand): Promise<RegulationPlan> {
    return this.dataSource.transaction(async (manager) => {
      const agreement = await this.store.findById(manager, agreementId);
      if (!agreement) throw DomainException.notFound('Agreement');
      return this.plan(manager, agreement, command);
    });
  }

  /** Applies a price regulation: every rate in force ends the day before and its regulated successor starts. */
  async applyRegulation(agreementId: string, command: RegulationCommand, actor: Actor): Promise<RegulationPlan> {
    return this.dataSource.transaction(async (manager) => {
      const agreement = await this.store.findById(manager, agreementId, true);
      if (!agreement) throw DomainException.notFound('Agreement');
      const plan = await this.plan(manager, agreement, command);
      for (const line of plan.lines) await this.store.endRate(manager, agreementId, line.endingRateId, line.endsOn);
      const ids = await this.store.insertRates(manager, agreementId, plan.lines.map((line) => ({ ...line, rateOre: line.newRateOre })));
      const applied = { ...plan, lines: plan.lines.map((line, i) => ({ ...line, newRateId: ids[i] })) };
      await this.audit.record(manager, actor, {
        action: 'agreement.price_regulated',
        entityType: 'agreement',
        entityId: agreementId,
        change: { effectiveFrom: plan.effectiveFrom, percent: plan.percent, index: plan.index, rates: applied.lines },
      });
      return applied;
    });
  }

  private async plan(manager: EntityManager, agreement: Agreement, command: RegulationCommand): Promise<RegulationPlan> {
    const factor = adjustmentFactor(command);
    if ('rule' in factor) throw DomainException.rule('The price regulation cannot be made', [factor]);
    if (agreement.status === 'terminated') throw DomainException.rule('The price regulation cannot be made', checkOpenForChange(agreement, command.effectiveFrom));
    const card = (await this.store.rateCard(manager, agreement.id)).map(asStored);
    const { steps, problems } = planRegulation(agreement, card, command.effectiveFrom, factor);
    for (const step of steps) {
      const cap = await this.store.capInForce(manager, step.starting.mentorType, step.starting.serviceLevel, step.starting.validFrom);
      problems.push(...checkNewRate([], step.starting, cap?.rateOre ?? null));
    }
    if (problems.length > 0) throw DomainException.rule('The price regulation cannot be made', problems);
    return {
      effectiveFrom: command.effectiveFrom,
      percent: command.percent ?? null,
      index: command.index ?? null,
      lines: steps.map((step) => ({
        endingRateId: step.ending.id,
        newRateId: null,
        mentorType: step.starting.mentorType,
        serviceLevel: step.starting.serviceLevel,
        oldRateOre: step.ending.rateOre,
        endsOn: step.endsOn,
        newRateOre: step.starting.rateOre,
        validFrom: step.starting.validFrom,
        validTo: step.starting.validTo,
      })),
    };
  }

  private async lockedRate(manager: EntityManager, agreementId: string, rateId: string): Promise<{ card: AgreementRate[]; rate: AgreementRate }> {
    const agreement = await this.store.findById(manager, agreementId, true);
    if (!agreement) throw DomainException.notFound('Agreement');
    const card = await this.store.rateCard(manager, agreementId);
    const rate = card.find((r) => r.id === rateId);
    if (!rate) throw DomainException.notFound('Rate');
    return { card, rate };
  }
}

function asStored(rate: AgreementRate): StoredRate {
  return { id: rate.id, mentorType: rate.mentorType, serviceLevel: rate.serviceLevel, validFrom: rate.validFrom, validTo: rate.validTo, rateOre: rate.rateOre };
}

function defined(command: CorrectRateCommand): Partial<StoredRate> {
  const out: Partial<StoredRate> = {};
  if (command.validFrom !== undefined) out.validFrom = command.validFrom;
  if (command.validTo !== undefined) out.validTo = command.validTo;
  if (command.rateOre !== undefined) out.rateOre = command.rateOre;
  return out;
}

/** Exactly one of percent and index. */
export function adjustmentFactor(adjustment: RegulationAdjustment): RegulationFactor | ErrorDetail {
  const hasPercent = adjustment.percent !== undefined;
  const hasIndex = adjustment.index !== undefined;
  if (hasPercent === hasIndex) {
    return { field: 'percent', rule: SuppliersErrorCode.RegulationAdjustment, message: 'give either percent or index, not both and not neither' };
  }
  return hasPercent ? percentFactor(adjustment.percent as string) : indexFactor(adjustment.index as { base: string; current: string });
}
