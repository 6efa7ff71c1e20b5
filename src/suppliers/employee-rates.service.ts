import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { CalendarDate } from '../common/time/calendar-date';
import { AgreementStore } from './agreement.store';
import { checkEmployeeRateEnd, checkNewEmployeeRate, employeeRateInForce, type EmployeeRate, type StoredEmployeeRate } from './employee-rate.rules';
import { EmployeeRateStore } from './employee-rate.store';
import { SuppliersErrorCode } from './suppliers.errors';

export interface AddEmployeeRateCommand {
  employeeRef: string;
  rateOre: number;
  validFrom: CalendarDate;
  validTo?: CalendarDate | null;
}

/**
 * The hourly rates of a partnership agreement's employees (frikøb at the actual wage cost), dated like a rate card:
 * added without overlap and ended, each under the agreement's row lock and audited.
 */
@Injectable()
export class EmployeeRatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly agreements: AgreementStore,
    private readonly store: EmployeeRateStore,
  ) {}

  async list(agreementId: string, scope: AccessScope): Promise<StoredEmployeeRate[]> {
    const agreement = await this.agreements.findById(this.dataSource.manager, agreementId);
    if (!agreement || !scope.canSee(agreement.supplierId)) throw DomainException.notFound('Agreement');
    return this.store.ofAgreement(this.dataSource.manager, agreementId);
  }

  async add(agreementId: string, command: AddEmployeeRateCommand, actor: Actor): Promise<StoredEmployeeRate> {
    const candidate: EmployeeRate = { employeeRef: command.employeeRef.trim(), rateOre: command.rateOre, validFrom: command.validFrom, validTo: command.validTo ?? null };
    const id = await this.dataSource.transaction(async (manager) => {
      const agreement = await this.agreements.findById(manager, agreementId, true);
      if (!agreement) throw DomainException.notFound('Agreement');
      if (agreement.kind !== 'partnership') {
        throw DomainException.rule('The agreement has no employee rates', [{ field: 'agreementId', rule: SuppliersErrorCode.EmployeeRatePartnershipOnly, message: 'rates per employee exist only on partnership agreements', values: { kind: agreement.kind } }]);
      }
      const problems = checkNewEmployeeRate(await this.store.ofAgreement(manager, agreementId), candidate);
      if (problems.length > 0) throw DomainException.rule('The employee rate overlaps another', problems);
      const saved = await this.store.insert(manager, agreementId, candidate, actor.userId);
      await this.audit.record(manager, actor, { action: 'employee_rate.added', entityType: 'agreement', entityId: agreementId, change: { rateId: saved, ...candidate } });
      return saved;
    });
    return (await this.store.ofAgreement(this.dataSource.manager, agreementId)).find((rate) => rate.id === id) as StoredEmployeeRate;
  }

  async end(agreementId: string, rateId: string, validTo: CalendarDate, actor: Actor): Promise<StoredEmployeeRate> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = await this.agreements.findById(manager, agreementId, true);
      if (!agreement) throw DomainException.notFound('Agreement');
      const rate = (await this.store.ofAgreement(manager, agreementId)).find((r) => r.id === rateId);
      if (!rate) throw DomainException.notFound('Employee rate');
      const problems = checkEmployeeRateEnd(rate, validTo);
      if (problems.length > 0) throw DomainException.rule('The employee rate cannot end on that day', problems);
      if (!(await this.store.end(manager, agreementId, rateId, validTo, rate.validTo))) throw DomainException.notFound('Employee rate');
      await this.audit.record(manager, actor, { action: 'employee_rate.ended', entityType: 'agreement', entityId: agreementId, change: { rateId, employeeRef: rate.employeeRef, validTo: { from: rate.validTo, to: validTo } } });
    });
    return (await this.store.ofAgreement(this.dataSource.manager, agreementId)).find((rate) => rate.id === rateId) as StoredEmployeeRate;
  }

  /** The employee's rate in force on the day under the agreement, or null (asked by hour registration). */
  async rateOn(agreementId: string, employeeRef: string, date: CalendarDate): Promise<EmployeeRate | null> {
    return employeeRateInForce(await this.store.ofAgreement(this.dataSource.manager, agreementId), employeeRef, date);
  }
}
