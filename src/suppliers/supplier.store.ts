import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { AccessScope } from '../common/auth/access-scope';
import { sqlQueries } from '../common/database/sql-queries';
import { keysetPage, keysetQueries } from '../common/database/keyset';
import type { KeysetPage, PageRequest } from '../common/web/list-query';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import { SupplierCatalogueEntry } from './catalogue-entry.entity';
import { Supplier, type SupplierKind } from './supplier.entity';

/** A catalogue entry's fields as stored. */
export interface CatalogueValues {
  targetGroups: TargetGroup[];
  mentorTypes: MentorType[];
  methods: string;
  mentorProfiles: string;
  contact: string;
}

/** An active supplier's catalogue entry with the supplier's name and kind. */
export interface CatalogueRow {
  supplier: Pick<Supplier, 'id' | 'name' | 'kind'>;
  entry: SupplierCatalogueEntry;
}

interface CatalogueRecord {
  id: string;
  name: string;
  kind: SupplierKind;
  target_groups: string[];
  mentor_types: string[];
  methods: string;
  mentor_profiles: string;
  contact: string;
  updated_at: Date;
}

/** The suppliers list's sorts: name, CVR number, newest registered. */
export const SUPPLIER_SORTS = { name: 'asc', cvr: 'asc', created: 'desc' } as const;
export type SupplierSort = keyof typeof SUPPLIER_SORTS;

export const SUPPLIER_SQL = sqlQueries('suppliers/supplier.store', {
  // The searchable list, ids only (the rows are read as entities): $1 a supplier user's own supplier, $2 a pattern on the name, CVR or GLN.
  ...keysetQueries('page', {
    select: 's.id',
    from: 'FROM supplier s',
    where: `WHERE ($1::uuid IS NULL OR s.id = $1) AND ($2::text IS NULL OR s.name ILIKE $2 OR s.cvr LIKE $2 OR s.gln LIKE $2)`,
    params: 2,
    id: 's.id',
    sorts: { name: { expr: 's.name', cast: 'text' }, cvr: { expr: 's.cvr', cast: 'text' }, created: { expr: 's.created_at', cast: 'timestamptz' } },
  }),
  ids: `SELECT id FROM supplier ORDER BY id`,
  putCatalogueEntry: `
    INSERT INTO supplier_catalogue_entry (supplier_id, target_groups, mentor_types, methods, mentor_profiles, contact, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, now())
    ON CONFLICT (supplier_id) DO UPDATE SET target_groups = EXCLUDED.target_groups, mentor_types = EXCLUDED.mentor_types,
      methods = EXCLUDED.methods, mentor_profiles = EXCLUDED.mentor_profiles, contact = EXCLUDED.contact, updated_at = now()`,
  // The filters are parameters: null leaves one out.
  catalogue: `
    SELECT supplier.id, supplier.name, supplier.kind, entry.target_groups, entry.mentor_types, entry.methods, entry.mentor_profiles, entry.contact, entry.updated_at
      FROM supplier_catalogue_entry entry JOIN supplier ON supplier.id = entry.supplier_id
     WHERE supplier.active AND ($1::text IS NULL OR $1 = ANY(entry.mentor_types)) AND ($2::text IS NULL OR $2 = ANY(entry.target_groups))
     ORDER BY supplier.name, supplier.id`,
});

const Q = SUPPLIER_SQL;

/** Every query on supplier and supplier_catalogue_entry. */
@Injectable()
export class SupplierStore {
  /** Active suppliers by name. */
  active(manager: EntityManager): Promise<Supplier[]> {
    return manager.getRepository(Supplier).find({ where: { active: true }, order: { name: 'ASC' } });
  }

  /** The suppliers the scope may see, by name. */
  list(manager: EntityManager, scope: AccessScope): Promise<Supplier[]> {
    const qb = manager.getRepository(Supplier).createQueryBuilder('supplier').orderBy('supplier.name', 'ASC').addOrderBy('supplier.id', 'ASC');
    return scope.restrict(qb, 'supplier.id').getMany();
  }

  /** The supplier; `lock` holds its row until the caller's transaction ends. */
  findById(manager: EntityManager, id: string, lock = false): Promise<Supplier | null> {
    return manager.findOne(Supplier, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Every supplier's id. */
  async ids(manager: EntityManager): Promise<string[]> {
    return ((await manager.query(Q.ids)) as Array<{ id: string }>).map((row) => row.id);
  }

  /** Several suppliers by id in one read; ids not found are left out. */
  /** A page of suppliers in the order asked, searched by `pattern` (null: all); a supplier user's scope sees its own only. */
  async page(manager: EntityManager, scope: AccessScope, pattern: string | null, request: PageRequest<SupplierSort>): Promise<KeysetPage<Supplier>> {
    const page = await keysetPage<{ id: string }, SupplierSort>(manager, SUPPLIER_SQL, 'page', request, [scope.isSupplier ? scope.supplierId : null, pattern]);
    const rows = page.items.length === 0 ? [] : await this.findByIds(manager, page.items.map((row) => row.id));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return { ...page, items: page.items.flatMap((row) => byId.get(row.id) ?? []) };
  }

  findByIds(manager: EntityManager, ids: string[]): Promise<Supplier[]> {
    return manager.getRepository(Supplier).findBy({ id: In(ids) });
  }

  findActiveBy(manager: EntityManager, identifier: { gln: string } | { cvr: string }): Promise<Supplier | null> {
    return manager.getRepository(Supplier).findOne({ where: { ...identifier, active: true } });
  }

  /** Inserts a supplier; a unique or foreign-key violation is the caller's to explain. */
  insert(manager: EntityManager, values: Partial<Supplier>): Promise<Supplier> {
    return manager.save(manager.create(Supplier, values));
  }

  async update(manager: EntityManager, id: string, values: Partial<Supplier>): Promise<void> {
    await manager.update(Supplier, { id }, { ...values, updatedAt: () => 'now()' });
  }

  catalogueEntry(manager: EntityManager, supplierId: string): Promise<SupplierCatalogueEntry | null> {
    return manager.getRepository(SupplierCatalogueEntry).findOne({ where: { supplierId } });
  }

  async putCatalogueEntry(manager: EntityManager, supplierId: string, values: CatalogueValues): Promise<void> {
    await manager.query(Q.putCatalogueEntry, [supplierId, values.targetGroups, values.mentorTypes, values.methods, values.mentorProfiles, values.contact]);
  }

  /** Active suppliers' catalogue entries, optionally those offering a mentor type and/or target group. */
  async catalogue(manager: EntityManager, filter: { mentorType?: MentorType; targetGroup?: TargetGroup }): Promise<CatalogueRow[]> {
    // An empty filter leaves it out, as a missing one does.
    const rows = (await manager.query(Q.catalogue, [filter.mentorType || null, filter.targetGroup || null])) as CatalogueRecord[];
    return rows.map((row) => ({
      supplier: { id: row.id, name: row.name, kind: row.kind },
      entry: {
        supplierId: row.id,
        targetGroups: row.target_groups,
        mentorTypes: row.mentor_types,
        methods: row.methods,
        mentorProfiles: row.mentor_profiles,
        contact: row.contact,
        updatedAt: new Date(row.updated_at),
      },
    }));
  }
}
