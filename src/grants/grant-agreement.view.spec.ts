import { join } from 'node:path';
import { loadGrantAgreementTexts } from '../documents/grant-agreement.document';
import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { danishDate, danishHours, danishPeriod, grantAgreementView, MUNICIPALITY, type GrantAgreementData } from './grant-agreement.view';

describe('the written agreement’s Danish wording', () => {
  it('writes dates, hours and periods in Danish', () => {
    expect(danishDate('2026-01-05')).toBe('5. januar 2026');
    expect(danishDate('2026-12-31')).toBe('31. december 2026');
    expect(danishHours(150)).toBe('2 timer 30 minutter');
    expect(danishHours(60)).toBe('1 time');
    expect(danishHours(45)).toBe('45 minutter');
    expect(danishHours(61)).toBe('1 time 1 minut');
    expect(danishPeriod('2026-01-05', '2026-07-04')).toBe('6 måneder');
    expect(danishPeriod('2026-01-01', '2026-01-31')).toBe('1 måned');
    expect(danishPeriod('2026-01-05', '2026-06-30')).toBe('177 dage');
    expect(danishPeriod('2026-01-05', '2026-01-05')).toBe('1 dag');
  });

  it('names the municipality in one place', () => {
    expect(MUNICIPALITY).toEqual({ name: 'Gribskov Kommune', jobCentre: 'Jobcenter Gribskov', address: 'Rådhusvej 3, 3200 Helsinge', contact: 'jobcenter@gribskov.dk · 72 49 60 00' });
  });
});

describe('grantAgreementView', () => {
  const texts = loadGrantAgreementTexts('da', join(__dirname, '../../templates'));
  const data: GrantAgreementData = {
    reference: 'MS-2026-000123',
    issuedOn: '2026-11-23',
    citizen: { name: 'Søren Ærø Åberg', maskedCpr: '010203-XXXX', caseNumber: '2026004711' },
    agreement: {
      id: 'a', supplierId: 's', supplierName: 'Mentorhuset ApS', supplierCvr: '12345674', kind: 'framework', reference: 'RA-2026-001',
      title: 'Rammeaftale', validFrom: '2026-01-01', validTo: '2027-12-31', mentorTypes: ['retention'], active: true, defaultMinutesPerWeek: null,
    },
    mentorType: 'retention',
    serviceLevel: 1,
    minutesPerWeek: 120,
    start: '2026-01-05',
    end: '2026-06-30',
    goal: 'Fastholdelse, sagsnr. 2026004711.',
    tasks: 'Møder med Søren.',
    mentor: { name: 'Ditte', phone: '40123456', email: null },
    complaintGuidance: null,
    firstFollowUp: '2026-04-06',
    ruleSet: DEFAULT_RULE_SET.values,
  };

  it('prints ordinary texts and numbers as they are', () => {
    const view = grantAgreementView(data, texts);
    expect([view.goal, view.tasks, view.mentor, view.citizen, view.complaintGuidance]).toEqual([
      'Fastholdelse, sagsnr. 2026004711.',
      'Møder med Søren.',
      { name: 'Ditte', phone: '40123456', email: undefined },
      { name: 'Søren Ærø Åberg', maskedCpr: '010203-XXXX', caseNumber: '2026004711' },
      undefined,
    ]);
  });

  it('masks a CPR number in every text stored before the check at input', () => {
    const view = grantAgreementView(
      {
        ...data,
        citizen: { ...data.citizen, caseNumber: '010203-1234' },
        goal: 'Borger 0102031234, sagsnr. 2026004711.',
        tasks: 'Ring 01.02.03 1234.',
        mentor: { name: 'Ditte 010203–1234', phone: '0102031234', email: '0102031234@mentorhuset.dk' },
        complaintGuidance: 'Klag med CPR 010203-1234.',
      },
      texts,
    );
    expect([view.goal, view.tasks, view.mentor, view.citizen.caseNumber, view.complaintGuidance]).toEqual([
      'Borger XXXXXX-XXXX, sagsnr. 2026004711.',
      'Ring XXXXXX-XXXX.',
      { name: 'Ditte XXXXXX-XXXX', phone: 'XXXXXX-XXXX', email: 'XXXXXX-XXXX@mentorhuset.dk' },
      'XXXXXX-XXXX',
      'Klag med CPR XXXXXX-XXXX.',
    ]);
  });
});
