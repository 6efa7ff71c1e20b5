import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { AuditEntry } from './audit-entry.entity';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  action?: string;
  /** Calendar dates (Europe/Copenhagen), both included. */
  from?: string;
  to?: string;
  /** Keyset cursor: entries with a smaller id. */
  before?: string;
  limit: number;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'occurredAt'>;

export const AUDIT_SQL = sqlQueries('audit/audit.store', {
  insert: `
    INSERT INTO audit_entry (actor_user_id, actor_role, actor_label, action, entity_type, entity_id, change, ip, request_id, on_behalf_of_user_id, on_behalf_of_label)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  // Many entries in one statement (unnest of column arrays), in the order given.
  insertMany: `
    INSERT INTO audit_entry (actor_user_id, actor_role, actor_label, action, entity_type, entity_id, change, ip, request_id, on_behalf_of_user_id, on_behalf_of_label)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::uuid[], $11::text[])`,
});

const Q = AUDIT_SQL;

/** Every query on audit_entry: entries are only ever appended. */
@Injectable()
export class AuditStore {
  async insert(manager: EntityManager, entry: NewAuditEntry): Promise<void> {
    await manager.query(Q.insert, [entry.actorUserId, entry.actorRole, entry.actorLabel, entry.action, entry.entityType, entry.entityId, JSON.stringify(entry.change), entry.ip, entry.requestId, entry.onBehalfOfUserId, entry.onBehalfOfLabel]);
  }

  /** Several entries in one insert (a batch job's changes); nothing for none. */
  async insertMany(manager: EntityManager, entries: NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const column = <K extends keyof NewAuditEntry>(key: K) => entries.map((entry) => entry[key]);
    await manager.query(Q.insertMany, [
      column('actorUserId'),
      column('actorRole'),
      column('actorLabel'),
      column('action'),
      column('entityType'),
      column('entityId'),
      entries.map((entry) => JSON.stringify(entry.change)),
      column('ip'),
      column('requestId'),
      column('onBehalfOfUserId'),
      column('onBehalfOfLabel'),
    ]);
  }

  /** The latest entries first, filtered. */
  list(manager: EntityManager, filter: AuditFilter): Promise<AuditEntry[]> {
    const qb = manager.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(filter.limit);
    if (filter.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: filter.entityId });
    if (filter.actorUserId) qb.andWhere('a.actor_user_id = :actorUserId', { actorUserId: filter.actorUserId });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.from) qb.andWhere(`a.occurred_at >= (CAST(:firstDay AS date)::timestamp AT TIME ZONE 'Europe/Copenhagen')`, { firstDay: filter.from });
    if (filter.to) qb.andWhere(`a.occurred_at < ((CAST(:lastDay AS date) + 1)::timestamp AT TIME ZONE 'Europe/Copenhagen')`, { lastDay: filter.to });
    if (filter.before) qb.andWhere('a.id < :before', { before: filter.before });
    return qb.getMany();
  }
}
