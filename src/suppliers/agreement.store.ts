import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { keysetPage, keysetQueries } from '../common/database/keyset';
import type { KeysetPage, PageRequest } from '../common/web/list-query';
import type { AccessScope } from '../common/auth/access-scope';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';
import type { MentorType } from '../rules/rule-set';
import { Agreement, AgreementRate, PriceCap, type AgreementKind } from './agreement.entity';
import { readOre } from '../common/database/money.transformer';
import type { Rate } from './rate-card.rules';

export interface AgreementListFilter {
  supplierId?: string;
  kind?: AgreementKind;
  activeOn?: CalendarDate;
}

/** The agreements list's sorts: newest start (the default), reference, end, supplier name. */
export const AGREEMENT_SORTS = { validFrom: 'desc', reference: 'asc', validTo: 'asc', supplier: 'asc' } as const;
export type AgreementSort = keyof typeof AGREEMENT_SORTS;

export const AGREEMENT_SQL = sqlQueries('suppliers/agreement.store', {
  // The searchable list, ids only (the rows are read as entities): $1 a supplier user's own supplier, $2 a pattern on
  // the reference, title or supplier name.
  ...keysetQueries('page', {
    select: 'a.id',
    from: 'FROM agreement a JOIN supplier s ON s.id = a.supplier_id',
    where: `WHERE ($1::uuid IS NULL OR a.supplier_id = $1) AND ($2::text IS NULL OR a.reference ILIKE $2 OR a.title ILIKE $2 OR s.name ILIKE $2)`,
    params: 2,
    id: 'a.id',
    sorts: {
      validFrom: { expr: 'a.valid_from', cast: 'date' },
      reference: { expr: 'a.reference', cast: 'text' },
      validTo: { expr: 'a.valid_to', cast: 'date' },
      supplier: { expr: 's.name', cast: 'text' },
    },
  }),
  references: `SELECT id, reference FROM agreement WHERE id = ANY($1::uuid[])`,
  terminate: `
    UPDATE agreement SET status = 'terminated', terminated_on = $2, termination_reason = $3, updated_at = now()
     WHERE id = $1 AND status = 'in_force'`,
  endRate: `UPDATE agreement_rate SET valid_to = $3 WHERE id = $1 AND agreement_id = $2`,
  correctRate: `UPDATE agreement_rate SET valid_from = $3, valid_to = $4, rate_ore = $5 WHERE id = $1 AND agreement_id = $2`,
  ratesOfLevel: `
    SELECT r.mentor_type AS "mentorType", r.service_level AS "serviceLevel", r.valid_from::text AS "validFrom", r.valid_to::text AS "validTo",
           r.rate_ore::text AS "rateOre", a.reference AS "agreementReference"
      FROM agreement_rate r JOIN agreement a ON a.id = r.agreement_id
     WHERE r.mentor_type = $1 AND r.service_level = $2`,
  pricesInForce: `
    SELECT a.supplier_id AS "supplierId", r.mentor_type AS "mentorType", r.service_level AS "serviceLevel", r.valid_from::text AS "validFrom",
           r.valid_to::text AS "validTo", r.rate_ore::text AS "rateOre"
      FROM agreement_rate r JOIN agreement a ON a.id = r.agreement_id
     WHERE a.supplier_id = ANY($1::uuid[]) AND a.active AND a.valid_from <= $2 AND a.valid_to >= $2
       AND r.valid_from <= $2 AND (r.valid_to IS NULL OR r.valid_to >= $2)
     ORDER BY a.supplier_id, r.mentor_type, r.service_level, r.rate_ore`,
  insertRates: `
    INSERT INTO agreement_rate (agreement_id, mentor_type, service_level, valid_from, valid_to, rate_ore)
    SELECT $1, * FROM unnest($2::text[], $3::int[], $4::date[], $5::date[], $6::bigint[])
    RETURNING id`,
});

const Q = AGREEMENT_SQL;

/** Every query on agreement, agreement_rate and price_cap (the ceiling ledger has its own store). */
@Injectable()
export class AgreementStore {
  /** The agreements the scope may see, latest first. */
  list(manager: EntityManager, filter: AgreementListFilter, scope: AccessScope): Promise<Agreement[]> {
    const qb = manager.getRepository(Agreement).createQueryBuilder('agreement').orderBy('agreement.valid_from', 'DESC').addOrderBy('agreement.reference', 'ASC');
    if (filter.supplierId) qb.andWhere('agreement.supplier_id = :supplierId', { supplierId: filter.supplierId });
    if (filter.kind) qb.andWhere('agreement.kind = :kind', { kind: filter.kind });
    if (filter.activeOn) qb.andWhere('agreement.active AND agreement.valid_from <= :on AND agreement.valid_to >= :on', { on: filter.activeOn });
    return scope.restrict(qb, 'agreement.supplier_id').getMany();
  }

