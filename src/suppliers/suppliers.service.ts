import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import { SupplierCatalogueEntry } from './catalogue-entry.entity';
import { Supplier, type SupplierKind } from './supplier.entity';
import { explainConstraint } from './unique-violation';

export interface SupplierOption {
  id: string;
  name: string;
  cvr: string;
}

export interface SupplierFields {
  name: string;
  cvr: string;
  gln: string | null;
  kind: SupplierKind;
  active: boolean;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  vatRegistered: boolean;
}

export type CreateSupplierCommand = Pick<SupplierFields, 'name' | 'cvr' | 'kind'> & Partial<SupplierFields>;
export type UpdateSupplierCommand = Partial<SupplierFields>;

export interface CatalogueCommand {
  targetGroups: TargetGroup[];
  mentorTypes: MentorType[];
  methods: string;
  mentorProfiles: string;
  contact: string;
}

const SUPPLIER_UNIQUE = { supplier_cvr_key: 'cvr', supplier_gln_key: 'gln' };

@Injectable()
export class SuppliersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Active suppliers for pickers (e.g. linking a supplier user). */
  async options(): Promise<SupplierOption[]> {
    const suppliers = await this.dataSource.getRepository(Supplier).find({ where: { active: true }, order: { name: 'ASC' } });
    return suppliers.map(({ id, name, cvr }) => ({ id, name, cvr }));
  }

  list(scope: AccessScope): Promise<Supplier[]> {
    const qb = this.dataSource.getRepository(Supplier).createQueryBuilder('supplier').orderBy('supplier.name', 'ASC').addOrderBy('supplier.id', 'ASC');
    return scope.restrict(qb, 'supplier.id').getMany();
  }

  async get(id: string, scope: AccessScope): Promise<Supplier> {
    scope.assertVisible(id, 'Supplier');
    return this.findOrFail(id);
  }

  /** Several suppliers by id in one read (a billing batch's); ids not found are left out. */
  async getMany(ids: string[]): Promise<Supplier[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(Supplier).findBy({ id: In(ids) });
  }

  /** The active supplier with this CVR number or GLN (an e-invoice's seller endpoint), or null. */
  async findByIdentifier(identifier: { cvr?: string | null; gln?: string | null }): Promise<Supplier | null> {
    const repository = this.dataSource.getRepository(Supplier);
    if (identifier.gln) {
      const byGln = await repository.findOne({ where: { gln: identifier.gln, active: true } });
      if (byGln) return byGln;
    }
    if (identifier.cvr) return repository.findOne({ where: { cvr: identifier.cvr, active: true } });
    return null;
  }

  async create(command: CreateSupplierCommand, actor: Actor): Promise<Supplier> {
    const values: SupplierFields = {
      name: command.name.trim(),
      cvr: command.cvr,
      gln: command.gln ?? null,
      kind: command.kind,
      active: command.active ?? true,
      address: command.address ?? null,
      postalCode: command.postalCode ?? null,
      city: command.city ?? null,
      contactName: command.contactName ?? null,
      contactEmail: command.contactEmail ?? null,
      contactPhone: command.contactPhone ?? null,
      vatRegistered: command.vatRegistered ?? true,
    };
    const id = await this.dataSource.transaction(async (manager) => {
      let saved: Supplier;
      try {
        saved = await manager.save(manager.create(Supplier, values));
      } catch (error) {
        explainConstraint(error, SUPPLIER_UNIQUE);
      }
      await this.audit.record(manager, actor, { action: 'supplier.created', entityType: 'supplier', entityId: saved.id, change: { ...values } });
      return saved.id;
    });
    return this.findOrFail(id);
  }

  private async findOrFail(id: string): Promise<Supplier> {
    const supplier = await this.dataSource.getRepository(Supplier).findOne({ where: { id } });
    if (!supplier) throw DomainException.notFound('Supplier');
    return supplier;
  }

  async update(id: string, command: UpdateSupplierCommand, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const supplier = await manager.findOne(Supplier, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!supplier) throw DomainException.notFound('Supplier');
      const before = supplierFields(supplier);
      const after: SupplierFields = { ...before };
      for (const [key, value] of Object.entries(command) as Array<[keyof SupplierFields, unknown]>) {
        if (value !== undefined) (after as unknown as Record<string, unknown>)[key] = value;
      }
      const change = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
      if (Object.keys(change).length === 0) return;
      try {
        await manager.update(Supplier, { id }, { ...after, updatedAt: () => 'now()' });
      } catch (error) {
        explainConstraint(error, SUPPLIER_UNIQUE);
      }
      await this.audit.record(manager, actor, { action: 'supplier.updated', entityType: 'supplier', entityId: id, change });
    });
  }

  async catalogueEntry(supplierId: string): Promise<{ supplier: Supplier; entry: SupplierCatalogueEntry | null }> {
    const supplier = await this.dataSource.getRepository(Supplier).findOne({ where: { id: supplierId } });
    if (!supplier) throw DomainException.notFound('Supplier');
    const entry = await this.dataSource.getRepository(SupplierCatalogueEntry).findOne({ where: { supplierId } });
    return { supplier, entry };
  }

  async putCatalogueEntry(supplierId: string, command: CatalogueCommand, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const supplier = await manager.findOne(Supplier, { where: { id: supplierId }, lock: { mode: 'pessimistic_write' } });
      if (!supplier) throw DomainException.notFound('Supplier');
      const values = {
        targetGroups: [...new Set(command.targetGroups)],
        mentorTypes: [...new Set(command.mentorTypes)],
        methods: command.methods,
        mentorProfiles: command.mentorProfiles,
        contact: command.contact,
      };
      await manager.query(
        `INSERT INTO supplier_catalogue_entry (supplier_id, target_groups, mentor_types, methods, mentor_profiles, contact, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (supplier_id) DO UPDATE SET target_groups = EXCLUDED.target_groups, mentor_types = EXCLUDED.mentor_types,
           methods = EXCLUDED.methods, mentor_profiles = EXCLUDED.mentor_profiles, contact = EXCLUDED.contact, updated_at = now()`,
        [supplierId, values.targetGroups, values.mentorTypes, values.methods, values.mentorProfiles, values.contact],
      );
      await this.audit.record(manager, actor, { action: 'supplier_catalogue.updated', entityType: 'supplier', entityId: supplierId, change: values });
    });
  }

  /** Active suppliers' catalogue entries, optionally those offering a mentor type and/or target group. */
  async catalogue(filter: { mentorType?: MentorType; targetGroup?: TargetGroup }): Promise<Array<{ supplier: Supplier; entry: SupplierCatalogueEntry }>> {
    const params: unknown[] = [];
    let where = 'supplier.active';
    if (filter.mentorType) {
      params.push(filter.mentorType);
      where += ` AND $${params.length} = ANY(entry.mentor_types)`;
    }
    if (filter.targetGroup) {
      params.push(filter.targetGroup);
      where += ` AND $${params.length} = ANY(entry.target_groups)`;
    }
    const rows = (await this.dataSource.query(
      `SELECT supplier.id, supplier.name, supplier.kind, entry.target_groups, entry.mentor_types, entry.methods, entry.mentor_profiles, entry.contact, entry.updated_at
         FROM supplier_catalogue_entry entry JOIN supplier ON supplier.id = entry.supplier_id
        WHERE ${where} ORDER BY supplier.name, supplier.id`,
      params,
    )) as Array<{ id: string; name: string; kind: SupplierKind; target_groups: string[]; mentor_types: string[]; methods: string; mentor_profiles: string; contact: string; updated_at: Date }>;
    return rows.map((row) => ({
      supplier: { id: row.id, name: row.name, kind: row.kind } as Supplier,
      entry: { supplierId: row.id, targetGroups: row.target_groups, mentorTypes: row.mentor_types, methods: row.methods, mentorProfiles: row.mentor_profiles, contact: row.contact, updatedAt: new Date(row.updated_at) },
    }));
  }
}

/** The editable fields of a supplier, for audit diffs and responses. */
export function supplierFields(s: Supplier): SupplierFields {
  return {
    name: s.name,
    cvr: s.cvr,
    gln: s.gln,
    kind: s.kind,
    active: s.active,
    address: s.address,
    postalCode: s.postalCode,
    city: s.city,
    contactName: s.contactName,
    contactEmail: s.contactEmail,
    contactPhone: s.contactPhone,
    vatRegistered: s.vatRegistered,
  };
}
