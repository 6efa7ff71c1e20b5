import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A mentor supplier, a partner company, another municipal department (internal) or an education institution. */
export type SupplierKind = 'mentor_supplier' | 'partner_company' | 'internal' | 'education_institution';
export const SUPPLIER_KINDS: readonly SupplierKind[] = ['mentor_supplier', 'partner_company', 'internal', 'education_institution'];

@Entity('supplier')
export class Supplier {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** CVR number: 8 digits with a modulus-11 check. */
  @Column({ type: 'char', length: 8 })
  cvr: string;

  /** GLN/EAN location number for e-invoices: 13 digits with a GS1 check digit. */
  @Column({ type: 'char', length: 13, nullable: true })
  gln: string | null;

  @Column({ type: 'text' })
  kind: SupplierKind;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ name: 'postal_code', type: 'text', nullable: true })
  postalCode: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName: string | null;

  @Column({ name: 'contact_email', type: 'text', nullable: true })
  contactEmail: string | null;

  @Column({ name: 'contact_phone', type: 'text', nullable: true })
  contactPhone: string | null;

  @Column({ name: 'vat_registered', type: 'boolean', default: true })
  vatRegistered: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}
