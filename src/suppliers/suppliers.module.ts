import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module';
import { RulesModule } from '../rules/rules.module';
import { Agreement, AgreementRate, PriceCap } from './agreement.entity';
import { AgreementsController, PriceCapsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';
import { AgreementStore } from './agreement.store';
import { RateCardService } from './rate-card.service';
import { SupplierCatalogueEntry } from './catalogue-entry.entity';
import { Supplier } from './supplier.entity';
import { CatalogueController, SuppliersController } from './suppliers.controller';
import { SuppliersService } from './suppliers.service';
import { SupplierDirectoryBridge } from './supplier-directory.bridge';
import { SupplierStore } from './supplier.store';
import { ProcurementPagesController } from './procurement.pages.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Supplier, SupplierCatalogueEntry, Agreement, AgreementRate, PriceCap]), RulesModule, IdentityModule],
  controllers: [SuppliersController, CatalogueController, AgreementsController, PriceCapsController, ProcurementPagesController],
  providers: [SuppliersService, AgreementsService, RateCardService, SupplierStore, AgreementStore, SupplierDirectoryBridge],
  exports: [SuppliersService, AgreementsService],
})
export class SuppliersModule {}
