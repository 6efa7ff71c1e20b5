import { Injectable, OnModuleInit } from '@nestjs/common';
import { SupplierDirectory } from '../identity/supplier-directory';
import { SuppliersService } from './suppliers.service';

/** Tells identity a supplier's CVR number (an OpenID Connect sign-in through MitID Erhverv carries the company's CVR). */
@Injectable()
export class SupplierDirectoryBridge implements OnModuleInit {
  constructor(
    private readonly directory: SupplierDirectory,
    private readonly suppliers: SuppliersService,
  ) {}

  onModuleInit(): void {
    this.directory.provide({ cvrOf: (supplierId) => this.suppliers.cvrOf(supplierId) });
  }
}
