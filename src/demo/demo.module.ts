import { Module } from '@nestjs/common';
import { GrantsModule } from '../grants/grants.module';
import { IdentityModule } from '../identity/identity.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { DemoAgreementsSeed } from './demo-agreements.seed';
import { DemoDataSeed } from './demo-data.seed';

@Module({ imports: [IdentityModule, SuppliersModule, GrantsModule], providers: [DemoDataSeed, DemoAgreementsSeed], exports: [DemoDataSeed] })
export class DemoModule {}
