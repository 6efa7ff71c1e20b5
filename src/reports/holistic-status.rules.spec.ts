import { holisticStatusFigure, statusOn, type HolisticPeriod } from './holistic-status.rules';

const period = (citizenId: string, start: string, end: string, ended?: { on: string; outcome: string }): HolisticPeriod => ({
  citizenId,
  start,
  end,
  status: ended ? 'ended' : 'active',
  endedOn: ended?.on ?? null,
  outcome: ended?.outcome ?? null,
});

describe('status seven months after the start of the first holistic course', () => {
  it('a citizen in a second period on the day is still in mentor support', () => {
    const chain = [period('a', '2026-01-05', '2026-07-04', { on: '2026-07-04', outcome: 'still_on_benefit' }), period('a', '2026-07-05', '2027-01-04')];
    expect(statusOn(chain, '2026-08-05')).toBe('in_mentor_support');
  });

  it('a course ended for an active offer counts by its outcome; one that ran out unrecorded is unknown', () => {
    expect(statusOn([period('b', '2026-01-05', '2026-07-04', { on: '2026-04-01', outcome: 'active_offer' })], '2026-08-05')).toBe('active_offer');
    expect(statusOn([period('c', '2026-01-05', '2026-07-04')], '2026-08-05')).toBe('unknown');
  });

  it('counts the year’s first courses, measured 7 months after their start: 2026-05-31 → 2026-12-31', () => {
    const periods = [
      period('a', '2026-01-05', '2026-07-04', { on: '2026-03-01', outcome: 'education_started' }),
      period('b', '2026-02-01', '2026-07-31', { on: '2026-05-01', outcome: 'active_offer' }),
      period('c', '2026-05-31', '2026-11-30', { on: '2026-06-15', outcome: 'job' }),
      period('d', '2025-12-01', '2026-05-31'),
      period('d', '2026-06-01', '2026-11-30'),
    ];
    expect(holisticStatusFigure(2026, periods, '2026-12-30')).toEqual({ year: 2026, courses: 3, pending: 1, byStatus: [{ status: 'active_offer', count: 1 }, { status: 'education_started', count: 1 }] });
    expect(holisticStatusFigure(2026, periods, '2026-12-31').pending).toBe(0);
  });
});
