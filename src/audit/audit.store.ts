import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEntry } from './audit-entry.entity';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  action?: string;
  /** Keyset cursor: entries with a smaller id. */
  before?: string;
  limit: number;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'occurredAt'>;

/** Every query on audit_entry: entries are only ever appended. */
@Injectable()
export class AuditStore {
  async insert(manager: EntityManager, entry: NewAuditEntry): Promise<void> {
    await manager.insert(AuditEntry, entry as QueryDeepPartialEntity<AuditEntry>);
  }

  /** Several entries in one insert (a batch job's changes); nothing for none. */
  async insertMany(manager: EntityManager, entries: NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.insert(AuditEntry, entries as Array<QueryDeepPartialEntity<AuditEntry>>);
  }

  /** The latest entries first, filtered. */
  list(manager: EntityManager, filter: AuditFilter): Promise<AuditEntry[]> {
    const qb = manager.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(filter.limit);
    if (filter.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: filter.entityId });
    if (filter.actorUserId) qb.andWhere('a.actor_user_id = :actorUserId', { actorUserId: filter.actorUserId });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.before) qb.andWhere('a.id < :before', { before: filter.before });
    return qb.getMany();
  }
}
