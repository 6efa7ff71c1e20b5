import { diff } from './audit.service';

describe('audit diff', () => {
  it('lists only changed fields with from and to', () => {
    expect(diff({ name: 'A', active: true, n: 1 }, { name: 'B', active: true, n: 1 })).toEqual({ name: { from: 'A', to: 'B' } });
  });
  it('treats a missing field as null and compares structurally', () => {
    expect(diff({ tags: ['a'] }, { tags: ['a'], note: 'x' })).toEqual({ note: { from: null, to: 'x' } });
  });
});
