import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { todayInCopenhagen } from '../common/time/calendar-date';
import { templatesDir } from '../common/web/view-engine';
import { loadGrantAgreementTexts, missingMandatoryContent, renderGrantAgreement } from '../documents/grant-agreement.document';
import { RulesService } from '../rules/rules.service';
import { AgreementsService } from '../suppliers/agreements.service';
import { dueTasks } from './grant.rules';
import { grantAgreementView } from './grant-agreement.view';
import { GrantsService } from './grants.service';
import { GrantAmendmentsService } from './grant-amendments.service';
import type { TermsVersion } from './grant-amendment.rules';
import { danishHours } from './grant-agreement.view';
import { GrantsErrorCode } from './grants.errors';

/** The grant's fields by the names the written agreement's mandatory contents have. */
const AGREEMENT_FIELDS: Record<string, string> = { 'mentor.name': 'mentorName', 'mentor.phone or mentor.email': 'mentorPhone', 'citizen.name': 'citizenId', 'citizen.maskedCpr': 'citizenId' };

/** What a version of the terms changed, in Danish as the agreement is written. */
export function versionChange(version: TermsVersion, first: boolean): string {
  const t = version.terms;
  const hours = `serviceniveau ${t.serviceLevel}, ${danishHours(t.minutesPerWeek)} om ugen`;
  if (first) return `Bevilget: ${hours}; mentor ${t.mentorName}.`;
  const parts = version.kinds.map((kind) => (kind === 'hours' ? `Ændret timetal: ${hours}.` : kind === 'mentor' ? `Mentorskift: ${t.mentorName}.` : `Nyt mål: ${t.goal} Nye opgaver: ${t.tasks}`));
  return parts.join(' ');
}

/** The written agreement (skriftlig aftale) of a grant as PDF. */
@Injectable()
export class GrantAgreementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: GrantsService,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly agreements: AgreementsService,
    private readonly amendments: GrantAmendmentsService,
  ) {}

  /**
   * The PDF, for staff; the viewing is audited. It names the citizen, so a supplier may not read it: another
   * supplier's grant is not found, like every read of another supplier's record, and its own is forbidden.
   */
  async pdf(id: string, scope: AccessScope, actor: Actor): Promise<{ reference: string; pdf: Buffer }> {
    const grant = await this.grants.row(id, scope);
    if (scope.isSupplier) throw DomainException.forbidden('The written agreement names the citizen: staff only');
    const agreement = await this.agreements.termsFor(grant.agreementId);
    if (!agreement) throw DomainException.notFound('Agreement');
    const ruleSet = await this.rules.valuesInForce(grant.start);
    // The version in force today, and the history of the grant's terms for the annex.
    const { versions, inForce } = await this.amendments.history(grant);
    const terms = inForce.terms;
    const firstFollowUp = dueTasks({ start: grant.start, end: grant.end, ruleSet }).find((task) => task.kind === 'follow_up')?.due ?? null;
    const view = grantAgreementView(
      {
        reference: grant.reference,
        // Final on the day a team leader approved it; a proposal is a draft of the day it was made.
        issuedOn: todayInCopenhagen(grant.approvedAt ?? grant.createdAt),
        citizen: { name: grant.citizenName, maskedCpr: grant.maskedCpr, caseNumber: grant.caseNumber },
        agreement,
        mentorType: grant.mentorType,
        serviceLevel: terms.serviceLevel,
        minutesPerWeek: terms.minutesPerWeek,
        start: grant.start,
        end: grant.end,
        goal: terms.goal,
        tasks: terms.tasks,
        mentor: { name: terms.mentorName, phone: terms.mentorPhone, email: terms.mentorEmail },
        versionSince: versions.length > 1 ? inForce.from : undefined,
        history: versions.map((version, index) => ({ from: version.from, change: versionChange(version, index === 0) })),
        complaintGuidance: grant.complaintGuidance,
        firstFollowUp,
        ruleSet,
        draft: grant.status === 'proposed' || grant.status === 'sent_back',
      },
      loadGrantAgreementTexts('da', templatesDir()),
    );
    // A grant stored before its texts were checked at input may lack what the agreement must state: a conflict to
    // resolve on the grant, never a server error.
    const missing = missingMandatoryContent(view);
    if (missing.length > 0) {
      throw DomainException.conflict(
        'The written agreement lacks mandatory content',
        missing.map((name) => ({ field: AGREEMENT_FIELDS[name] ?? name, rule: GrantsErrorCode.AgreementContent, message: `the written agreement must state ${AGREEMENT_FIELDS[name] ?? name}` })),
      );
    }
    const pdf = await renderGrantAgreement(view);
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, actor, { action: 'grant.agreement_pdf_viewed', entityType: 'grant', entityId: id, change: { reference: grant.reference } }),
    );
    return { reference: grant.reference, pdf };
  }
}
