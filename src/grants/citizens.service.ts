import { containsPattern, type KeysetPage, type PageRequest } from '../common/web/list-query';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainException } from '../common/errors/domain.exception';
import type { TargetGroup } from '../rules/rule-set';
import type { CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { CitizenStore, type CitizenRow, type CitizenSort } from './citizen.store';
import { GrantStore } from './grant.store';
import { checkTargetGroupChange, FIRST_TARGET_GROUP_FROM, targetGroupInForce } from './target-group.rules';
import { birthDateOfCpr, cprLookupHash, decryptCpr, encryptCpr, isValidCprFormat, maskCpr } from './cpr';
import type { CitizenDto, CitizenTargetGroupsDto } from './grants.dto';
import { checkSupplierVisibleTexts } from './personal-data.rules';
import { CommonErrorCode } from '../common/errors/common.errors';
import { GrantsErrorCode } from './grants.errors';

export interface CreateCitizenCommand {
  cpr: string;
  name: string;
  caseNumber: string;
  targetGroup: TargetGroup;
}

export interface CitizenSearch {
  cpr?: string;
  q?: string;
  limit: number;
}

/** Citizens (borgere): the CPR number is stored encrypted, found through a keyed hash, and shown masked only. */
@Injectable()
export class CitizensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: CitizenStore,
    private readonly grants: GrantStore,
    private readonly clock: Clock,
  ) {}

  async create(command: CreateCitizenCommand, actor: Actor): Promise<CitizenDto> {
    if (!isValidCprFormat(command.cpr)) {
      throw DomainException.rule('The CPR number is not valid', [{ field: 'cpr', rule: GrantsErrorCode.CprFormat, message: 'a CPR number is DDMMYY-SSSS with a real birth date' }]);
    }
    // The written agreement, which the supplier and the mentor receive, prints the case number.
    const caseNumber = checkSupplierVisibleTexts({ caseNumber: command.caseNumber }, null);
    if (caseNumber.length > 0) throw DomainException.rule('The citizen breaks the rules', caseNumber);
    const key = this.config.cprEncryptionKey;
    const lookup = cprLookupHash(command.cpr, key);
    const existing = await this.findIdByLookup(lookup);
    if (existing) throw duplicate(existing);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const row = await this.store.insert(manager, {
          cprEncrypted: encryptCpr(command.cpr, key),
          cprLookup: lookup,
          maskedCpr: maskCpr(command.cpr),
          name: command.name.trim(),
          caseNumber: command.caseNumber.trim(),
          targetGroup: command.targetGroup,
        });
        await this.store.recordTargetGroup(manager, row.id, command.targetGroup, FIRST_TARGET_GROUP_FROM, actor.userId);
        await this.audit.record(manager, actor, {
          action: 'citizen.created',
          entityType: 'citizen',
          entityId: row.id,
          change: { maskedCpr: row.maskedCpr, name: row.name, caseNumber: row.caseNumber, targetGroup: row.targetGroup },
        });
        return toDto(row);
      });
    } catch (error) {
      // Two registrations of the same CPR number at once: the unique lookup hash decides.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        const id = await this.findIdByLookup(lookup);
        if (id) throw duplicate(id);
      }
      throw error;
    }
  }

  /**
   * What a search text says of a CPR number: a whole valid number is looked up by its keyed hash; a birth date
   * (DDMMYY) or a masked number (DDMMYY-XXXX, as lists show it) matches the masked number. Neither is ever stored or logged.
   */
  cprSearchKeys(text: string): { cprLookup: string | null; maskedCpr: string | null } {
    const trimmed = text.trim();
    if (isValidCprFormat(trimmed)) return { cprLookup: cprLookupHash(trimmed, this.config.cprEncryptionKey), maskedCpr: null };
    const masked = /^(\d{6})(-?x{4})?-?$/i.exec(trimmed);
    return { cprLookup: null, maskedCpr: masked ? `${masked[1]}-XXXX` : null };
  }

  /**
   * A page of citizens: `q` a whole CPR number (exact, through its hash), a masked one or a birth date (DDMMYY), or
   * part of a name or case number; `cpr` an exact CPR number (an invalid one finds nobody).
   */
  async page(search: { q: string | null; cpr?: string }, request: PageRequest<CitizenSort>): Promise<KeysetPage<CitizenDto>> {
    const none = { items: [], nextCursor: null, prevCursor: null };
    let keys: { cprLookup: string | null; pattern: string | null; maskedCpr: string | null } = { cprLookup: null, pattern: null, maskedCpr: null };
    if (search.cpr !== undefined) {
      if (!isValidCprFormat(search.cpr)) return none;
      keys.cprLookup = cprLookupHash(search.cpr, this.config.cprEncryptionKey);
    }
    if (search.q !== null) {
      const cpr = this.cprSearchKeys(search.q);
      if (cpr.cprLookup !== null) {
        if (keys.cprLookup !== null && keys.cprLookup !== cpr.cprLookup) return none;
        keys.cprLookup = cpr.cprLookup;
      } else {
        keys = { ...keys, pattern: containsPattern(search.q), maskedCpr: cpr.maskedCpr };
      }
    }
    const page = await this.store.page(this.dataSource.manager, keys, request);
    return { ...page, items: page.items.map(toDto) };
  }

  async list(search: CitizenSearch): Promise<CitizenDto[]> {
    let cprLookup: string | null = null;
    if (search.cpr !== undefined) {
      // An invalid number cannot be registered, so it matches nobody.
      if (!isValidCprFormat(search.cpr)) return [];
      cprLookup = cprLookupHash(search.cpr, this.config.cprEncryptionKey);
    }
    const pattern = search.q === undefined ? null : `%${search.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return (await this.store.search(this.dataSource.manager, { cprLookup, pattern, limit: search.limit })).map(toDto);
  }

  async get(id: string): Promise<CitizenDto> {
    const row = await this.store.get(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Citizen');
    return toDto(row);
  }

  /**
   * The birth dates of these citizens from their CPR numbers, by id, for statistics by age band: derived here,
   * never shown or logged, and the CPR number itself never leaves this service.
   */
  async birthDatesOf(manager: EntityManager, ids: string[]): Promise<Map<string, CalendarDate>> {
    const encrypted = await this.store.encryptedCprsOf(manager, [...new Set(ids)]);
    const key = this.config.cprEncryptionKey;
    return new Map([...encrypted].map(([id, stored]) => [id, birthDateOfCpr(decryptCpr(stored, key)) as CalendarDate]));
  }

  /** The citizen's name and target group, which a grant is checked and stored with; null when there is none. */
  async forGrant(id: string): Promise<{ name: string; targetGroup: TargetGroup } | null> {
    const row = await this.store.get(this.dataSource.manager, id);
    return row && { name: row.name, targetGroup: row.targetGroup };
  }

  /** The target group in force on `date` (a grant's start); the citizen's current one when the history has none then. */
  async targetGroupOn(id: string, date: CalendarDate): Promise<TargetGroup | null> {
    const row = await this.store.get(this.dataSource.manager, id);
    if (!row) return null;
    return targetGroupInForce(await this.store.targetGroupHistory(this.dataSource.manager, id), date) ?? row.targetGroup;
  }

  /** The citizen's target group now and its history, oldest first. */
  async targetGroups(id: string): Promise<CitizenTargetGroupsDto> {
    const row = await this.store.get(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Citizen');
    return this.historyDto(row.targetGroup, await this.store.targetGroupHistory(this.dataSource.manager, id), []);
  }

  /**
   * Records a change of target group from a day. The grants not yet approved that start on or after it (until the
   * next change) take it as their target group at start; a change that would alter an approved grant's is refused
   * with 409 naming the grants, so nothing invoiced, billed or claimed under it changes. Audited.
   */
  async changeTargetGroup(id: string, change: { targetGroup: TargetGroup; effectiveFrom: CalendarDate }, actor: Actor): Promise<CitizenTargetGroupsDto> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.store.lock(manager, id))) throw DomainException.notFound('Citizen');
      const history = await this.store.targetGroupHistory(manager, id);
      const before = targetGroupInForce(history, change.effectiveFrom);
      const checked = checkTargetGroupChange({ history, targetGroup: change.targetGroup, effectiveFrom: change.effectiveFrom, grants: await this.grants.atStartOfCitizen(manager, id) });
      if (checked.problems.some((p) => p.rule === GrantsErrorCode.TargetGroupAltersGrant)) throw DomainException.conflict('The change of target group would alter an approved grant', checked.problems);
      if (checked.problems.length > 0) throw DomainException.rule('The change of target group breaks the rules', checked.problems);
      await this.store.recordTargetGroup(manager, id, change.targetGroup, change.effectiveFrom, actor.userId);
      await this.grants.retarget(manager, id, checked.retarget, change.targetGroup);
      await this.store.setCurrentTargetGroup(manager, id, this.clock.today());
      await this.audit.record(manager, actor, {
        action: 'citizen.target_group_changed',
        entityType: 'citizen',
        entityId: id,
        change: { targetGroup: { from: before, to: change.targetGroup }, effectiveFrom: change.effectiveFrom, until: checked.reach.until, grantsRetargeted: checked.retarget },
      });
      const row = (await this.store.get(manager, id))!;
      return this.historyDto(row.targetGroup, await this.store.targetGroupHistory(manager, id), checked.retarget);
    });
  }

  private historyDto(current: TargetGroup, history: Awaited<ReturnType<CitizenStore['targetGroupHistory']>>, retargeted: string[]): CitizenTargetGroupsDto {
    return {
      current,
      history: history.map((entry) => ({ targetGroup: entry.targetGroup, effectiveFrom: entry.effectiveFrom, recordedBy: entry.recordedBy, recordedAt: entry.recordedAt.toISOString() })),
      grantsRetargeted: retargeted,
    };
  }

  private findIdByLookup(lookup: string): Promise<string | null> {
    return this.store.idByLookup(this.dataSource.manager, lookup);
  }
}

function duplicate(citizenId: string): DomainException {
  return DomainException.conflict('A citizen with this CPR number is already registered', [
    { field: 'cpr', rule: CommonErrorCode.Unique, message: 'the CPR number is already registered', values: { citizenId } },
  ]);
}

function toDto(row: CitizenRow): CitizenDto {
  return { id: row.id, maskedCpr: row.maskedCpr, name: row.name, caseNumber: row.caseNumber, targetGroup: row.targetGroup, createdAt: row.createdAt.toISOString() };
}
