import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuleSetVersionRow } from './rule-set-version.entity';
import { RulesService } from './rules.service';

@Module({ imports: [TypeOrmModule.forFeature([RuleSetVersionRow])], providers: [RulesService], exports: [RulesService] })
export class RulesModule {}
