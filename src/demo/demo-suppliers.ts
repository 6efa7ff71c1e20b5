import { AccessScope } from '../common/auth/access-scope';
import type { SuppliersService } from '../suppliers/suppliers.service';

/** Demo suppliers with valid CVR (modulus 11) and GLN (GS1) numbers. */
export const DEMO_SUPPLIERS = [
  { name: 'Mentorhuset ApS', cvr: '29143471', gln: '5790001234560', kind: 'mentor_supplier' },
  { name: 'Vejen Videre Mentorservice A/S', cvr: '35619313', gln: null, kind: 'mentor_supplier' },
  { name: 'Nordsjællands Byggemarked A/S', cvr: '41872144', gln: '5790009876540', kind: 'partner_company' },
] as const;

/** The demo suppliers' ids by CVR number: those there are (a supplier is found by its CVR, active or not). */
export async function demoSupplierIds(suppliers: SuppliersService): Promise<Map<string, string>> {
  const cvrs = new Set<string>(DEMO_SUPPLIERS.map((s) => s.cvr));
  return new Map((await suppliers.list(AccessScope.unrestricted())).filter((s) => cvrs.has(s.cvr)).map((s) => [s.cvr, s.id]));
}
