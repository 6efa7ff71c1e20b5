import { Module } from '@nestjs/common';
import { RulesModule } from '../rules/rules.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { CitizensController } from './citizens.controller';
import { CitizensService } from './citizens.service';
import { DueTasksController, GrantsController } from './grants.controller';
import { GrantsService } from './grants.service';

/** Citizens, grants, the written agreement, due tasks and progress reports. */
@Module({
  imports: [RulesModule, SuppliersModule],
  controllers: [CitizensController, GrantsController, DueTasksController],
  providers: [CitizensService, GrantsService],
  exports: [GrantsService, CitizensService],
})
export class GrantsModule {}
