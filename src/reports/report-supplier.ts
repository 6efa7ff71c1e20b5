import type { SupplierKind } from '../suppliers/supplier.entity';

/** A supplier as the reports name it. */
export interface ReportSupplier {
  id: string;
  name: string;
  kind: SupplierKind;
}

/** Suppliers by name as a Danish reader sorts them (æ, ø, å last), then by id so equal names keep one order. */
export function bySupplierName(a: { id: string; name: string }, b: { id: string; name: string }): number {
  return a.name.localeCompare(b.name, 'da') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
