import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import { RESPONSE_FORMATS, type ResponseFormat } from './business-response.document';
import { RESOLUTIONS, type Resolution } from './invoice-hold.rules';

export class HoldInvoiceDto {
  @ApiProperty({ description: 'Why the invoice is held; the supplier sees it in the portal', example: 'Afventer dokumentation for uge 44' }) @IsString() @MinLength(3) @MaxLength(2000) reason: string;
  @ApiProperty({ description: 'The day the hold ends by itself (after today)', example: '2026-12-15' }) @IsCalendarDate() releaseOn: string;
}

export class InvoiceLineParamsDto {
  @ApiProperty({ format: 'uuid' }) @IsString() id: string;
  @ApiProperty({ example: 2 }) @Type(() => Number) @IsInt() @Min(1) @Max(10_000) lineNo: number;
}

export class AnswerFindingDto {
  @ApiProperty({ enum: ['accept', 'dispute'] }) @IsIn(['accept', 'dispute']) answer: 'accept' | 'dispute';
  @ApiPropertyOptional({ description: 'Required for a dispute: why the finding is wrong', example: 'Mødet blev holdt; se referat' }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class ReplyDisputeDto {
  @ApiProperty({ example: 'Vi har modtaget referatet og ser på det' }) @IsString() @MinLength(1) @MaxLength(2000) comment: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: RESOLUTIONS, description: 'approved / rejected by finance, or replaced / credited by the supplier’s replacement invoice or credit note referring to this invoice' })
  @IsIn(RESOLUTIONS)
  resolution: Resolution;
  @ApiPropertyOptional({ example: 'Kreditnota K-12 modtaget' }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class ResponseQueryDto {
  @ApiPropertyOptional({ enum: RESPONSE_FORMATS, description: 'peppol (BIS Invoice Response 3, the default) or oioubl' }) @IsOptional() @IsIn(RESPONSE_FORMATS) format?: ResponseFormat;
}

export class OutboxQueryDto {
  @ApiPropertyOptional({ description: 'The cursor of the previous page' }) @IsOptional() @IsString() @MaxLength(20) after?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class ThreadEntryDto {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) lineNo: number | null;
  @ApiProperty({ enum: ['held', 'released', 'accepted', 'disputed', 'answered', 'resolved'] }) kind: string;
  @ApiProperty({ enum: ['supplier', 'finance', 'system'] }) side: string;
  @ApiPropertyOptional({ type: String, nullable: true }) comment: string | null;
  @ApiProperty() createdAt: string;
}

export class BusinessResponseDtoDoc {
  @ApiProperty() id: string;
  @ApiProperty() invoiceId: string;
  @ApiPropertyOptional() invoiceNumber?: string;
  @ApiProperty() supplierId: string;
  @ApiProperty({ enum: ['AB', 'IP', 'UQ', 'CA', 'RE', 'AP', 'PD'] }) responseCode: string;
  @ApiProperty() trigger: string;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) reasons: Array<{ code: string; text: string; lineNo?: number }>;
  @ApiProperty({ enum: ['pending', 'sent'] }) outboxStatus: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ description: 'In the outbox: no later response to the same invoice exists (the one GET /invoices/:id/response.xml serves)' }) latest?: boolean;
}

export class InvoiceThreadDtoDoc {
  @ApiProperty() invoiceId: string;
  @ApiProperty() status: string;
  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true }) hold: { reason: string; releaseOn: string; heldAt: string } | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) lines: Array<{ lineNo: number; status: string; resolution: string | null }>;
  @ApiProperty({ type: [ThreadEntryDto] }) entries: ThreadEntryDto[];
  @ApiPropertyOptional({ type: BusinessResponseDtoDoc, nullable: true }) response: BusinessResponseDtoDoc | null;
}

export class OutboxPageDto {
  @ApiProperty({ type: [BusinessResponseDtoDoc] }) items: BusinessResponseDtoDoc[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}
