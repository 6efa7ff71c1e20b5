import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';

export interface TwoFactorRow {
  userId: string;
  sealedSecret: Buffer;
  confirmedAt: Date | null;
  lastTimeStep: number | null;
}

interface TwoFactorRecord {
  user_id: string;
  secret_ciphertext: Buffer;
  confirmed_at: Date | null;
  last_time_step: string | null;
}

export const TWO_FACTOR_SQL = sqlQueries('identity/two-factor.store', {
  get: `SELECT user_id, secret_ciphertext, confirmed_at, last_time_step FROM user_two_factor WHERE user_id = $1`,
  // A set-up not yet confirmed may start over; a confirmed one is left alone (the affected rows say which).
  begin: `
    INSERT INTO user_two_factor (user_id, secret_ciphertext) VALUES ($1, $2)
    ON CONFLICT (user_id) DO UPDATE SET secret_ciphertext = EXCLUDED.secret_ciphertext, created_at = now(), last_time_step = NULL
    WHERE user_two_factor.confirmed_at IS NULL RETURNING user_id`,
  confirm: `UPDATE user_two_factor SET confirmed_at = now(), last_time_step = $2 WHERE user_id = $1 AND confirmed_at IS NULL`,
  // A code is used once: only a later time step than the last one accepted moves it.
  useTimeStep: `UPDATE user_two_factor SET last_time_step = $2 WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_time_step IS NULL OR last_time_step < $2)`,
  remove: `DELETE FROM user_two_factor WHERE user_id = $1`,
  removeRecoveryCodes: `DELETE FROM user_recovery_code WHERE user_id = $1`,
  insertRecoveryCodes: `INSERT INTO user_recovery_code (user_id, code_hash) SELECT $1, unnest($2::char(64)[])`,
  useRecoveryCode: `UPDATE user_recovery_code SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
  recoveryCodesLeft: `SELECT count(*)::int AS n FROM user_recovery_code WHERE user_id = $1 AND used_at IS NULL`,
  enrolledUsers: `SELECT user_id FROM user_two_factor WHERE confirmed_at IS NOT NULL`,
});

const Q = TWO_FACTOR_SQL;

/** Every query on user_two_factor and user_recovery_code. */
@Injectable()
export class TwoFactorStore {
  async get(manager: EntityManager, userId: string): Promise<TwoFactorRow | null> {
    const [row] = (await manager.query(Q.get, [userId])) as TwoFactorRecord[];
    return row ? { userId: row.user_id, sealedSecret: row.secret_ciphertext, confirmedAt: row.confirmed_at, lastTimeStep: row.last_time_step === null ? null : Number(row.last_time_step) } : null;
  }

  /** Stores a new secret to be confirmed; false when the user has a confirmed one. */
  async begin(manager: EntityManager, userId: string, sealedSecret: Buffer): Promise<boolean> {
    return ((await manager.query(Q.begin, [userId, sealedSecret])) as unknown[]).length === 1;
  }

  async confirm(manager: EntityManager, userId: string, timeStep: number): Promise<boolean> {
    const [, affected] = (await manager.query(Q.confirm, [userId, timeStep])) as [unknown, number];
    return affected === 1;
  }

  async useTimeStep(manager: EntityManager, userId: string, timeStep: number): Promise<boolean> {
    const [, affected] = (await manager.query(Q.useTimeStep, [userId, timeStep])) as [unknown, number];
    return affected === 1;
  }

  async remove(manager: EntityManager, userId: string): Promise<boolean> {
    await manager.query(Q.removeRecoveryCodes, [userId]);
    const [, affected] = (await manager.query(Q.remove, [userId])) as [unknown, number];
    return affected === 1;
  }

  /** Replaces the user's recovery codes with these hashes. */
  async replaceRecoveryCodes(manager: EntityManager, userId: string, hashes: string[]): Promise<void> {
    await manager.query(Q.removeRecoveryCodes, [userId]);
    await manager.query(Q.insertRecoveryCodes, [userId, hashes]);
  }

  async useRecoveryCode(manager: EntityManager, userId: string, hash: string): Promise<boolean> {
    const [, affected] = (await manager.query(Q.useRecoveryCode, [userId, hash])) as [unknown, number];
    return affected === 1;
  }

  async recoveryCodesLeft(manager: EntityManager, userId: string): Promise<number> {
    return ((await manager.query(Q.recoveryCodesLeft, [userId])) as Array<{ n: number }>)[0].n;
  }

  async enrolledUsers(manager: EntityManager): Promise<Set<string>> {
    return new Set(((await manager.query(Q.enrolledUsers)) as Array<{ user_id: string }>).map((row) => row.user_id));
  }
}
