import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccessScope } from '../common/auth/access-scope';
import { AgreementGrantsDirectory, type GrantLink, type RunningGrant } from '../suppliers/agreement-grants.directory';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { GrantsService } from './grants.service';
import type { GrantDto } from './grants.dto';

const RUNNING = ['proposed', 'sent_back', 'active'] as const;
const PAGE = 500;

/** Tells the suppliers module which grants run under an agreement (a termination lists them before it is confirmed). */
@Injectable()
export class AgreementGrantsBridge implements OnModuleInit {
  constructor(
    private readonly directory: AgreementGrantsDirectory,
    private readonly grants: GrantsService,
  ) {}

  onModuleInit(): void {
    this.directory.provide({ runningUnder: (agreementId) => this.runningUnder(agreementId), grantOf: (key) => this.grantOf(key) });
  }

  private async grantOf(key: { id: string } | { reference: string }): Promise<GrantLink | null> {
    const scope = AccessScope.unrestricted();
    if ('reference' in key) {
      // Unrestricted: the full grant, with its supplier.
      const [grant] = (await this.grants.list({ reference: key.reference, limit: 1 }, scope)).items as GrantDto[];
      return grant ? { id: grant.id, reference: grant.reference, supplierId: grant.supplierId } : null;
    }
    try {
      const grant = (await this.grants.get(key.id, scope)) as GrantDto;
      return { id: grant.id, reference: grant.reference, supplierId: grant.supplierId };
    } catch (error) {
      if (error instanceof DomainException && error.code === DomainErrorCode.NotFound) return null;
      throw error;
    }
  }

  private async runningUnder(agreementId: string): Promise<RunningGrant[]> {
    const out: RunningGrant[] = [];
    for (const status of RUNNING) {
      let after: string | undefined;
      for (;;) {
        const page = await this.grants.list({ agreementId, status, after, limit: PAGE }, AccessScope.unrestricted());
        out.push(...page.items.map((g) => ({ id: g.id, reference: g.reference, status: g.status, start: g.start, end: g.end })));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
    }
    return out.sort((a, b) => a.start.localeCompare(b.start) || a.reference.localeCompare(b.reference));
  }
}
