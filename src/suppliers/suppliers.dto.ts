import { ListQueryDto } from '../common/web/list-query';
import { SUPPLIER_SORTS, type SupplierSort } from './supplier.store';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MENTOR_TYPES, TARGET_GROUPS, type MentorType, type TargetGroup } from '../rules/rule-set';
import type { SupplierCatalogueEntry } from './catalogue-entry.entity';
import { IsCvr, IsGln } from './identifiers';
import { SUPPLIER_KINDS, type Supplier, type SupplierKind } from './supplier.entity';
import { supplierFields } from './suppliers.service';

export class SupplierDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Mentorhuset ApS' }) name: string;
  @ApiProperty({ example: '29143471' }) cvr: string;
  @ApiProperty({ example: '5790001234560', nullable: true, type: String }) gln: string | null;
  @ApiProperty({ enum: SUPPLIER_KINDS }) kind: SupplierKind;
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String, example: '3200' }) postalCode: string | null;
  @ApiProperty({ nullable: true, type: String }) city: string | null;
  @ApiProperty({ nullable: true, type: String }) contactName: string | null;
  @ApiProperty({ nullable: true, type: String }) contactEmail: string | null;
  @ApiProperty({ nullable: true, type: String }) contactPhone: string | null;
  @ApiProperty() vatRegistered: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(s: Supplier): SupplierDto {
    return { id: s.id, ...supplierFields(s), createdAt: s.createdAt?.toISOString(), updatedAt: s.updatedAt?.toISOString() };
  }
}

export class CreateSupplierDto {
  @ApiProperty({ example: 'Mentorhuset ApS' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ example: '29143471', description: '8 digits with a modulus-11 check digit' }) @IsCvr() cvr: string;
  @ApiPropertyOptional({ example: '5790001234560', description: '13 digits with a GS1 check digit' }) @IsOptional() @IsGln() gln?: string;
  @ApiProperty({ enum: SUPPLIER_KINDS }) @IsIn(SUPPLIER_KINDS) kind: SupplierKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional({ example: '3200' }) @IsOptional() @Matches(/^[0-9]{4}$/, { message: 'postalCode must be 4 digits' }) postalCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) contactName?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'contactEmail must be an e-mail address' }) @MaxLength(200) contactEmail?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) contactPhone?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() vatRegistered?: boolean;
}

export class UpdateSupplierDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsCvr() cvr?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null removes the GLN' }) @IsOptional() @IsGln() gln?: string | null;
  @ApiPropertyOptional({ enum: SUPPLIER_KINDS }) @IsOptional() @IsIn(SUPPLIER_KINDS) kind?: SupplierKind;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{4}$/, { message: 'postalCode must be 4 digits' }) postalCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) contactName?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'contactEmail must be an e-mail address' }) @MaxLength(200) contactEmail?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) contactPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() vatRegistered?: boolean;
}

export class CatalogueEntryDto {
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty({ enum: TARGET_GROUPS, isArray: true }) targetGroups: TargetGroup[];
  @ApiProperty({ enum: MENTOR_TYPES, isArray: true }) mentorTypes: MentorType[];
  @ApiProperty() methods: string;
  @ApiProperty() mentorProfiles: string;
  @ApiProperty() contact: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt: string | null;

  static from(supplier: Pick<Supplier, 'id' | 'name'>, entry: SupplierCatalogueEntry | null): CatalogueEntryDto {
    return {
      supplierId: supplier.id,
      supplierName: supplier.name,
      targetGroups: (entry?.targetGroups ?? []) as TargetGroup[],
      mentorTypes: (entry?.mentorTypes ?? []) as MentorType[],
      methods: entry?.methods ?? '',
      mentorProfiles: entry?.mentorProfiles ?? '',
      contact: entry?.contact ?? '',
      updatedAt: entry?.updatedAt?.toISOString() ?? null,
    };
  }
}

export class PutCatalogueEntryDto {
  @ApiProperty({ enum: TARGET_GROUPS, isArray: true }) @IsArray() @ArrayMaxSize(TARGET_GROUPS.length) @IsIn(TARGET_GROUPS, { each: true }) targetGroups: TargetGroup[];
  @ApiProperty({ enum: MENTOR_TYPES, isArray: true }) @IsArray() @ArrayMaxSize(MENTOR_TYPES.length) @IsIn(MENTOR_TYPES, { each: true }) mentorTypes: MentorType[];
  @ApiProperty({ description: 'Methods the mentors work with' }) @IsString() @MaxLength(4000) methods: string;
  @ApiProperty({ description: 'Who the mentors are: education, experience' }) @IsString() @MaxLength(4000) mentorProfiles: string;
  @ApiProperty({ description: 'How caseworkers reach the supplier' }) @IsString() @MaxLength(1000) contact: string;
}

export class CatalogueQueryDto {
  @ApiPropertyOptional({ enum: MENTOR_TYPES }) @IsOptional() @IsIn(MENTOR_TYPES) mentorType?: MentorType;
  @ApiPropertyOptional({ enum: TARGET_GROUPS }) @IsOptional() @IsIn(TARGET_GROUPS) targetGroup?: TargetGroup;
}

export class SupplierQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(SUPPLIER_SORTS), description: 'name (default), cvr or created (newest first)' }) @IsOptional() @IsIn(Object.keys(SUPPLIER_SORTS)) sort?: SupplierSort;
}
