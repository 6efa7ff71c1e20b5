import { containsPattern, type KeysetPage, type PageRequest } from '../common/web/list-query';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { SuppliersErrorCode } from './suppliers.errors';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import { UsersService } from '../identity/users.service';
import { SupplierCatalogueEntry } from './catalogue-entry.entity';
import { Supplier, type SupplierKind } from './supplier.entity';
import { SupplierStore, type CatalogueRow, type SupplierSort } from './supplier.store';
import { explainConstraint } from './unique-violation';
import { IdentityErrorCode } from '../identity/identity.errors';

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
    private readonly store: SupplierStore,
    private readonly users: UsersService,
  ) {}

  /** Active suppliers for pickers (e.g. linking a supplier user). */
  async options(): Promise<SupplierOption[]> {
    const suppliers = await this.store.active(this.dataSource.manager);
    return suppliers.map(({ id, name, cvr }) => ({ id, name, cvr }));
  }

  list(scope: AccessScope): Promise<Supplier[]> {
    return this.store.list(this.dataSource.manager, scope);
  }

  /** A page of suppliers: `q` part of the name, CVR or GLN number; a supplier user sees its own only. */
  page(q: string | null, request: PageRequest<SupplierSort>, scope: AccessScope): Promise<KeysetPage<Supplier>> {
    return this.store.page(this.dataSource.manager, scope, q === null ? null : containsPattern(q), request);
  }

  async get(id: string, scope: AccessScope): Promise<Supplier> {
    scope.assertVisible(id, 'Supplier');
    return this.findOrFail(id);
  }

  /**
   * The supplier of a supplier user who is about to write (an invoice, hours, a progress report). A deactivated
   * supplier reads what it sent but sends nothing new; staff writing on its behalf (a paper invoice for
   * sessions before the deactivation) do not come here.
   */
  async ownForWrite(scope: AccessScope): Promise<Supplier> {
    if (!scope.isSupplier) throw DomainException.forbidden('Only a supplier user writes as its supplier');
    const supplier = await this.get(scope.supplierId as string, scope);
    if (!supplier.active) {
      throw new DomainException(DomainErrorCode.Forbidden, 'The supplier is deactivated', [
        { field: 'supplier', rule: IdentityErrorCode.SupplierActive, message: 'the organisation is deactivated in the portal; it can read what it sent, but send nothing new' },
      ]);
    }
    return supplier;
  }

  /** Every supplier's id (active or not), read in the caller's transaction: what a month close looks through. */
  ids(manager: EntityManager): Promise<string[]> {
    return this.store.ids(manager);
  }

  /** The names of these suppliers in one read (a page's), by id; ids not found are left out. */
  async names(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    return new Map((await this.store.findByIds(manager, unique)).map((supplier) => [supplier.id, supplier.name]));
  }

  /** Every supplier's id and name, ordered by name (then id): the order lists of suppliers' records are shown in. */
  async byName(): Promise<Array<{ id: string; name: string }>> {
    return (await this.store.list(this.dataSource.manager, AccessScope.unrestricted())).map(({ id, name }) => ({ id, name }));
  }

  /** Several suppliers by id in one read (a billing batch's); ids not found are left out. */
  /** A supplier's CVR number, or null for no such supplier. */
  async cvrOf(id: string): Promise<string | null> {
    return (await this.store.findById(this.dataSource.manager, id))?.cvr ?? null;
  }

  async getMany(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Supplier[]> {
    if (ids.length === 0) return [];
    return this.store.findByIds(manager, ids);
  }

  /** The active supplier with this CVR number or GLN (an e-invoice's seller endpoint), or null. */
  async findByIdentifier(identifier: { cvr?: string | null; gln?: string | null }): Promise<Supplier | null> {
    const manager = this.dataSource.manager;
    if (identifier.gln) {
      const byGln = await this.store.findActiveBy(manager, { gln: identifier.gln });
      if (byGln) return byGln;
    }
    if (identifier.cvr) return this.store.findActiveBy(manager, { cvr: identifier.cvr });
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
      // Another municipal department is settled internally, without VAT.
      vatRegistered: command.vatRegistered ?? command.kind !== 'internal',
    };
    assertInternalSettlement(values);
    const id = await this.dataSource.transaction(async (manager) => {
      let saved: Supplier;
      try {
        saved = await this.store.insert(manager, values);
      } catch (error) {
        explainConstraint(error, SUPPLIER_UNIQUE);
      }
      // Sign-in is identity's: it keeps which suppliers' users are shut out, told here in the same transaction.
      if (!values.active) await this.users.setSupplierAccess(manager, saved.id, false);
      await this.audit.record(manager, actor, { action: 'supplier.created', entityType: 'supplier', entityId: saved.id, change: { ...values } });
      return saved.id;
    });
    return this.findOrFail(id);
  }

  private async findOrFail(id: string): Promise<Supplier> {
    const supplier = await this.store.findById(this.dataSource.manager, id);
    if (!supplier) throw DomainException.notFound('Supplier');
    return supplier;
  }

  async update(id: string, command: UpdateSupplierCommand, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const supplier = await this.store.findById(manager, id, true);
      if (!supplier) throw DomainException.notFound('Supplier');
      const before = supplierFields(supplier);
      const after: SupplierFields = { ...before };
      for (const [key, value] of Object.entries(command) as Array<[keyof SupplierFields, unknown]>) {
        if (value !== undefined) (after as unknown as Record<string, unknown>)[key] = value;
      }
      if (after.kind === 'internal' && before.kind !== 'internal' && command.vatRegistered === undefined) after.vatRegistered = false;
      assertInternalSettlement(after);
      const change = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
      if (Object.keys(change).length === 0) return;
      try {
        await this.store.update(manager, id, after);
      } catch (error) {
        explainConstraint(error, SUPPLIER_UNIQUE);
      }
      if (after.active !== before.active) await this.users.setSupplierAccess(manager, id, after.active);
      await this.audit.record(manager, actor, { action: 'supplier.updated', entityType: 'supplier', entityId: id, change });
    });
  }

  async catalogueEntry(supplierId: string): Promise<{ supplier: Supplier; entry: SupplierCatalogueEntry | null }> {
    const supplier = await this.store.findById(this.dataSource.manager, supplierId);
    if (!supplier) throw DomainException.notFound('Supplier');
    const entry = await this.store.catalogueEntry(this.dataSource.manager, supplierId);
    return { supplier, entry };
  }

  async putCatalogueEntry(supplierId: string, command: CatalogueCommand, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const supplier = await this.store.findById(manager, supplierId, true);
      if (!supplier) throw DomainException.notFound('Supplier');
      const values = {
        targetGroups: [...new Set(command.targetGroups)],
        mentorTypes: [...new Set(command.mentorTypes)],
        methods: command.methods,
        mentorProfiles: command.mentorProfiles,
        contact: command.contact,
      };
      await this.store.putCatalogueEntry(manager, supplierId, values);
      await this.audit.record(manager, actor, { action: 'supplier_catalogue.updated', entityType: 'supplier', entityId: supplierId, change: values });
    });
  }

  /** Active suppliers' catalogue entries, optionally those offering a mentor type and/or target group. */
  catalogue(filter: { mentorType?: MentorType; targetGroup?: TargetGroup }): Promise<CatalogueRow[]> {
    return this.store.catalogue(this.dataSource.manager, filter);
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

/** An internal supplier (another municipal department) is settled internally: no VAT and no e-invoice endpoint. */
function assertInternalSettlement(values: SupplierFields): void {
  if (values.kind !== 'internal') return;
  const problems: ErrorDetail[] = [];
  if (values.vatRegistered) problems.push({ field: 'vatRegistered', rule: SuppliersErrorCode.InternalSupplierNoVat, message: 'an internal supplier is settled internally without VAT' });
  if (values.gln !== null) problems.push({ field: 'gln', rule: SuppliersErrorCode.InternalSupplierNoEinvoice, message: 'an internal supplier is settled internally and has no GLN for e-invoices' });
  if (problems.length > 0) throw DomainException.rule('An internal supplier is settled internally', problems);
}
