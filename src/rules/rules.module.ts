import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuleSetVersionRow } from './rule-set-version.entity';
import { RulesController } from './rules.controller';
import { RulesService } from './rules.service';
import { RuleSetStore } from './rule-set.store';

@Module({ imports: [TypeOrmModule.forFeature([RuleSetVersionRow])], controllers: [RulesController], providers: [RulesService, RuleSetStore], exports: [RulesService] })
export class RulesModule {}
