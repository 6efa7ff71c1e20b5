import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { CommonErrorCode } from '../common/errors/common.errors';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { adHocTransitionProblem, checkAdHocAmount, checkAdHocDecider } from './ad-hoc-purchase.rules';
import { AdHocPurchaseStore, type AdHocPurchase } from './ad-hoc-purchase.store';
import { SupplierStore } from './supplier.store';
import { AgreementGrantsDirectory, AgreementUsageDirectory } from './agreement-grants.directory';
import { SuppliersErrorCode } from './suppliers.errors';

export interface ProposeAdHocCommand {
  supplierId: string;
  caseNumber: string;
  description: string;
  amountOre: number;
  /** The grant the purchase is for; its supplier must be the purchase's (ad_hoc_grant_supplier). */
  grantId?: string;
}

/** An ad-hoc purchase with what it has spent: the approved deliveries on its grant (null when it names none), against its amount. */
export interface AdHocPurchaseWithSpend extends AdHocPurchase {
  grantReference: string | null;
  spentOre: number | null;
  leftOre: number | null;
}

/** Ad-hoc purchases for one case outside a framework: proposed within the spend limit, decided by a team leader. */
@Injectable()
export class AdHocPurchasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: AdHocPurchaseStore,
    private readonly suppliers: SupplierStore,
    private readonly grants: AgreementGrantsDirectory,
    private readonly usage: AgreementUsageDirectory,
  ) {}

  async list(scope: AccessScope): Promise<AdHocPurchaseWithSpend[]> {
    return this.withSpend(await this.store.list(this.dataSource.manager, scope.isSupplier ? (scope.supplierId as string) : null));
  }

  async get(id: string, scope: AccessScope): Promise<AdHocPurchaseWithSpend> {
    const purchase = await this.store.findById(this.dataSource.manager, id);
    if (!purchase || !scope.canSee(purchase.supplierId)) throw DomainException.notFound('Ad-hoc purchase');
    return (await this.withSpend([purchase]))[0];
  }

  /** The spend of each linked purchase: the approved deliveries on its grant, through the invoices module. */
  private async withSpend(purchases: AdHocPurchase[]): Promise<AdHocPurchaseWithSpend[]> {
    const grantIds = [...new Set(purchases.map((p) => p.grantId).filter((id): id is string => id !== null))];
    const [spent, links] = await Promise.all([this.usage.approvedOreOnGrants(grantIds), Promise.all(grantIds.map((id) => this.grants.grantOf({ id })))]);
    const references = new Map(links.filter((link) => link !== null).map((link) => [link.id, link.reference]));
    return purchases.map((p) => {
      if (p.grantId === null) return { ...p, grantReference: null, spentOre: null, leftOre: null };
      const spentOre = spent.get(p.grantId) ?? 0;
      return { ...p, grantReference: references.get(p.grantId) ?? null, spentOre, leftOre: p.amountOre - spentOre };
    });
  }

  async propose(command: ProposeAdHocCommand, actor: Actor): Promise<AdHocPurchaseWithSpend> {
    const problems = checkAdHocAmount(command.amountOre);
    const grant = command.grantId ? await this.grants.grantOf({ id: command.grantId }) : null;
    if (command.grantId && !grant) problems.push({ field: 'grantId', rule: CommonErrorCode.Exists, message: 'no grant has this id' });
    if (grant && grant.supplierId !== command.supplierId) {
      problems.push({ field: 'grantId', rule: SuppliersErrorCode.AdHocGrantSupplier, message: `the grant ${grant.reference} belongs to another supplier`, values: { grantReference: grant.reference } });
    }
    if (problems.length > 0) throw DomainException.rule('The ad-hoc purchase cannot be proposed', problems);
    const values = { supplierId: command.supplierId, caseNumber: command.caseNumber.trim(), description: command.description.trim(), amountOre: command.amountOre, proposedBy: actor.userId, grantId: grant?.id ?? null };
    const id = await this.dataSource.transaction(async (manager) => {
      const supplier = await this.suppliers.findById(manager, command.supplierId);
      if (!supplier) throw DomainException.rule('The supplier does not exist', [{ field: 'supplierId', rule: CommonErrorCode.Exists, message: 'no supplier has this id' }]);
      if (!supplier.active) {
        throw DomainException.rule('The supplier is deactivated', [{ field: 'supplierId', rule: SuppliersErrorCode.SupplierDeactivated, message: `the supplier ${supplier.name} is deactivated`, values: { supplier: supplier.name } }]);
      }
      const saved = await this.store.insert(manager, values);
      await this.audit.record(manager, actor, { action: 'ad_hoc_purchase.proposed', entityType: 'ad_hoc_purchase', entityId: saved, change: { ...values, ...(grant ? { grantReference: grant.reference } : {}) } });
      return saved;
    });
    return (await this.withSpend([(await this.store.findById(this.dataSource.manager, id)) as AdHocPurchase]))[0];
  }

  /** A team leader other than the proposer approves or refuses a proposal, in one conditional UPDATE. */
  async decide(id: string, to: 'approved' | 'refused', reason: string | null, actor: Actor): Promise<AdHocPurchaseWithSpend> {
    if (actor.role === 'anonymous') throw DomainException.forbidden();
    await this.dataSource.transaction(async (manager) => {
      const purchase = await this.store.findById(manager, id);
      if (!purchase) throw DomainException.notFound('Ad-hoc purchase');
      const transition = adHocTransitionProblem(purchase.status, to, actor.role as TransitionRole);
      if (transition) throw DomainException.conflict(`The ad-hoc purchase cannot go from ${purchase.status} to ${to}`, [transition]);
      const problems = checkAdHocDecider(purchase.proposedBy, actor.userId);
      if (problems.length > 0) throw DomainException.rule('The ad-hoc purchase cannot be decided by its proposer', problems);
      if (!(await this.store.decide(manager, id, to, actor.userId, reason))) {
        throw DomainException.conflict('The ad-hoc purchase was decided meanwhile', [{ field: 'status', rule: SuppliersErrorCode.AdHocPurchaseTransition, message: 'it was decided while this decision was made', values: { from: purchase.status, to } }]);
      }
      await this.audit.record(manager, actor, { action: `ad_hoc_purchase.${to}`, entityType: 'ad_hoc_purchase', entityId: id, change: { status: { from: 'proposed', to }, reason } });
    });
    return (await this.withSpend([(await this.store.findById(this.dataSource.manager, id)) as AdHocPurchase]))[0];
  }
}
