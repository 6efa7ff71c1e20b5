import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsCalendarMonthField } from '../common/time/calendar-date.validator';
import { STATEMENT_STATUSES, type StatementStatus } from './statement.rules';

export class StartBillingRunDto {
  @ApiProperty({ example: '2026-10', description: 'The month to close, YYYY-MM' }) @IsString() @IsCalendarMonthField() month: string;
  @ApiPropertyOptional({ enum: ['build', 'finalise'], default: 'build', description: 'build: (re)build draft statements; finalise: number, render and freeze the drafts of an ended month' })
  @IsOptional()
  @IsIn(['build', 'finalise'])
  kind?: 'build' | 'finalise';
}

export class BillingRunQueryDto {
  @ApiPropertyOptional({ example: '2026-10' }) @IsOptional() @IsCalendarMonthField() month?: string;
}

export class BillingRunDtoDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiProperty({ enum: ['build', 'finalise'] }) kind: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status: string;
  @ApiProperty() suppliersTotal: number;
  @ApiProperty() suppliersDone: number;
  @ApiProperty({ description: 'Whole percent done' }) percent: number;
  @ApiProperty() statements: number;
  @ApiProperty({ nullable: true }) error: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class StatementQueryDto {
  @ApiPropertyOptional({ example: '2026-10' }) @IsOptional() @IsCalendarMonthField() month?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() supplierId?: string;
  @ApiPropertyOptional({ enum: STATEMENT_STATUSES }) @IsOptional() @IsIn(STATEMENT_STATUSES) status?: StatementStatus;
  @ApiPropertyOptional({ default: 100, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class StatementSummaryDtoDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty() month: string;
  @ApiProperty({ enum: STATEMENT_STATUSES }) status: string;
  @ApiProperty({ nullable: true, example: 'AF-2026-000001' }) number: string | null;
  @ApiProperty() selfBilled: boolean;
  @ApiProperty({ description: 'An internal supplier’s statement (intern afregning): settled internally between departments, without VAT and not as an e-invoice' }) internal: boolean;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty() minutes: number;
  @ApiProperty() netOre: number;
  @ApiProperty() vatOre: number;
  @ApiProperty() totalOre: number;
  @ApiProperty({ format: 'date-time', nullable: true }) finalisedAt: string | null;
  @ApiProperty({ format: 'date', nullable: true, description: 'The day the finance system paid it (a paid statement)' }) paidOn: string | null;
  @ApiProperty({ nullable: true, description: 'The amount paid in øre (its total)' }) paidOre: number | null;
}

export class StatementDetailDtoDoc extends StatementSummaryDtoDoc {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Lines grouped by grant reference, the hours annex (by reference only), VAT by rate and account codes' }) content: Record<string, unknown>;
}
