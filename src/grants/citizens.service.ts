import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainException } from '../common/errors/domain.exception';
import type { TargetGroup } from '../rules/rule-set';
import { cprLookupHash, encryptCpr, isValidCprFormat, maskCpr } from './cpr';
import type { CitizenDto } from './grants.dto';
import { checkSupplierVisibleTexts } from './personal-data.rules';

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

interface CitizenRow {
  id: string;
  cpr_masked: string;
  name: string;
  case_number: string;
  target_group: TargetGroup;
  created_at: Date;
}

// Never select cpr_encrypted or cpr_lookup into a response.
const CITIZEN_COLUMNS = 'id, cpr_masked, name, case_number, target_group, created_at';

/** Citizens (borgere): the CPR number is stored encrypted, found through a keyed hash, and shown masked only. */
@Injectable()
export class CitizensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(command: CreateCitizenCommand, actor: Actor): Promise<CitizenDto> {
    if (!isValidCprFormat(command.cpr)) {
      throw DomainException.rule('The CPR number is not valid', [{ field: 'cpr', rule: 'cpr_format', message: 'a CPR number is DDMMYY-SSSS with a real birth date' }]);
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
        const [row] = (await manager.query(
          `INSERT INTO citizen (cpr_encrypted, cpr_lookup, cpr_masked, name, case_number, target_group)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CITIZEN_COLUMNS}`,
          [encryptCpr(command.cpr, key), lookup, maskCpr(command.cpr), command.name.trim(), command.caseNumber.trim(), command.targetGroup],
        )) as CitizenRow[];
        await this.audit.record(manager, actor, {
          action: 'citizen.created',
          entityType: 'citizen',
          entityId: row.id,
          change: { maskedCpr: row.cpr_masked, name: row.name, caseNumber: row.case_number, targetGroup: row.target_group },
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
    const where: string[] = [];
    const params: unknown[] = [];
    if (search.cpr !== undefined) {
      // An invalid number cannot be registered, so it matches nobody.
      if (!isValidCprFormat(search.cpr)) return [];
      params.push(cprLookupHash(search.cpr, this.config.cprEncryptionKey));
      where.push(`cpr_lookup = $${params.length}`);
    }
    if (search.q !== undefined) {
      params.push(`%${search.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(name ILIKE $${params.length} OR case_number ILIKE $${params.length})`);
    }
    params.push(search.limit);
    const rows = (await this.dataSource.query(
      `SELECT ${CITIZEN_COLUMNS} FROM citizen ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name, id LIMIT $${params.length}`,
      params,
    )) as CitizenRow[];
    return rows.map(toDto);
  }

  async get(id: string): Promise<CitizenDto> {
    const [row] = (await this.dataSource.query(`SELECT ${CITIZEN_COLUMNS} FROM citizen WHERE id = $1`, [id])) as CitizenRow[];
    if (!row) throw DomainException.notFound('Citizen');
    return toDto(row);
  }

  private async findIdByLookup(lookup: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(`SELECT id FROM citizen WHERE cpr_lookup = $1`, [lookup])) as Array<{ id: string }>;
    return row?.id ?? null;
  }
}

function duplicate(citizenId: string): DomainException {
  return DomainException.conflict('A citizen with this CPR number is already registered', [
    { field: 'cpr', rule: 'unique', message: 'the CPR number is already registered', values: { citizenId } },
  ]);
}

function toDto(row: CitizenRow): CitizenDto {
  return { id: row.id, maskedCpr: row.cpr_masked, name: row.name, caseNumber: row.case_number, targetGroup: row.target_group, createdAt: row.created_at.toISOString() };
}
