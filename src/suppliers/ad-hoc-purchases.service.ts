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
import { SuppliersErrorCode } from './suppliers.errors';

export interface ProposeAdHocCommand {
  supplierId: string;
  caseNumber: string;
  description: string;
  amountOre: number;
}

/** Ad-hoc purchases for one case outside a framework: proposed within the spend limit, decided by a team leader. */
@Injectable()
export class AdHocPurchasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly store: AdHocPurchaseStore,
    private readonly suppliers: SupplierStore,
  ) {}

  list(scope: AccessScope): Promise<AdHocPurchase[]> {
    return this.store.list(this.dataSource.manager, scope.isSupplier ? (scope.supplierId as string) : null);
  }

  async get(id: string, scope: AccessScope): Promise<AdHocPurchase> {
    const purchase = await this.store.findById(this.dataSource.manager, id);
    if (!purchase || !scope.canSee(purchase.supplierId)) throw DomainException.notFound('Ad-hoc purchase');
    return purchase;
  }

  async propose(command: ProposeAdHocCommand, actor: Actor): Promise<AdHocPurchase> {
    const problems = checkAdHocAmount(command.amountOre);
    if (problems.length > 0) throw DomainException.rule('The ad-hoc purchase is over its limit', problems);
    const values = { supplierId: command.supplierId, caseNumber: command.caseNumber.trim(), description: command.description.trim(), amountOre: command.amountOre, proposedBy: actor.userId };
    const id = await this.dataSource.transaction(async (manager) => {
      const supplier = await this.suppliers.findById(manager, command.supplierId);
      if (!supplier) throw DomainException.rule('The supplier does not exist', [{ field: 'supplierId', rule: CommonErrorCode.Exists, message: 'no supplier has this id' }]);
      if (!supplier.active) {
        throw DomainException.rule('The supplier is deactivated', [{ field: 'supplierId', rule: SuppliersErrorCode.SupplierDeactivated, message: `the supplier ${supplier.name} is deactivated`, values: { supplier: supplier.name } }]);
      }
      const saved = await this.store.insert(manager, values);
      await this.audit.record(manager, actor, { action: 'ad_hoc_purchase.proposed', entityType: 'ad_hoc_purchase', entityId: saved, change: { ...values } });
      return saved;
    });
    return (await this.store.findById(this.dataSource.manager, id)) as AdHocPurchase;
  }

  /** A team leader other than the proposer approves or refuses a proposal, in one conditional UPDATE. */
  async decide(id: string, to: 'approved' | 'refused', reason: string | null, actor: Actor): Promise<AdHocPurchase> {
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
    return (await this.store.findById(this.dataSource.manager, id)) as AdHocPurchase;
  }
}
