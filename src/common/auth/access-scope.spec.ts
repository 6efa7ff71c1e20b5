import { DataSource } from 'typeorm';
import { DomainException } from '../errors/domain.exception';
import { AccessScope } from './access-scope';

const SUPPLIER_A = '00000000-0000-4000-8000-00000000000a';
const SUPPLIER_B = '00000000-0000-4000-8000-00000000000b';

describe('AccessScope', () => {
  it('lets staff roles see every supplier', () => {
    for (const role of ['admin', 'procurement', 'caseworker', 'finance'] as const) {
      const scope = AccessScope.of({ role, supplierId: null });
      expect(scope.isSupplier).toBe(false);
      expect(scope.canSee(SUPPLIER_A)).toBe(true);
      expect(() => scope.assertVisible(SUPPLIER_B, 'Agreement')).not.toThrow();
    }
  });

  it('keeps a supplier user to its own supplier and answers others as not found', () => {
    const scope = AccessScope.of({ role: 'supplier', supplierId: SUPPLIER_A });
    expect(scope.canSee(SUPPLIER_A)).toBe(true);
    expect(scope.canSee(SUPPLIER_B)).toBe(false);
    expect(scope.canSee(null)).toBe(false);
    expect(() => scope.assertVisible(SUPPLIER_B, 'Agreement')).toThrow(new DomainException(DomainException.notFound('Agreement').code, 'Agreement was not found'));
  });

  it('refuses a supplier user without a supplier', () => {
    expect(() => AccessScope.of({ role: 'supplier', supplierId: null })).toThrow('A supplier user must belong to a supplier');
  });

  it('adds the supplier condition to queries only for supplier users', () => {
    const dataSource = new DataSource({ type: 'postgres' });
    const staff = AccessScope.unrestricted().restrict(dataSource.createQueryBuilder().select('1').from('agreement', 'a'), 'a.supplier_id');
    expect(staff.getQuery()).not.toContain('supplier_id');
    const supplier = AccessScope.of({ role: 'supplier', supplierId: SUPPLIER_A }).restrict(dataSource.createQueryBuilder().select('1').from('agreement', 'a'), 'a.supplier_id');
    expect(supplier.getQuery()).toContain('a.supplier_id = :scopeSupplierId');
    expect(supplier.getParameters()).toEqual({ scopeSupplierId: SUPPLIER_A });
  });
});
