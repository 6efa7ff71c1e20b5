import { formatKroner } from '../common/web/format';

/** What an audit entry says in words, from its action, actor, record and change. Pure: the texts come in. */
export interface AuditEntryFacts {
  action: string;
  actorLabel: string | null;
  entityType: string;
  entityId: string | null;
  change: Record<string, unknown>;
}

type Translate = (key: string, params?: Record<string, unknown>) => string;
type HasText = (key: string) => boolean;

// The amount an action is about, by the first of these its change holds.
const AMOUNT_FIELDS = ['approvedOre', 'claimedOre', 'approvableOre', 'totalOre', 'netOre', 'amountOre', 'rateOre'] as const;
// What names a record in its change, when the page knows no better name for it.
const NAME_FIELDS = ['invoiceNumber', 'number', 'reference', 'name', 'displayName', 'email', 'month'] as const;

/**
 * "Økonomi Hansen godkendte faktura MH-2026-1202: 10.925,00 kr.": the actor, the action's verb, the record by
 * its kind and name (`recordName`, else a name in the change, else the start of its id), and the amount.
 */
export function auditSentence(entry: AuditEntryFacts, recordName: string | null, t: Translate, hasText: HasText, language: 'da' | 'en'): string {
  const actor = entry.actorLabel ?? t('audit.system');
  const kind = hasText(`audit.entity.${entry.entityType}`) ? t(`audit.entity.${entry.entityType}`) : entry.entityType;
  const named = recordName ?? nameInChange(entry.change) ?? (entry.entityId ? entry.entityId.slice(0, 8) : null);
  const record = named === null ? kind : `${kind} ${named}`;
  const sentence = hasText(`audit.sentence.${entry.action}`) ? t(`audit.sentence.${entry.action}`, { actor, record }) : t('audit.sentence.other', { actor, record, action: entry.action });
  const amount = amountOf(entry.change);
  return amount === null ? sentence : `${sentence}: ${formatKroner(amount, language)}`;
}

function nameInChange(change: Record<string, unknown>): string | null {
  for (const field of NAME_FIELDS) {
    const value = change[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function amountOf(change: Record<string, unknown>): number | null {
  for (const field of AMOUNT_FIELDS) {
    const value = change[field];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  }
  return null;
}
