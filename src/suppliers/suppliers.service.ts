import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Supplier } from './supplier.entity';

export interface SupplierOption {
  id: string;
  name: string;
  cvr: string;
}

@Injectable()
export class SuppliersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Active suppliers for pickers (e.g. linking a supplier user). */
  async options(): Promise<SupplierOption[]> {
    const suppliers = await this.dataSource.getRepository(Supplier).find({ where: { active: true }, order: { name: 'ASC' } });
    return suppliers.map(({ id, name, cvr }) => ({ id, name, cvr }));
  }
}
