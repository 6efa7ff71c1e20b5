import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { AuditEntry } from './audit-entry.entity';
import { AuditStore, type AuditFilter, type NewAuditEntry } from './audit.store';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  /** What changed: `{ before, after }` for updates, the created values for creates. Never CPR numbers or secrets. */
  change?: Record<string, unknown>;
}

export type AuditQuery = AuditFilter;

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: AuditStore,
  ) {}

  /** Records an entry inside the caller's transaction, so it commits or rolls back with the change. */
  async record(manager: EntityManager, actor: Actor, record: AuditRecord): Promise<void> {
    await this.store.insert(manager, entry(actor, record));
  }

  /** Records one entry per record, in one insert, inside the caller's transaction (a batch job's changes). */
  async recordMany(manager: EntityManager, actor: Actor, records: AuditRecord[]): Promise<void> {
    await this.store.insertMany(manager, records.map((record) => entry(actor, record)));
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    return this.store.list(this.dataSource.manager, query);
  }
}

function entry(actor: Actor, record: AuditRecord): NewAuditEntry {
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
    onBehalfOfUserId: actor.onBehalfOf?.userId ?? null,
    onBehalfOfLabel: actor.onBehalfOf?.label ?? null,
  };
}

/** Only the fields that differ, as `{ field: { from, to } }`; for the audit log of an update. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}
