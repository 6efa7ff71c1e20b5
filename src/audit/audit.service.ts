import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Actor } from '../common/actor';
import { AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  /** What changed: `{ before, after }` for updates, the created values for creates. Never CPR numbers or secrets. */
  change?: Record<string, unknown>;
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  action?: string;
  /** Keyset cursor: entries with a smaller id. */
  before?: string;
  limit: number;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an entry inside the caller's transaction, so it commits or rolls back with the change. */
  async record(manager: EntityManager, actor: Actor, record: AuditRecord): Promise<void> {
    await manager.insert(AuditEntry, entry(actor, record));
  }

  /** Records one entry per record, in one insert, inside the caller's transaction (a batch job's changes). */
  async recordMany(manager: EntityManager, actor: Actor, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await manager.insert(AuditEntry, records.map((record) => entry(actor, record)));
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(query.limit);
    if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorUserId) qb.andWhere('a.actor_user_id = :actorUserId', { actorUserId: query.actorUserId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.before) qb.andWhere('a.id < :before', { before: query.before });
    return qb.getMany();
  }
}

function entry(actor: Actor, record: AuditRecord): QueryDeepPartialEntity<AuditEntry> {
  return {
    actorUserId: actor.userId,
    actorRole: actor.role,
    actorLabel: actor.label,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    change: record.change ?? {},
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
  } as QueryDeepPartialEntity<AuditEntry>;
}

/** Only the fields that differ, as `{ field: { from, to } }`; for the audit log of an update. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}
