import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { keysetPage, keysetQueries } from '../common/database/keyset';
import type { KeysetPage, PageRequest } from '../common/web/list-query';
import { User } from './user.entity';

/** A user with the password hash, and whether the user's supplier (if any) is active. */
export interface SignInCandidate {
  user: User;
  /** null: no supplier. */
  supplierActive: boolean | null;
}

export interface SignInOverviewRow {
  user: User;
  hasPassword: boolean;
  twoFactor: boolean;
}

export interface RecipientFilter {
  ids?: readonly string[];
  roles?: readonly string[];
  supplierIds?: readonly string[];
}

/** The users list's sorts: role then e-mail (the default), name, e-mail. */
export const USER_SORTS = { role: 'asc', name: 'asc', email: 'asc' } as const;
export type UserSort = keyof typeof USER_SORTS;

export const USER_SQL = sqlQueries('identity/user.store', {
  // The searchable list, ids only (the rows are read as entities): $1 a pattern on the name or e-mail.
  ...keysetQueries('page', {
    select: 'u.id',
    from: 'FROM app_user u',
    where: `WHERE ($1::text IS NULL OR u.display_name ILIKE $1 OR u.email ILIKE $1)`,
    params: 1,
    id: 'u.id',
    sorts: { role: { expr: `u.role || ' ' || u.email`, cast: 'text' }, name: { expr: 'u.display_name', cast: 'text' }, email: { expr: 'u.email', cast: 'text' } },
  }),
  closeSupplierAccess: `INSERT INTO supplier_access_closed (supplier_id) VALUES ($1) ON CONFLICT (supplier_id) DO NOTHING`,
  openSupplierAccess: `DELETE FROM supplier_access_closed WHERE supplier_id = $1`,
});

const Q = USER_SQL;

/** Every query on app_user and supplier_access_closed. */
@Injectable()
export class UserStore {
  /**
   * The user with this (normalised) e-mail and the password hash, or null; with whether the user's supplier is
   * active, as identity's own record of the suppliers whose access is closed says (the suppliers module keeps it).
   */
  async signInCandidate(manager: EntityManager, email: string): Promise<SignInCandidate | null> {
    const found = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .leftJoin('supplier_access_closed', 'closed', 'closed.supplier_id = u.supplier_id')
      .addSelect('CASE WHEN u.supplier_id IS NULL THEN NULL ELSE closed.supplier_id IS NULL END', 'supplier_active')
      .where('u.email = :email', { email })
      .getRawAndEntities();
    const user = found.entities[0];
    if (!user) return null;
    return { user, supplierActive: (found.raw[0] as { supplier_active: boolean | null }).supplier_active };
  }

  /** Closes (open: false) or opens again a supplier's access for its users; idempotent. */
  async setSupplierAccess(manager: EntityManager, supplierId: string, open: boolean): Promise<void> {
    await manager.query(open ? Q.openSupplierAccess : Q.closeSupplierAccess, [supplierId]);
  }

  /** The user with the password hash, or null. */
  withPasswordHash(manager: EntityManager, id: string): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
  }

  /** The active user linked to this federated identity, or null. */
  findFederated(manager: EntityManager, provider: 'oidc' | 'saml', subject: string): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { externalProvider: provider, externalSubject: subject, active: true } });
  }

  /** The user with this (normalised) e-mail, or null. */
  findByEmail(manager: EntityManager, email: string): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { email } });
  }

  /** Links a user to a federated identity, once: false when the user is linked already (or gone). */
  async bindFederated(manager: EntityManager, id: string, provider: 'oidc' | 'saml', subject: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(User)
      .set({ externalProvider: provider, externalSubject: subject })
      .where('id = :id AND external_subject IS NULL', { id })
      .execute();
    return result.affected === 1;
  }

  /** Every user with how they sign in: a password or not, two-factor, a linked provider, the last sign-in. */
  async signInOverview(manager: EntityManager): Promise<SignInOverviewRow[]> {
    const rows = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .leftJoin('user_two_factor', 'tf', 'tf.user_id = u.id AND tf.confirmed_at IS NOT NULL')
      .addSelect('u.password_hash IS NOT NULL', 'has_password')
      .addSelect('tf.user_id IS NOT NULL', 'two_factor')
      .orderBy('u.role', 'ASC')
      .addOrderBy('u.email', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((user) => {
      const raw = (rows.raw as Array<{ u_id: string; has_password: boolean; two_factor: boolean }>).find((row) => row.u_id === user.id)!;
      return { user, hasPassword: raw.has_password, twoFactor: raw.two_factor };
    });
  }

  /** Every user by role and e-mail. */
  /** A page of users in the order asked, searched by `pattern` (null: all). */
  async page(manager: EntityManager, pattern: string | null, request: PageRequest<UserSort>): Promise<KeysetPage<User>> {
    const page = await keysetPage<{ id: string }, UserSort>(manager, USER_SQL, 'page', request, [pattern]);
    const rows = page.items.length === 0 ? [] : await manager.getRepository(User).findBy({ id: In(page.items.map((row) => row.id)) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return { ...page, items: page.items.flatMap((row) => byId.get(row.id) ?? []) };
  }

  list(manager: EntityManager): Promise<User[]> {
    return manager.getRepository(User).find({ order: { role: 'ASC', email: 'ASC' } });
  }

  /** Active users by id, by role or by supplier (whichever are given), for the notifications' recipients. */
  activeRecipients(manager: EntityManager, filter: RecipientFilter): Promise<User[]> {
    const where = [
      ...(filter.ids?.length ? [{ id: In([...filter.ids]), active: true }] : []),
      ...(filter.roles?.length ? [{ role: In([...filter.roles]), active: true }] : []),
      ...(filter.supplierIds?.length ? [{ supplierId: In([...filter.supplierIds]), role: 'supplier' as const, active: true }] : []),
    ];
    if (where.length === 0) return Promise.resolve([]);
    return manager.getRepository(User).find({ where, order: { email: 'ASC' } });
  }

  /** The user; `lock` holds its row until the caller's transaction ends. */
  findById(manager: EntityManager, id: string, lock = false): Promise<User | null> {
    return manager.findOne(User, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Inserts a user; a unique or foreign-key violation is the caller's to explain. */
  insert(manager: EntityManager, values: Partial<User>): Promise<User> {
    return manager.save(manager.create(User, values));
  }

  /** Updates the user's fields; answers whether there was such a user. */
  async update(manager: EntityManager, id: string, values: Partial<User>): Promise<boolean> {
    return (await manager.update(User, { id }, values)).affected === 1;
  }
}
