import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GrantsService } from '../grants/grants.service';
import { AgreementsService, type CeilingLedgerDifference } from '../suppliers/agreements.service';
import type { CeilingBalance } from '../suppliers/ceiling-ledger.rules';
import { DeliveryStore } from './delivery.store';

/**
 * Proves the agreements' ceiling ledgers equal the sums over the deliveries: pending = the approvable amount of
 * sessions waiting for a decision, approved = the approved amounts that stand. It lives here because only the
 * invoices module sees both its deliveries and the suppliers module's ledger.
 */
@Injectable()
export class CeilingLedgerCheckService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: GrantsService,
    private readonly agreements: AgreementsService,
    private readonly deliveries: DeliveryStore,
  ) {}

  /** Every agreement whose ledger differs from its deliveries, with the exact differences; empty when all agree. */
  check(): Promise<CeilingLedgerDifference[]> {
    // One snapshot for both sides, so an invoice submitted meanwhile is not a difference.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const byGrant = await this.deliveries.ceilingUseByGrant(manager);
      const grants = await this.grants.invoicingFacts(manager, [...byGrant.keys()]);
      const byAgreement = new Map<string, CeilingBalance>();
      for (const grant of grants) {
        const use = byGrant.get(grant.reference);
        if (!use) continue;
        const sum = byAgreement.get(grant.agreementId) ?? { pendingOre: 0, approvedOre: 0 };
        byAgreement.set(grant.agreementId, { pendingOre: sum.pendingOre + use.pendingOre, approvedOre: sum.approvedOre + use.approvedOre });
      }
      return this.agreements.ledgerDifferences(manager, byAgreement);
    });
  }
}
