import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/time/clock';
import { TARGET_GROUPS, type TargetGroup } from '../rules/rule-set';
import { RulesErrorCode } from '../rules/rules.errors';
import type { CaseSystemCitizenDto, CaseSystemCitizenPushDto } from './case-system.dto';
import { CitizenStore } from './citizen.store';
import { CitizensService } from './citizens.service';
import { cprLookupHash, isValidCprFormat } from './cpr';
import { GrantsErrorCode } from './grants.errors';
import { targetGroupInForce } from './target-group.rules';

/**
 * The case system's push (Momentum, Fasit): a citizen upserted by case number, and a change of target group
 * recorded from its day. Idempotent: a push that repeats what is known stores nothing and audits nothing. Bad input
 * (an unknown target group, a first push without a CPR number, a CPR number of another person) stores nothing.
 */
@Injectable()
export class CaseSystemService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: CitizenStore,
    private readonly citizens: CitizensService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async upsert(caseNumber: string, push: CaseSystemCitizenPushDto, actor: Actor): Promise<CaseSystemCitizenDto> {
    const targetGroup = knownTargetGroup(push.targetGroup);
    const number = caseNumber.trim();
    const existing = await this.store.byCaseNumber(this.dataSource.manager, number);
    if (!existing) {
      if (!push.cpr) throw DomainException.rule('The citizen is not registered yet', [{ field: 'cpr', rule: GrantsErrorCode.CaseSystemCprRequired, message: `no citizen has the case number ${number}; the first push registers the citizen and needs the CPR number`, values: { caseNumber: number } }]);
      const citizen = await this.citizens.create({ cpr: push.cpr, name: push.name, caseNumber: number, targetGroup }, actor);
      return { citizen, created: true, changed: true, targetGroups: await this.citizens.targetGroups(citizen.id) };
    }
    if (push.cpr !== undefined && (!isValidCprFormat(push.cpr) || cprLookupHash(push.cpr, this.config.cprEncryptionKey) !== existing.cprLookup)) {
      throw DomainException.conflict('The case number belongs to another citizen', [{ field: 'cpr', rule: GrantsErrorCode.CaseSystemCprMismatch, message: `the citizen with the case number ${number} has another CPR number`, values: { caseNumber: number } }]);
    }
    const effectiveFrom = push.effectiveFrom ?? this.clock.today();
    const history = (await this.citizens.targetGroups(existing.id)).history;
    let changed = false;
    let targetGroups = null;
    // The target group first: a change that would alter an approved grant is refused before the name is touched.
    if (targetGroupInForce(history, effectiveFrom) !== targetGroup) {
      targetGroups = await this.citizens.changeTargetGroup(existing.id, { targetGroup, effectiveFrom }, actor);
      changed = true;
    }
    const name = push.name.trim();
    if (name !== existing.name) {
      await this.dataSource.transaction(async (manager) => {
        if (!(await this.store.rename(manager, existing.id, name))) return;
        await this.audit.record(manager, actor, { action: 'citizen.renamed', entityType: 'citizen', entityId: existing.id, change: { name: { from: existing.name, to: name }, source: 'case_system' } });
      });
      changed = true;
    }
    return { citizen: await this.citizens.get(existing.id), created: false, changed, targetGroups: targetGroups ?? (await this.citizens.targetGroups(existing.id)) };
  }
}

function knownTargetGroup(value: string): TargetGroup {
  if ((TARGET_GROUPS as readonly string[]).includes(value)) return value as TargetGroup;
  throw DomainException.rule('The target group is not known', [{ field: 'targetGroup', rule: RulesErrorCode.TargetGroupKnown, message: `'${value}' is not a known target group`, values: { targetGroup: value } }]);
}
