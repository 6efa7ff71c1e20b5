/**
 * An agreement's ceiling use is the sum of an append-only ledger: each entry moves the pending balance
 * (invoiced, waiting for approval) and the approved balance. Pure.
 */

export const CEILING_ENTRY_KINDS = ['opening', 'submitted', 'approved', 'rejected', 'credited'] as const;
/**
 * opening: the counters carried over when the ledger began; submitted: an invoice's approvable amount held as
 * pending; approved: its pending released and what was approved booked; rejected: its pending released;
 * credited: an approved credit note taking approved amounts back.
 */
export type CeilingEntryKind = (typeof CEILING_ENTRY_KINDS)[number];

export interface CeilingEntry {
  agreementId: string;
  kind: Exclude<CeilingEntryKind, 'opening'>;
  invoiceId: string;
  pendingDeltaOre: number;
  approvedDeltaOre: number;
}

export interface CeilingBalance {
  pendingOre: number;
  approvedOre: number;
}

export const NO_CONSUMPTION: CeilingBalance = Object.freeze({ pendingOre: 0, approvedOre: 0 });

/** Approved plus pending: what counts against the ceiling. */
export function consumedOre(balance: CeilingBalance): number {
  return balance.pendingOre + balance.approvedOre;
}

/** Entries that move nothing are not written. */
export function movesBalance(entry: Pick<CeilingEntry, 'pendingDeltaOre' | 'approvedDeltaOre'>): boolean {
  return entry.pendingDeltaOre !== 0 || entry.approvedDeltaOre !== 0;
}

export interface LedgerDifference {
  agreementId: string;
  ledger: CeilingBalance;
  deliveries: CeilingBalance;
  /** Ledger minus deliveries. */
  pendingDifferenceOre: number;
  approvedDifferenceOre: number;
}

/**
 * Every agreement whose ledger balances differ from the sums over its deliveries, by agreement id; an agreement
 * missing on one side counts as zero there. Differences are reported as they are, never clamped.
 */
export function ledgerDifferences(ledger: ReadonlyMap<string, CeilingBalance>, deliveries: ReadonlyMap<string, CeilingBalance>): LedgerDifference[] {
  const ids = [...new Set([...ledger.keys(), ...deliveries.keys()])].sort();
  const differences: LedgerDifference[] = [];
  for (const agreementId of ids) {
    const booked = ledger.get(agreementId) ?? NO_CONSUMPTION;
    const delivered = deliveries.get(agreementId) ?? NO_CONSUMPTION;
    const pendingDifferenceOre = booked.pendingOre - delivered.pendingOre;
    const approvedDifferenceOre = booked.approvedOre - delivered.approvedOre;
    if (pendingDifferenceOre === 0 && approvedDifferenceOre === 0) continue;
    differences.push({ agreementId, ledger: { ...booked }, deliveries: { ...delivered }, pendingDifferenceOre, approvedDifferenceOre });
  }
  return differences;
}
