import { containsPattern, type KeysetPage, type PageRequest } from '../common/web/list-query';
import type { UserSort } from './user.store';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import { Actor, Role } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import type { Language } from '../common/web/page-context';
import { passwordRefused } from './identity.errors';
import { LoginLimiter } from './login-limiter';
import { judgePassword } from './password-policy.rules';
import { PasswordHasher } from './password';
import { SessionStore } from './session.store';
import { User } from './user.entity';
import { UserStore, type RecipientFilter, type SignInOverviewRow } from './user.store';
import { CommonErrorCode } from '../common/errors/common.errors';
import { IdentityErrorCode } from './identity.errors';

export interface CreateUserCommand {
  email: string;
  displayName: string;
  role: Role;
  supplierId: string | null;
  /** null: the user signs in only through a federated provider. */
  password: string | null;
  language: 'da' | 'en';
  /** The administrator chose the password: the user must choose their own at the first sign-in. */
  mustChangePassword?: boolean;
}

export interface UpdateUserCommand {
  displayName?: string;
  role?: Role;
  supplierId?: string | null;
  active?: boolean;
  language?: 'da' | 'en';
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginLimiter,
    private readonly store: UserStore,
    private readonly sessions: SessionStore,
  ) {}

  /** Every user with how they sign in (the admin's sign-in page). */
  signInOverview(): Promise<SignInOverviewRow[]> {
    return this.store.signInOverview(this.dataSource.manager);
  }

  /**
   * Closes a supplier's access for its users (its sessions are refused and its users' sign-ins answered that the
   * supplier is deactivated), or opens it again; in the caller's transaction, so it commits with the supplier's
   * change. The suppliers module calls it whenever a supplier is deactivated or reactivated.
   */
  setSupplierAccess(manager: EntityManager, supplierId: string, open: boolean): Promise<void> {
    return this.store.setSupplierAccess(manager, supplierId, open);
  }

  list(): Promise<User[]> {
    return this.store.list(this.dataSource.manager);
  }

  /** A page of users: `q` part of the name or e-mail address. */
  page(q: string | null, request: PageRequest<UserSort>): Promise<KeysetPage<User>> {
    return this.store.page(this.dataSource.manager, q === null ? null : containsPattern(q), request);
  }

  /** Active users by id, role or supplier: who the notifications module may tell. */
  recipients(filter: RecipientFilter): Promise<User[]> {
    return this.store.activeRecipients(this.dataSource.manager, filter);
  }

  async get(id: string): Promise<User> {
    const user = await this.store.findById(this.dataSource.manager, id);
    if (!user) throw DomainException.notFound('User');
    return user;
  }

  async create(command: CreateUserCommand, actor: Actor): Promise<User> {
    assertSupplierMatchesRole(command.role, command.supplierId);
    if (command.password !== null) assertAcceptablePassword(command.password, 'password', [command.email, command.displayName]);
    const passwordHash = command.password === null ? null : await this.hasher.hash(command.password);
    const { password: _password, ...values } = command;
    return this.dataSource.transaction(async (manager) => {
      // A password an administrator chose must be replaced by the user's own at the first sign-in.
      const user = await this.insertOrExplain(manager, { ...values, email: command.email.trim().toLowerCase(), passwordHash, passwordChangedAt: passwordHash ? new Date() : null, mustChangePassword: passwordHash !== null && command.mustChangePassword === true });
      await this.audit.record(manager, actor, {
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        change: { email: user.email, displayName: user.displayName, role: user.role, supplierId: user.supplierId },
      });
      return user;
    });
  }

  async update(id: string, command: UpdateUserCommand, actor: Actor): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.store.findById(manager, id, true);
      if (!user) throw DomainException.notFound('User');
      const before = { displayName: user.displayName, role: user.role, supplierId: user.supplierId, active: user.active, language: user.language };
      const after = { ...before, ...command };
      if (command.role !== undefined && command.role !== 'supplier' && command.supplierId === undefined) after.supplierId = null;
      assertSupplierMatchesRole(after.role, after.supplierId);
      if (actor.userId === id && (after.role !== before.role || !after.active)) {
        throw DomainException.rule('You cannot change your own role or deactivate yourself', [{ field: 'role', rule: IdentityErrorCode.NotSelf, message: 'another admin must do this' }]);
      }
      await this.store.update(manager, id, after);
      if (!after.active || after.role !== before.role) await this.sessions.revokeAll(manager, id);
      await this.audit.record(manager, actor, { action: 'user.updated', entityType: 'user', entityId: id, change: diff(before, after) });
      return { ...user, ...after };
    });
  }

  /** Sets a new password and signs the user out everywhere. */
  async resetPassword(id: string, newPassword: string, actor: Actor): Promise<void> {
    const user = await this.get(id);
    assertAcceptablePassword(newPassword, 'newPassword', [user.email, user.displayName]);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.store.update(manager, id, { passwordHash, passwordChangedAt: new Date(), mustChangePassword: true }))) throw DomainException.notFound('User');
      await this.sessions.revokeAll(manager, id);
      await this.audit.record(manager, actor, { action: 'user.password_reset', entityType: 'user', entityId: id });
    });
  }

  /**
   * A user changes their own password: the current one is checked (counted against the sign-in budget of
   * address and e-mail, like a sign-in), the new one must meet the policy (the DTO) and differ from it, and
   * every other session of the user ends; the one used stays.
   */
  async changeOwnPassword(user: AuthenticatedUser, currentPassword: string, newPassword: string, actor: Actor, language: Language): Promise<void> {
    const address = actor.ip ?? 'unknown';
    const attempt = await this.limiter.count(address, user.email, language);
    const stored = await this.store.withPasswordHash(this.dataSource.manager, user.id);
    let valid: boolean;
    try {
      valid = stored?.passwordHash ? await this.hasher.verify(stored.passwordHash, currentPassword, address, language) : await this.hasher.burn(currentPassword, address, language);
    } catch (error) {
      await this.limiter.giveBack(attempt);
      throw error;
    }
    if (!valid) {
      await this.dataSource.transaction((manager) => this.audit.record(manager, actor, { action: 'user.password_change_failed', entityType: 'user', entityId: user.id, change: { reason: 'wrong_current_password' } }));
      throw DomainException.rule('The current password is not correct', [{ field: 'currentPassword', rule: IdentityErrorCode.CurrentPassword, message: 'the current password is not correct' }]);
    }
    await this.limiter.giveBack(attempt);
    if (newPassword === currentPassword) {
      throw DomainException.rule('The new password must differ from the current one', [{ field: 'newPassword', rule: IdentityErrorCode.DiffersFromCurrent, message: 'newPassword must differ from currentPassword' }]);
    }
    assertAcceptablePassword(newPassword, 'newPassword', [user.email, user.displayName], language);
    const passwordHash = await this.hasher.hash(newPassword, address, language);
    await this.dataSource.transaction(async (manager) => {
      await this.store.update(manager, user.id, { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false });
      const ended = await this.sessions.revokeAll(manager, user.id, user.sessionId);
      await this.audit.record(manager, actor, { action: 'user.password_changed', entityType: 'user', entityId: user.id, change: { otherSessionsEnded: ended } });
    });
  }

  private async insertOrExplain(manager: EntityManager, values: Partial<User>): Promise<User> {
    try {
      return await this.store.insert(manager, { ...values, active: true });
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
      if (code?.code === '23505') {
        throw DomainException.conflict('A user with this e-mail already exists', [{ field: 'email', rule: CommonErrorCode.Unique, message: 'the e-mail is already in use' }]);
      }
      if (code?.code === '23503') {
        throw DomainException.rule('The supplier does not exist', [{ field: 'supplierId', rule: CommonErrorCode.Exists, message: 'no supplier has this id' }]);
      }
      throw error;
    }
  }
}

/** The password policy of local accounts (password-policy.rules.ts): long enough and not guessable. */
function assertAcceptablePassword(password: string, field: string, userInputs: string[], language: Language = 'en'): void {
  const verdict = judgePassword(password, userInputs);
  if (!verdict.ok) throw passwordRefused(verdict, field, language);
}

function assertSupplierMatchesRole(role: Role, supplierId: string | null | undefined): void {
  if (role === 'supplier' && !supplierId) {
    throw DomainException.rule('A supplier user must belong to a supplier', [{ field: 'supplierId', rule: IdentityErrorCode.RequiredForSupplierRole, message: 'give the supplier this user works for' }]);
  }
  if (role !== 'supplier' && supplierId) {
    throw DomainException.rule('Only supplier users belong to a supplier', [{ field: 'supplierId', rule: IdentityErrorCode.OnlyForSupplierRole, message: `a ${role} user does not belong to a supplier` }]);
  }
}
