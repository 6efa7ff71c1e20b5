import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { API_SCOPE_NAMES, type ApiScope } from '../common/auth/api-scopes';
import type { ApiTokenRow, ServiceAccountRow } from './api-token.store';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, type IssuedApiToken, type ServiceAccountWithTokens } from './api-tokens.service';

export class CreateServiceAccountDto {
  @ApiProperty({ example: 'case-system', description: 'Lower-case letters, digits and dashes, 2 to 63 characters' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'name must be 2 to 63 lower-case letters, digits or dashes' })
  name: string;

  @ApiPropertyOptional({ example: 'Momentum: borgere og målgrupper' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ enum: API_SCOPE_NAMES, isArray: true, example: ['case-system:write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(API_SCOPE_NAMES, { each: true, message: `each scope must be one of ${API_SCOPE_NAMES.join(', ')}` })
  scopes: ApiScope[];
}

export class UpdateServiceAccountDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;

  @ApiPropertyOptional({ enum: API_SCOPE_NAMES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(API_SCOPE_NAMES, { each: true, message: `each scope must be one of ${API_SCOPE_NAMES.join(', ')}` })
  scopes?: ApiScope[];

  @ApiPropertyOptional({ description: 'false: none of its tokens opens any more' }) @IsOptional() @IsBoolean() active?: boolean;
}

export class IssueApiTokenDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  serviceAccountId: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOKEN_DAYS, default: DEFAULT_TOKEN_DAYS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TOKEN_DAYS)
  validDays?: number;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) serviceAccountId: string;
  @ApiProperty({ example: 'mpt_Xk3q', description: "The token's first characters" }) hint: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;

  static from(row: ApiTokenRow): ApiTokenDto {
    return {
      id: row.id,
      serviceAccountId: row.serviceAccountId,
      hint: row.hint,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
  }
}

export class IssuedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The token, shown this once: send it as `Authorization: Bearer <token>`' }) token: string;

  static fromIssued(row: IssuedApiToken): IssuedApiTokenDto {
    return { ...ApiTokenDto.from(row), token: row.token };
  }
}

export class ServiceAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: API_SCOPE_NAMES, isArray: true }) scopes: ApiScope[];
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [ApiTokenDto] }) tokens: ApiTokenDto[];

  static from(row: ServiceAccountRow, tokens: ApiTokenRow[] = []): ServiceAccountDto {
    return { id: row.id, name: row.name, description: row.description, scopes: row.scopes, active: row.active, createdAt: row.createdAt.toISOString(), tokens: tokens.map((token) => ApiTokenDto.from(token)) };
  }

  static fromListed(row: ServiceAccountWithTokens): ServiceAccountDto {
    return ServiceAccountDto.from(row, row.tokens);
  }
}
