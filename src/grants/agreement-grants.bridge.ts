import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccessScope } from '../common/auth/access-scope';
import { AgreementGrantsDirectory, type RunningGrant } from '../suppliers/agreement-grants.directory';
import { GrantsService } from './grants.service';

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
    this.directory.provide({ runningUnder: (agreementId) => this.runningUnder(agreementId) });
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