  /** A page of agreements in the order asked, searched by `pattern` (null: all); a supplier user's scope sees its own only. */
  async page(manager: EntityManager, scope: AccessScope, pattern: string | null, request: PageRequest<AgreementSort>): Promise<KeysetPage<Agreement>> {
    const page = await keysetPage<{ id: string }, AgreementSort>(manager, AGREEMENT_SQL, 'page', request, [scope.isSupplier ? scope.supplierId : null, pattern]);
    const rows = page.items.length === 0 ? [] : await manager.getRepository(Agreement).findBy({ id: In(page.items.map((row) => row.id)) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return { ...page, items: page.items.flatMap((row) => byId.get(row.id) ?? []) };
  }

  /** The agreement; `lock` holds its row until the caller's transaction ends. */
  findById(manager: EntityManager, id: string, lock = false): Promise<Agreement | null> {
    return manager.findOne(Agreement, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** These agreements, in no order. */
  findByIds(manager: EntityManager, ids: string[]): Promise<Agreement[]> {
    return manager.getRepository(Agreement).createQueryBuilder('a').where('a.id = ANY(:ids)', { ids }).getMany();
  }

  /** Inserts an agreement; a unique or foreign-key violation is the caller's to explain. */
  insert(manager: EntityManager, values: Partial<Agreement>): Promise<Agreement> {
    return manager.save(manager.create(Agreement, values));
  }

  async update(manager: EntityManager, id: string, values: Partial<Agreement>): Promise<void> {
    await manager.update(Agreement, { id }, { ...values, updatedAt: () => 'now()' });
  }

  /** Terminates an agreement in force; false when it was not in force any more (the caller lost a race). */
  async terminate(manager: EntityManager, id: string, terminatedOn: CalendarDate, reason: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.terminate, [id, terminatedOn, reason])) as [unknown, number];
    return affected === 1;
  }

  /** Each agreement's reference. */
  async references(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const rows = (await manager.query(Q.references, [ids])) as Array<{ id: string; reference: string }>;
    return new Map(rows.map((row) => [row.id, row.reference]));
  }

  /** The rate card by mentor type, level and start. */
  rates(manager: EntityManager, agreementId: string): Promise<AgreementRate[]> {
    return manager.getRepository(AgreementRate).find({ where: { agreementId }, order: { mentorType: 'ASC', serviceLevel: 'ASC', validFrom: 'ASC' } });
  }

  /** The rate card as stored, in no order. */
  rateCard(manager: EntityManager, agreementId: string): Promise<AgreementRate[]> {
    return manager.find(AgreementRate, { where: { agreementId } });
  }

  /** The rate cards of these agreements, in no order. */
  ratesOf(manager: EntityManager, agreementIds: string[]): Promise<AgreementRate[]> {
    return manager.getRepository(AgreementRate).createQueryBuilder('r').where('r.agreement_id = ANY(:ids)', { ids: agreementIds }).getMany();
  }

  insertRate(manager: EntityManager, values: Partial<AgreementRate>): Promise<AgreementRate> {
    return manager.save(manager.create(AgreementRate, values));
  }

  /** Ends (or moves the end of) one rate of the agreement. */
  async endRate(manager: EntityManager, agreementId: string, rateId: string, validTo: CalendarDate): Promise<void> {
    await manager.query(Q.endRate, [rateId, agreementId, validTo]);
  }

  /** Replaces the dates and price of one rate of the agreement. */
  async correctRate(manager: EntityManager, agreementId: string, rateId: string, rate: { validFrom: CalendarDate; validTo: CalendarDate | null; rateOre: number }): Promise<void> {
    await manager.query(Q.correctRate, [rateId, agreementId, rate.validFrom, rate.validTo, rate.rateOre]);
  }

  /** Inserts rates in one statement; their ids in the given order. */
  async insertRates(manager: EntityManager, agreementId: string, rates: ReadonlyArray<{ mentorType: MentorType; serviceLevel: number; validFrom: CalendarDate; validTo: CalendarDate | null; rateOre: number }>): Promise<string[]> {
    if (rates.length === 0) return [];
    const rows = (await manager.query(Q.insertRates, [
      agreementId,
      rates.map((r) => r.mentorType),
      rates.map((r) => r.serviceLevel),
      rates.map((r) => r.validFrom),
      rates.map((r) => r.validTo),
      rates.map((r) => r.rateOre),
    ])) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Every rate of a mentor type and level on any agreement, with the agreement's reference. */
  async ratesOfLevel(manager: EntityManager, mentorType: MentorType, serviceLevel: number): Promise<Array<Rate & { agreementReference: string }>> {
    const rows = (await manager.query(Q.ratesOfLevel, [mentorType, serviceLevel])) as Array<Omit<Rate, 'rateOre'> & { rateOre: string; agreementReference: string }>;
    return rows.map((row) => ({ ...row, rateOre: readOre(row.rateOre) }));
  }

  /** The rates in force on a date on these suppliers' active agreements in force, by supplier, mentor type and level. */
  async pricesInForce(manager: EntityManager, supplierIds: string[], date: CalendarDate): Promise<Array<Rate & { supplierId: string }>> {
    if (supplierIds.length === 0) return [];
    const rows = (await manager.query(Q.pricesInForce, [supplierIds, date])) as Array<Omit<Rate, 'rateOre'> & { rateOre: string; supplierId: string }>;
    return rows.map((row) => ({ ...row, rateOre: readOre(row.rateOre) }));
  }

  priceCaps(manager: EntityManager): Promise<PriceCap[]> {
    return manager.getRepository(PriceCap).find({ order: { mentorType: 'ASC', serviceLevel: 'ASC', validFrom: 'ASC' } });
  }

  /** Inserts a price cap; a unique violation is the caller's to explain. */
  insertPriceCap(manager: EntityManager, values: Partial<PriceCap>): Promise<PriceCap> {
    return manager.save(manager.create(PriceCap, values));
  }

  /** The price cap of a mentor type and level in force on a date, or null. */
  capInForce(manager: EntityManager, mentorType: MentorType, serviceLevel: number, date: CalendarDate): Promise<PriceCap | null> {
    return manager
      .getRepository(PriceCap)
      .createQueryBuilder('cap')
      .where('cap.mentor_type = :mentorType AND cap.service_level = :serviceLevel AND cap.valid_from <= :date', { mentorType, serviceLevel, date })
      .orderBy('cap.valid_from', 'DESC')
      .getOne();
  }
}
