import { Injectable } from '@nestjs/common';
import { systemActor, type Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CitizensService } from '../grants/citizens.service';
import { GrantsService } from '../grants/grants.service';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import { AgreementsService } from '../suppliers/agreements.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { demoSupplierIds } from './demo-suppliers';

/** The framework agreements' rates per hour by service level 1–4. */
export const LEVEL_RATES_ORE = [40_000, 42_500, 45_000, 47_500];

/** Agreements with rate cards, citizens (fictitious CPR numbers) and grants at each service level. */
const DEMO_AGREEMENTS = [
  {
    kind: 'framework' as const,
    supplierCvr: '29143471',
    reference: 'RA-2026-001',
    title: 'Rammeaftale om mentorstøtte 2026–2027',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    extensionOptions: 2,
    extensionMonths: 12,
    mentorTypes: ['retention', 'holistic', 'discharge', 'release'] as MentorType[],
    ceilingOre: 200_000_000,
  },
  {
    kind: 'framework' as const,
    supplierCvr: '35619313',
    reference: 'RA-2026-002',
    title: 'Rammeaftale om helhedsorienteret mentor',
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    extensionOptions: 1,
    extensionMonths: 12,
    mentorTypes: ['retention', 'holistic'] as MentorType[],
    ceilingOre: 50_000_000,
  },
  {
    kind: 'partnership' as const,
    supplierCvr: '41872144',
    reference: 'PA-2026-001',
    title: 'Partnerskabsaftale om virksomhedsmentor (frikøb)',
    validFrom: '2026-01-01',
    validTo: '2027-06-30',
    extensionOptions: 0,
    extensionMonths: 0,
    mentorTypes: ['company'] as MentorType[],
    defaultMinutesPerWeek: 60,
    defaultRateOre: 25_000,
  },
];

export const DEMO_CITIZENS: Array<{ cpr: string; name: string; caseNumber: string; targetGroup: TargetGroup }> = [
  { cpr: '0103901234', name: 'Jonas Ærø Madsen', caseNumber: 'JC-2026-0101', targetGroup: 'activity_ready_cash_benefit' },
  // Granted a holistic mentor: activity-ready on integration benefit (integrationsloven § 23 d), a target group it is granted to.
  { cpr: '1507882345', name: 'Sofie Øster Nielsen', caseNumber: 'JC-2026-0102', targetGroup: 'integration_benefit_activity_ready' },
  { cpr: '2211953456', name: 'Ahmed Åkjær Hansen', caseNumber: 'JC-2026-0103', targetGroup: 'education_benefit_activity_ready' },
  { cpr: '0912854567', name: 'Mette Lund Poulsen', caseNumber: 'JC-2026-0104', targetGroup: 'resource_course' },
  { cpr: '3004925678', name: 'Kasper Holm Berg', caseNumber: 'JC-2026-0105', targetGroup: 'flex_job_benefit' },
];

const DEMO_GRANTS = [
  { citizen: 0, agreement: 'RA-2026-001', mentorType: 'retention' as const, serviceLevel: 1, minutesPerWeek: 90, start: '2026-09-01', end: '2027-02-28', goal: 'Fastholdelse i job som lagermedarbejder', tasks: 'Ugentlige samtaler om arbejdsrutiner; kontakt til nærmeste leder; støtte ved mødestabilitet.' },
  { citizen: 1, agreement: 'RA-2026-002', mentorType: 'holistic' as const, serviceLevel: 2, minutesPerWeek: 150, start: '2026-08-01', end: '2027-01-31', goal: 'Stabil hverdag og afklaring af næste skridt mod uddannelse', tasks: 'Støtte til struktur i hverdagen, ledsagelse til møder, kontakt til uddannelsesvejleder.' },
  { citizen: 2, agreement: 'RA-2026-001', mentorType: 'retention' as const, serviceLevel: 3, minutesPerWeek: 210, start: '2026-10-01', end: '2027-03-31', goal: 'Gennemføre praktik på værkstedet og overgå til løntimer', tasks: 'Daglig opstart i praktikken de første uger, opfølgning med værkstedsleder.' },
  { citizen: 3, agreement: 'RA-2026-001', mentorType: 'retention' as const, serviceLevel: 4, minutesPerWeek: 300, start: '2026-11-01', end: '2027-01-31', goal: 'Intensiv støtte i opstarten af ressourceforløbet', tasks: 'Tæt kontakt flere gange om ugen, koordinering med sundhedssektoren.' },
  { citizen: 4, agreement: 'PA-2026-001', mentorType: 'company' as const, serviceLevel: 1, minutesPerWeek: 60, start: '2026-09-14', end: '2027-03-13', goal: 'Oplæring og fastholdelse i fleksjob i byggemarkedet', tasks: 'Kollega frikøbes 1 time om ugen til oplæring og faste samtaler.' },
];

@Injectable()
export class DemoAgreementsSeed {
  constructor(
    private readonly suppliers: SuppliersService,
    private readonly agreements: AgreementsService,
    private readonly citizens: CitizensService,
    private readonly grants: GrantsService,
  ) {}

  /** Adds what is missing; returns how many records it created. The demo grants are approved by `approver` from their start. */
  async run(approver: Actor | null): Promise<number> {
    const actor = systemActor('seed');
    let created = 0;
    const agreementIds = new Map((await this.agreements.list({}, AccessScope.unrestricted())).map((a) => [a.reference, a.id]));
    const supplierIds = await demoSupplierIds(this.suppliers);
    for (const { supplierCvr, ...agreement } of DEMO_AGREEMENTS) {
      const supplierId = supplierIds.get(supplierCvr);
      if (agreementIds.has(agreement.reference) || !supplierId) continue;
      const row = await this.agreements.create({ ...agreement, supplierId }, actor);
      agreementIds.set(agreement.reference, row.id);
      created += 1;
      const levels = agreement.kind === 'partnership' ? [1] : [1, 2, 3, 4];
      for (const mentorType of agreement.mentorTypes) {
        for (const level of levels) {
          const rateOre = agreement.kind === 'partnership' ? agreement.defaultRateOre! : LEVEL_RATES_ORE[level - 1];
          await this.agreements.addRate(row.id, { mentorType, serviceLevel: level, validFrom: agreement.validFrom, rateOre }, actor);
          created += 1;
        }
      }
    }
    for (const [index, citizen] of DEMO_CITIZENS.entries()) {
      const [found] = await this.citizens.list({ cpr: citizen.cpr, limit: 1 });
      const citizenId = found?.id ?? (await this.citizens.create(citizen, actor)).id;
      if (!found) created += 1;
      if (await this.grants.hasGrantFor(citizenId)) continue;
      for (const grant of DEMO_GRANTS.filter((g) => g.citizen === index)) {
        const made = await this.grants.create(
          {
            citizenId,
            agreementId: agreementIds.get(grant.agreement)!,
            mentorType: grant.mentorType,
            serviceLevel: grant.serviceLevel,
            minutesPerWeek: grant.minutesPerWeek,
            start: grant.start,
            end: grant.end,
            goal: grant.goal,
            tasks: grant.tasks,
            mentorName: grant.agreement === 'PA-2026-001' ? 'Bent Kollega' : 'Hanne Mentor',
            mentorPhone: '40 12 34 56',
            mentorEmail: 'mentor@demo.mentorportal.dk',
          },
          actor,
        );
        if (approver) await this.grants.approve(made.id, grant.start, approver);
        created += 1;
      }
    }
    return created;
  }
}
