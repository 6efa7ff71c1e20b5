import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { IsCalendarDateField } from '../common/time/calendar-date.validator';

export const POSTING_FORMATS = ['json', 'csv'] as const;
export type PostingFormat = (typeof POSTING_FORMATS)[number];

export class PostingExportQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day of the statements’ dates (issue date), with `to`; periods may overlap, as a statement is exported once' })
  @IsOptional()
  @IsString()
  @IsCalendarDateField()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, at most 366 days after `from`' })
  @IsOptional()
  @IsString()
  @IsCalendarDateField()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One final statement instead of a period; exported before, its export is answered' })
  @IsOptional()
  @IsUUID()
  statementId?: string;

  @ApiPropertyOptional({ enum: POSTING_FORMATS, description: 'json (default) or csv; `Accept: text/csv` also asks for CSV' })
  @IsOptional()
  @IsIn(POSTING_FORMATS)
  format?: PostingFormat;
}

export class PostingFileQueryDto {
  @ApiPropertyOptional({ enum: POSTING_FORMATS })
  @IsOptional()
  @IsIn(POSTING_FORMATS)
  format?: PostingFormat;
}

export class PostingLineDoc {
  @ApiProperty({ example: 'AF-2026-000001' }) statementNumber: string;
  @ApiProperty({ example: 1 }) line: number;
  @ApiProperty({ enum: ['net', 'vat'] }) kind: string;
  @ApiProperty({ example: '5.68.90', description: 'Function of the chart of accounts' }) functionCode: string;
  @ApiProperty({ nullable: true, example: '001' }) grouping: string | null;
  @ApiProperty({ nullable: true, example: '1' }) dranst: string | null;
  @ApiProperty({ example: '4.0' }) art: string;
  @ApiProperty({ nullable: true, example: '5.68.90.1-001' }) accountCode: string | null;
  @ApiProperty({ nullable: true, example: 2500, description: 'On a VAT line, its rate in basis points' }) vatBasisPoints: number | null;
  @ApiProperty({ example: '12345674' }) supplierCvr: string;
  @ApiProperty({ nullable: true, example: '5790000000005' }) supplierEan: string | null;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ description: 'Whole øre' }) amountOre: number;
  @ApiProperty({ example: '1462.50', description: 'Kroner, two decimals' }) amount: string;
}

export class PostingTotalsDoc {
  @ApiProperty() lines: number;
  @ApiProperty() netOre: number;
  @ApiProperty() vatOre: number;
}

export class PostingExportFileDoc {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'null: nothing was left to export, and nothing was stored' }) exportId: string | null;
  @ApiProperty({ format: 'date-time' }) exportedAt: string;
  @ApiProperty({ format: 'date', nullable: true }) from: string | null;
  @ApiProperty({ format: 'date', nullable: true }) to: string | null;
  @ApiProperty({ nullable: true }) statementNumber: string | null;
  @ApiProperty({ type: PostingTotalsDoc }) totals: PostingTotalsDoc;
  @ApiProperty({ type: [PostingLineDoc] }) lines: PostingLineDoc[];
}

export class PostingExportDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date', nullable: true }) from: string | null;
  @ApiProperty({ format: 'date', nullable: true }) to: string | null;
  @ApiProperty({ format: 'uuid', nullable: true }) statementId: string | null;
  @ApiProperty() lines: number;
  @ApiProperty() netOre: number;
  @ApiProperty() vatOre: number;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PaymentImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: answer what the file would do and store nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  preview?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'The file’s name, kept with the import' })
  @IsOptional()
  @IsString()
  filename?: string;

  @ApiPropertyOptional({ description: 'The SHA-256 of the file as previewed: the import is refused (409) when the file is another' })
  @IsOptional()
  @IsString()
  expectedSha256?: string;
}

export class PaymentLineDoc {
  @ApiProperty() row: number;
  @ApiProperty({ format: 'uuid' }) statementId: string;
  @ApiProperty() statementNumber: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty() paidOre: number;
  @ApiProperty({ format: 'date' }) paidOn: string;
  @ApiProperty() expectedOre: number;
  @ApiProperty({ nullable: true, enum: ['payment_amount_differs', 'payment_after_paid'] }) finding: string | null;
}

export class PaymentImportDoc {
  @ApiProperty({ format: 'uuid', nullable: true }) importId: string | null;
  @ApiProperty() fileSha256: string;
  @ApiProperty() alreadyImported: boolean;
  @ApiProperty() applied: boolean;
  @ApiProperty() rows: number;
  @ApiProperty({ type: [PaymentLineDoc] }) paid: PaymentLineDoc[];
  @ApiProperty({ type: [PaymentLineDoc] }) unchanged: PaymentLineDoc[];
  @ApiProperty({ type: [PaymentLineDoc] }) findings: PaymentLineDoc[];
}

export class PaymentFindingDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ format: 'uuid' }) statementId: string;
  @ApiProperty() statementNumber: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty({ enum: ['payment_amount_differs', 'payment_after_paid'] }) code: string;
  @ApiProperty() expectedOre: number;
  @ApiProperty() paidOre: number;
  @ApiProperty() differenceOre: number;
  @ApiProperty({ format: 'date' }) paidOn: string;
  @ApiProperty() row: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PaymentImportSummaryDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fileSha256: string;
  @ApiProperty({ nullable: true }) filename: string | null;
  @ApiProperty() rows: number;
  @ApiProperty() paid: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() findings: number;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DueStatementDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true }) number: string | null;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty() month: string;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty() totalOre: number;
}

export class PaymentTermDoc {
  @ApiProperty({ format: 'date' }) today: string;
  @ApiProperty({ format: 'date' }) weekEndsOn: string;
  @ApiProperty({ type: [DueStatementDoc] }) dueThisWeek: DueStatementDoc[];
  @ApiProperty({ type: [DueStatementDoc] }) late: DueStatementDoc[];
}
