import { danishDate, danishHours, danishPeriod, MUNICIPALITY } from './grant-agreement.view';

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
