import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import { CSV_MAX_LINES } from './csv-invoice.parser';
import { DELIVERY_STATUSES, INVOICE_STATUSES, type DeliveryStatus, type InvoiceStatus } from './invoice-lifecycle.rules';
import { INVOICE_NUMBER_MESSAGE, INVOICE_NUMBER_RULE, isInvoiceNumber } from './invoice-number.rules';
import { FINDING_CODES, type FindingCode } from './finding';
import { CONTACT_FORMS, MAX_AMOUNT_ORE, TRANSPORT_KINDS, type ContactForm, type TransportKind } from './parsed-invoice';

const MAX_ORE = MAX_AMOUNT_ORE;

/** Rule `invoice_number_format`: the one invoice-number rule of every intake (invoice-number.rules.ts). */
function IsInvoiceNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: INVOICE_NUMBER_RULE, validator: { validate: (value: unknown) => isInvoiceNumber(value), defaultMessage: () => INVOICE_NUMBER_MESSAGE } }, options);
}

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Rule `line_object`: every line is an object. ValidateNested walks into an array inside the array (`[[]]`)
 * and finds nothing wrong there, so the lines are checked for objects first.
 */
function LinesAreObjects(): PropertyDecorator {
  return ValidateBy({
    name: 'line_object',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || value.every(isPlainObject),
      defaultMessage: (args) => {
        const lines = Array.isArray(args?.value) ? (args.value as unknown[]) : [];
        const bad = lines.map((line, i) => (isPlainObject(line) ? null : `lines[${i}]`)).filter((at) => at !== null);
        return `${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''} ${bad.length === 1 ? 'is not an object' : 'are not objects'}; each line is an object { grantReference, date, minutes, rateOre, … }`;
      },
    },
  });
}

// ---- intake (JSON) ----

export class InvoiceLineBodyDto {
  @ApiProperty({ example: 'MS-2026-000123', description: 'The grant reference (the order reference on an e-invoice)' })
  @IsString()
  @Matches(/^MS-\d{4}-\d{6}$/, { message: 'grantReference must look like MS-2026-000123' })
  grantReference: string;

