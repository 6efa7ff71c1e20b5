import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module';
import { RulesModule } from '../rules/rules.module';
import { Agreement, AgreementRate, PriceCap } from './agreement.entity';
import { AgreementsController, PriceCapsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';
import { AgreementStore } from './agreement.store';
import { AgreementGrantsDirectory, AgreementUsageDirectory } from './agreement-grants.directory';
import { AgreementRecordsService } from './agreement-records.service';
import { AgreementRecordsStore } from './agreement-records.store';
import { AgreementTermController } from './agreement-term.controller';
import { AgreementTermService } from './agreement-term.service';
import { DatabaseDocumentStorage, DocumentStorage } from './document-storage';
import { documentUpload } from './document-upload.middleware';
import { RateCardService } from './rate-card.service';
import { AdHocPurchaseStore } from './ad-hoc-purchase.store';
import { AdHocPurchasesController } from './ad-hoc-purchases.controller';
import { AdHocPurchasesPagesController } from './ad-hoc-purchases.pages.controller';
import { AdHocPurchasesService } from './ad-hoc-purchases.service';
import { SupplierCatalogueEntry } from './catalogue-entry.entity';
import { Supplier } from './supplier.entity';
import { CatalogueController, SuppliersController } from './suppliers.controller';
import { SuppliersService } from './suppliers.service';
import { SupplierDirectoryBridge } from './supplier-directory.bridge';
import { SupplierStore } from './supplier.store';
import { ProcurementPagesController } from './procurement.pages.controller';
import { EmployeeRatesController } from './employee-rates.controller';
import { EmployeeRatesService } from './employee-rates.service';
import { EmployeeRateStore } from './employee-rate.store';

@Module({
  imports: [TypeOrmModule.forFeature([Supplier, SupplierCatalogueEntry, Agreement, AgreementRate, PriceCap]), RulesModule, IdentityModule],
  controllers: [SuppliersController, CatalogueController, AgreementsController, AgreementTermController, AdHocPurchasesController, PriceCapsController, ProcurementPagesController, AdHocPurchasesPagesController, EmployeeRatesController],
  providers: [
    SuppliersService,
    AgreementsService,
    RateCardService,
    AgreementTermService,
    AgreementRecordsService,
    SupplierStore,
    AgreementStore,
    AgreementRecordsStore,
    AdHocPurchaseStore,
    AdHocPurchasesService,
    EmployeeRateStore,
    EmployeeRatesService,
    { provide: DocumentStorage, useClass: DatabaseDocumentStorage },
    AgreementGrantsDirectory,
    AgreementUsageDirectory,
    SupplierDirectoryBridge,
  ],
  exports: [SuppliersService, AgreementsService, EmployeeRatesService, AgreementTermService, AgreementGrantsDirectory, AgreementUsageDirectory],
})
export class SuppliersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // A contract document's multipart body is read before the guards, which check the page form's CSRF token in it
    // (the API route reads it in DocumentUploadInterceptor, after its guards).
    consumer.apply(documentUpload).forRoutes({ path: 'procurement/agreements/:id/documents', method: RequestMethod.POST });
  }
}
