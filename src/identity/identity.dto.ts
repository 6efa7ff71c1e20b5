import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../common/actor';
import { MIN_PASSWORD_LENGTH } from './password';
import type { User } from './user.entity';

export class LoginDto {
  @ApiProperty({ example: 'finance@demo.mentorportal.dk' })
  @IsString()
  @MaxLength(200)
  email: string;

  @ApiProperty({ example: 'Demo-Finance-2026' })
  @IsString()
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({ example: '123456', description: 'For an account with two-factor on: the code from its authenticator app, or one of its recovery codes' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  otp?: string;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supplierId: string | null;
  @ApiProperty({ enum: ['da', 'en'] }) language: 'da' | 'en';
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Bearer token for the Authorization header' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: SessionUserDto }) user: SessionUserDto;
  @ApiProperty({ description: 'The role needs two-factor sign-in and none is set up: the token opens only the set-up (/api/v1/auth/two-factor) until it is confirmed' })
  twoFactorSetupRequired: boolean;
}

export class TwoFactorStatusDto {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: "The user's role needs two-factor for a password sign-in" }) required: boolean;
  @ApiProperty() recoveryCodesLeft: number;
}

export class TwoFactorSetupDto {
  @ApiProperty({ description: 'The TOTP secret in base32, to type into the app by hand' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/Mentorportalen:anna%40kommune.dk?secret=…&issuer=Mentorportalen' }) otpauthUri: string;
}

export class TwoFactorCodeDto {
  @ApiProperty({ example: '123456', description: 'A code from the authenticator app' })
  @IsString()
  @MaxLength(20)
  code: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Ten recovery codes, shown this once; each signs in once in place of a code' }) recoveryCodes: string[];
}

export class UserDto extends SessionUserDto {
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: ['oidc', 'saml'], nullable: true, type: String }) externalProvider: 'oidc' | 'saml' | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastLoginAt: string | null;
  @ApiProperty({ enum: ['password', 'password_totp', 'oidc', 'saml'], nullable: true, type: String, description: 'How the user last signed in' }) lastLoginMethod: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'An administrator chose the password: the user must choose their own at the next sign-in' }) mustChangePassword: boolean;

  static from(user: User): UserDto {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      supplierId: user.supplierId,
      language: user.language,
      active: user.active,
      externalProvider: user.externalProvider,
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
      lastLoginMethod: user.lastLoginMethod ?? null,
      createdAt: user.createdAt?.toISOString(),
      mustChangePassword: user.mustChangePassword === true,
    };
  }
}

export class CreateUserDto {
  @ApiProperty({ example: 'anna@leverandoer.dk' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(200)
  email: string;

  @ApiProperty({ example: 'Anna Jensen' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for, and only for, the supplier role' })
  @IsOptional()
  @IsUUID()
  supplierId?: string;

  @ApiPropertyOptional({ minLength: MIN_PASSWORD_LENGTH, description: 'Initial password; the user should change it. Without one the user signs in only through a federated provider (MitID Erhverv, the municipal SAML)' })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ enum: ['da', 'en'], default: 'da' })
  @IsOptional()
  @IsIn(['da', 'en'])
  language?: 'da' | 'en';
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @IsUUID() supplierId?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ enum: ['da', 'en'] }) @IsOptional() @IsIn(['da', 'en']) language?: 'da' | 'en';
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `newPassword must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  newPassword: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password the user signs in with now' })
  @IsString()
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, description: 'The new password; the other sessions of the user end' })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `newPassword must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  newPassword: string;
}