  @ApiProperty({ example: '2026-03-02', format: 'date', description: 'The day of the session; for a line that covers a period, its first day' }) @IsCalendarDate() date: string;
  @ApiPropertyOptional({
    example: '2026-03-31',
    format: 'date',
    description: 'The last day of a line that covers a period (e.g. a month): its minutes are matched against the sessions logged on the grant in date..periodTo instead of retyping them',
  })
  @IsOptional()
  @IsCalendarDate()
  periodTo?: string;
  @ApiProperty({ example: 60, description: 'Minutes of face-to-face time, 1 to 1440' }) @IsInt() @Min(1) @Max(1440) minutes: number;
  @ApiProperty({ example: 45000, description: 'Price per hour in øre, excl. VAT' }) @IsInt() @Min(0) @Max(MAX_ORE) rateOre: number;
  @ApiPropertyOptional({ example: 45000, description: 'Line amount in øre excl. VAT; minutes × rate / 60 rounded half up when left out' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ORE)
  amountOre?: number;
  @ApiPropertyOptional({ enum: CONTACT_FORMS }) @IsOptional() @IsIn(CONTACT_FORMS) contactForm?: ContactForm;
  @ApiPropertyOptional({ enum: TRANSPORT_KINDS, description: 'How the mentor travelled; transport is paid inside the hourly rate' }) @IsOptional() @IsIn(TRANSPORT_KINDS) transport?: TransportKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class InvoiceTotalsBodyDto {
  @ApiProperty({ description: 'Net amount in øre excl. VAT' }) @IsInt() @Min(-MAX_ORE) @Max(MAX_ORE) netOre: number;
  @ApiProperty({ description: 'VAT in øre' }) @IsInt() @Min(-MAX_ORE) @Max(MAX_ORE) vatOre: number;
  @ApiProperty({ description: 'Total in øre incl. VAT' }) @IsInt() @Min(-MAX_ORE) @Max(MAX_ORE) totalOre: number;
}

export class CreateInvoiceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The supplier (finance and admin registering an invoice received on paper); a supplier user always submits for itself' })
  @IsOptional()
  @IsUUID()
  supplierId?: string;

  @ApiProperty({ example: 'F-2026-0042', maxLength: 60, description: 'Unique per supplier; sending the same invoice again returns the stored one. 1 to 60 letters, digits and - _ / ., starting with a letter or digit (the same rule for CSV and UBL)' })
  @IsInvoiceNumber()
  invoiceNumber: string;

  @ApiProperty({ example: '2026-03-31', format: 'date' }) @IsCalendarDate() issueDate: string;
  @ApiPropertyOptional({ enum: ['invoice', 'credit_note'], default: 'invoice' }) @IsOptional() @IsIn(['invoice', 'credit_note']) documentType?: 'invoice' | 'credit_note';
  @ApiPropertyOptional({ format: 'date', description: 'First day invoiced; the first session when left out' }) @IsOptional() @IsCalendarDate() periodFrom?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Last day invoiced; the last session when left out' }) @IsOptional() @IsCalendarDate() periodTo?: string;
  @ApiPropertyOptional({ type: [String], description: 'On a credit note: the numbers of the invoices it credits' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  creditsInvoiceNumbers?: string[];

  @ApiProperty({ type: [InvoiceLineBodyDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CSV_MAX_LINES)
  @LinesAreObjects()
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineBodyDto)
  lines: InvoiceLineBodyDto[];

  @ApiPropertyOptional({ type: InvoiceTotalsBodyDto, description: 'The totals as invoiced; checked to the øre when given' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InvoiceTotalsBodyDto)
  totals?: InvoiceTotalsBodyDto;
}

/** Query parameters of a CSV upload, which carries only lines. */
export class CsvInvoiceQueryDto {
  @ApiPropertyOptional({ description: 'Required with text/csv; the same rule as a JSON invoice number' }) @IsOptional() @IsInvoiceNumber() invoiceNumber?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Required with text/csv' }) @IsOptional() @IsCalendarDate() issueDate?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'With text/csv, for finance and admin' }) @IsOptional() @IsUUID() supplierId?: string;
}

export class InvoiceQueryDto {
  @ApiPropertyOptional({ enum: INVOICE_STATUSES }) @IsOptional() @IsIn(INVOICE_STATUSES) status?: InvoiceStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() supplierId?: string;
  @ApiPropertyOptional({ enum: ['newest', 'inbox'], description: 'inbox: invoices with errors first, then warnings, oldest first' }) @IsOptional() @IsIn(['newest', 'inbox']) order?: 'newest' | 'inbox';
  @ApiPropertyOptional({ description: 'Keyset cursor from the previous page' }) @IsOptional() @Matches(/^\d{1,18}$/) after?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class ApproveInvoiceDto {
  @ApiPropertyOptional({ description: 'The approvable amount the approver saw; a 409 answers if the numbers have changed since' })
  @IsOptional()
  @IsInt()
  @Min(-MAX_ORE)
  @Max(MAX_ORE)
  expectedApprovableOre?: number;
}

export class RejectInvoiceDto {
  @ApiProperty({ description: 'Why; the supplier sees it', example: 'Timerne i uge 10 er ikke dokumenteret' }) @IsString() @MinLength(3) @MaxLength(2000) reason: string;
}

// ---- responses ----

export class FindingDto {
  @ApiProperty({ enum: FINDING_CODES, example: 'week_over_grant' }) code: FindingCode;
  @ApiProperty({ enum: ['error', 'warning', 'info'] }) severity: 'error' | 'warning' | 'info';
  @ApiPropertyOptional({ example: 'lines[3].minutes' }) field?: string;
  @ApiProperty({ example: { da: 'Uge 2026-W10: …', en: 'Week 2026-W10: …' }, description: 'The finding told in Danish and English from the findings catalogue, by its code and values' })
  message: { da: string; en: string };
  @ApiProperty({ type: 'object', additionalProperties: true }) values: Record<string, string | number | boolean | null>;
  @ApiPropertyOptional({ description: 'On a line error: what of the line can still be approved, in øre' }) approvableOre?: number;
}

export class InvoiceLineDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() lineNo: number;
  @ApiProperty({ enum: ['session', 'credit'] }) kind: 'session' | 'credit';
  @ApiProperty() grantReference: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() minutes: number;
  @ApiProperty({ enum: CONTACT_FORMS, nullable: true }) contactForm: ContactForm | null;
  @ApiProperty({ enum: TRANSPORT_KINDS, nullable: true }) transport: TransportKind | null;
  @ApiProperty() rateOre: number;
  @ApiProperty() amountOre: number;
  @ApiProperty() approvableOre: number;
  @ApiProperty({ nullable: true }) approvedOre: number | null;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty({ nullable: true }) description: string | null;
  @ApiProperty({ type: [FindingDto] }) findings: FindingDto[];
}

export class InvoiceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty() invoiceNumber: string;
  @ApiProperty({ enum: ['invoice', 'credit_note'] }) documentType: 'invoice' | 'credit_note';
  @ApiProperty({ enum: ['portal', 'csv', 'ubl', 'registration'] }) source: string;
  @ApiProperty({ format: 'date' }) issueDate: string;
  @ApiProperty({ format: 'date' }) periodFrom: string;
  @ApiProperty({ format: 'date' }) periodTo: string;
  @ApiProperty({ example: 'DKK' }) currency: string;
  @ApiProperty({ example: 2500 }) vatBasisPoints: number;
  @ApiProperty() netOre: number;
  @ApiProperty() vatOre: number;
  @ApiProperty() totalOre: number;
  @ApiProperty({ description: 'What can be approved, excl. VAT' }) approvableOre: number;
  @ApiProperty({ nullable: true, description: 'What was approved, excl. VAT' }) approvedOre: number | null;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty() errorCount: number;
  @ApiProperty() warningCount: number;
  @ApiProperty({ type: [FindingDto], description: 'Findings about the invoice as a whole' }) findings: FindingDto[];
  @ApiProperty({ type: [String] }) billingReferences: string[];
  @ApiProperty() secondApprovalRequired: boolean;
  @ApiProperty({ description: 'The first of two approvals is given' }) firstApprovalGiven: boolean;
  @ApiProperty({ nullable: true }) rejectionReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ format: 'date', nullable: true, description: 'The day the statement that billed it was paid' }) paidOn: string | null;
  @ApiPropertyOptional({ type: [InvoiceLineDto] }) lines?: InvoiceLineDto[];
}

export class InvoicePageDto {
  @ApiProperty({ type: [InvoiceDto] }) items: InvoiceDto[];
  @ApiProperty({ nullable: true }) nextCursor: string | null;
}

// ---- hour registration ----

export class CreateHourRegistrationDto {
  @ApiProperty({ format: 'uuid', description: 'One of the company’s own active grants' }) @IsUUID() grantId: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() date: string;
  @ApiProperty({ example: 60, description: 'Minutes of face-to-face time, 1 to 1440' }) @IsInt() @Min(1) @Max(1440) minutes: number;
  @ApiProperty({ enum: CONTACT_FORMS }) @IsIn(CONTACT_FORMS) contactForm: ContactForm;
  @ApiPropertyOptional({ enum: TRANSPORT_KINDS }) @IsOptional() @IsIn(TRANSPORT_KINDS) transport?: TransportKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ example: 'KJ', description: 'The partner employee who was mentor (initials or staff number, never a CPR number); the session is priced at that employee’s rate in force on the day (employee_rate_missing when none)' })
  @IsOptional()
  @IsString()
  @Matches(/^(?![0-9]{6}-?[0-9]{4}$)[A-Za-z0-9ÆØÅæøå._-]{1,20}$/, { message: 'employeeRef must be initials or a staff number of at most 20 letters and digits, never a CPR number' })
  employeeRef?: string;
  @ApiPropertyOptional({ example: 31_250, description: 'The hourly rate claimed, øre; by default the employee’s rate (or the agreement’s). Above the employee’s rate: finding rate_above_employee_rate' }) @IsOptional() @IsInt() @Min(0) @Max(10_000_00) rateOre?: number;
}

export class HourRegistrationMonthDto {
  @ApiProperty({ example: '2026-03', description: 'The month, YYYY-MM' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month: string;
}
