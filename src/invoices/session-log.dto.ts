import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import { CONTACT_FORMS, type ContactForm } from './parsed-invoice';
import { WITH_WHOM, type WithWhom } from './session-log.rules';

export class CreateMentorSessionDto {
  @ApiProperty({ format: 'uuid', description: 'One of the supplier’s own grants' }) @IsUUID() grantId: string;
  @ApiProperty({ format: 'date', example: '2026-11-03', description: 'The day the session was held: not after today, inside the grant period' }) @IsCalendarDate() date: string;
  @ApiProperty({ example: 60, description: 'Minutes of face-to-face time, 1 to 1440' }) @IsInt() @Min(1) @Max(1440) minutes: number;
  @ApiProperty({ enum: CONTACT_FORMS }) @IsIn(CONTACT_FORMS) contactForm: ContactForm;
  @ApiProperty({ enum: WITH_WHOM, description: 'Who the mentor met: the citizen, with the employer or network, or the employer or network alone' }) @IsIn(WITH_WHOM) withWhom: WithWhom;
}

export class UpdateMentorSessionDto {
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() date?: string;
  @ApiPropertyOptional({ example: 45 }) @IsOptional() @IsInt() @Min(1) @Max(1440) minutes?: number;
  @ApiPropertyOptional({ enum: CONTACT_FORMS }) @IsOptional() @IsIn(CONTACT_FORMS) contactForm?: ContactForm;
  @ApiPropertyOptional({ enum: WITH_WHOM }) @IsOptional() @IsIn(WITH_WHOM) withWhom?: WithWhom;
}

export class MentorSessionQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() grantId?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Sessions held on or after this day' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Sessions held on or before this day' }) @IsOptional() @IsCalendarDate() to?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'false: only sessions logged but not invoiced' }) @IsOptional() @IsIn(['true', 'false']) invoiced?: 'true' | 'false';
  @ApiPropertyOptional({ default: 500, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class MentorSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty({ example: 'MS-2026-000123' }) grantReference: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() minutes: number;
  @ApiProperty({ enum: CONTACT_FORMS }) contactForm: ContactForm;
  @ApiProperty({ enum: WITH_WHOM }) withWhom: WithWhom;
  @ApiProperty({ description: 'An invoice line (neither rejected nor credited) covers it; it can no longer be changed' }) invoiced: boolean;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) invoiceId: string | null;
  @ApiPropertyOptional({ example: 'F-2026-11', nullable: true, description: 'The number of the invoice that covers it' }) invoiceNumber: string | null;
}

export class MentorSessionListDto {
  @ApiProperty({ type: [MentorSessionDto] }) items: MentorSessionDto[];
  @ApiProperty({ description: 'Minutes of the sessions listed' }) totalMinutes: number;
  @ApiProperty({ description: 'Minutes of the listed sessions no invoice covers yet' }) notInvoicedMinutes: number;
}

export class MentorSessionImportDto {
  @ApiProperty({ description: 'Sessions logged from the file' }) created: number;
  @ApiProperty({ type: [MentorSessionDto] }) items: MentorSessionDto[];
}
