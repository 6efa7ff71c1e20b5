import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainException } from '../common/errors/domain.exception';
import type { TargetGroup } from '../rules/rule-set';
import { CitizenStore, type CitizenRow } from './citizen.store';
import { cprLookupHash, encryptCpr, isValidCprFormat, maskCpr } from './cpr';
import type { CitizenDto } from './grants.dto';
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

  /** The citizen's name and target group, which a grant is checked and stored with; null when there is none. */
  async forGrant(id: string): Promise<{ name: string; targetGroup: TargetGroup } | null> {
    const row = await this.store.get(this.dataSource.manager, id);
    return row && { name: row.name, targetGroup: row.targetGroup };
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
