import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A supplier's entry in the catalogue caseworkers choose from (leverandørkatalog). */
@Entity('supplier_catalogue_entry')
export class SupplierCatalogueEntry {
  @PrimaryColumn({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @Column({ name: 'target_groups', type: 'text', array: true })
  targetGroups: string[];

  @Column({ name: 'mentor_types', type: 'text', array: true })
  mentorTypes: string[];

  @Column({ type: 'text' })
  methods: string;

  @Column({ name: 'mentor_profiles', type: 'text' })
  mentorProfiles: string;

  @Column({ type: 'text' })
  contact: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
