import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../common/actor';
import type { SignInMethod } from './auth-session.entity';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ name: 'supplier_id', type: 'uuid', nullable: true })
  supplierId: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'text' })
  language: 'da' | 'en';

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'external_provider', type: 'text', nullable: true })
  externalProvider: 'oidc' | 'saml' | null;

  @Column({ name: 'external_subject', type: 'text', nullable: true })
  externalSubject: string | null;

  /** An administrator chose the password (a new account, a reset): the user must choose their own first. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'last_login_method', type: 'text', nullable: true })
  lastLoginMethod: SignInMethod | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}
