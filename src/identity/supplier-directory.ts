import { Injectable } from '@nestjs/common';

/** What a federated sign-in needs to know of suppliers: a supplier's CVR number. */
export interface SupplierLookup {
  cvrOf(supplierId: string): Promise<string | null>;
}

/**
 * Identity sits below the suppliers module and cannot call it; the suppliers module hands its lookup in here
 * when it starts (suppliers/supplier-directory.bridge.ts). Until then a supplier's CVR is unknown, and an
 * OpenID Connect sign-in that needs it is refused.
 */
@Injectable()
export class SupplierDirectory implements SupplierLookup {
  private lookup: SupplierLookup | null = null;

  provide(lookup: SupplierLookup): void {
    this.lookup = lookup;
  }

  cvrOf(supplierId: string): Promise<string | null> {
    return this.lookup ? this.lookup.cvrOf(supplierId) : Promise.resolve(null);
  }
}
