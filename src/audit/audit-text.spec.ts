import { auditSentence } from './audit-text';

const texts: Record<string, string> = {
  'audit.system': 'Systemet',
  'audit.entity.invoice': 'faktura',
  'audit.entity.user': 'bruger',
  'audit.sentence.invoice.approved': '{actor} godkendte {record}',
  'audit.sentence.other': '{actor}: {action} ({record})',
};
const t = (key: string, params: Record<string, unknown> = {}) => (texts[key] ?? key).replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name]));
const hasText = (key: string) => key in texts;

describe('audit sentences', () => {
  it('says who did what to which record, with the amount', () => {
    const entry = { action: 'invoice.approved', actorLabel: 'Økonomi Hansen', entityType: 'invoice', entityId: 'c2d7ec3e-6ebb-4447-9e34-0afef4200422', change: { approvedOre: 1_092_500, netOre: 1_092_500 } };
    expect(auditSentence(entry, 'MH-2026-1202', t, hasText, 'da')).toBe('Økonomi Hansen godkendte faktura MH-2026-1202: 10.925,00 kr.');
  });

  it('names the record from its change, else by the start of its id; an unknown action by its code', () => {
    expect(auditSentence({ action: 'user.created', actorLabel: null, entityType: 'user', entityId: 'abcdef12-0000', change: { email: 'a@b.dk' } }, null, t, hasText, 'da')).toBe('Systemet: user.created (bruger a@b.dk)');
    expect(auditSentence({ action: 'x.y', actorLabel: 'A', entityType: 'thing', entityId: 'abcdef12-0000', change: {} }, null, t, hasText, 'da')).toBe('A: x.y (thing abcdef12)');
  });
});
