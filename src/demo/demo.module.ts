import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { DemoDataSeed } from './demo-data.seed';

@Module({ imports: [IdentityModule], providers: [DemoDataSeed], exports: [DemoDataSeed] })
export class DemoModule {}
