import { Module } from '@nestjs/common';
import { GrantsModule } from '../grants/grants.module';
import { IdentityModule } from '../identity/identity.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { DemoAgreementsSeed } from './demo-agreements.seed';
import { DemoDataSeed } from './demo-data.seed';
import { DemoInvoicesSeed } from './demo-invoices.seed';

@Module({ imports: [IdentityModule, SuppliersModule, GrantsModule, InvoicesModule], providers: [DemoDataSeed, DemoAgreementsSeed, DemoInvoicesSeed], exports: [DemoDataSeed] })
export class DemoModule {}
