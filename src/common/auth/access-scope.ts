import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainException } from '../errors/domain.exception';
import type { AuthenticatedUser } from './authenticated-user';

/**
 * The one mechanism that keeps a supplier user to its own supplier's data.
 * Staff see every supplier; a supplier user sees only its own, and a record of
 * another supplier is answered as not found (its existence is not revealed).
 */
export class AccessScope {
  private constructor(readonly supplierId: string | null) {}

  static of(user: Pick<AuthenticatedUser, 'role' | 'supplierId'>): AccessScope {
    if (user.role !== 'supplier') return new AccessScope(null);
    if (!user.supplierId) throw DomainException.forbidden('A supplier user must belong to a supplier');
    return new AccessScope(user.supplierId);
  }

  static unrestricted(): AccessScope {
    return new AccessScope(null);
  }

  get isSupplier(): boolean {
    return this.supplierId !== null;
  }

  canSee(ownerSupplierId: string | null | undefined): boolean {
    return this.supplierId === null || this.supplierId === ownerSupplierId;
  }

  /** Throws not-found when the record belongs to another supplier. */
  assertVisible(ownerSupplierId: string | null | undefined, what: string): void {
    if (!this.canSee(ownerSupplierId)) throw DomainException.notFound(what);
  }

  /** Restricts a query to the scope's supplier; `column` is e.g. `agreement.supplier_id`. */
  restrict<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string): SelectQueryBuilder<T> {
    if (this.supplierId === null) return qb;
    return qb.andWhere(`${column} = :scopeSupplierId`, { scopeSupplierId: this.supplierId });
  }
}
