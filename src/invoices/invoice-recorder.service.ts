import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { GrantsService, type GrantInvoicingFacts } from '../grants/grants.service';
import { AgreementsService } from '../suppliers/agreements.service';
import { contactGaps } from './contact-gap.rules';
import { matchCredits } from './credit-note.rules';
import { DeliveryStore, type DeliveryRow, type NewDelivery } from './delivery.store';
import { InvoiceFactsService } from './invoice-facts.service';
import { InvoiceStore, type InvoiceRow } from './invoice.store';
import type { ReceivedInvoice } from './received-invoice';
import { settleInvoice, type Decision, type ValidatedInvoice } from './validated-invoice';

export interface IntakeSupplier {
  id: string;
  vatRegistered: boolean;
}

/**
 * Where the one persist step stores a validated invoice: as a new invoice (sent by JSON, CSV or UBL), or onto a
 * partner company's self-billing draft, whose registrations are its deliveries already. A draft's registrations
 * get their findings with every change; `submit` makes the month an invoice for finance to approve.
 */
export type RecordTarget =
  | { kind: 'new'; contentHash: string }
  | { kind: 'draft'; invoiceId: string; deliveries: DeliveryRow[]; submit: { contentHash: string } | null };

/** What the persist step stored: a new invoice as stored, with its deliveries; a draft is named by its id only. */
export interface Recorded {
  id: string;
  stored: { invoice: InvoiceRow; deliveries: DeliveryRow[] } | null;
}

const DEFAULT_VAT_BASIS_POINTS = 2500;

/**
 * The last two steps of intake, for an invoice sent and a month of registered hours alike: the business rules
 * over a received invoice (sessions, or a credit note's lines matched to what they reverse), and the one persist
 * step that stores the invoice, its deliveries and findings, the contact-gap rows, the ceiling ledger's entries
 * and the audit, in the caller's transaction.
 */
@Injectable()
export class InvoiceRecorder {
  constructor(
    private readonly audit: AuditService,
    private readonly facts: InvoiceFactsService,
    private readonly grants: GrantsService,
    private readonly agreements: AgreementsService,
    private readonly invoiceStore: InvoiceStore,
    private readonly deliveryStore: DeliveryStore,
  ) {}

  /** The business rules over a received invoice; `stored` when it is a stored draft validated again. */
  async validate(manager: EntityManager, supplier: IntakeSupplier, received: ReceivedInvoice, stored?: { invoiceId: string; seq: string }): Promise<ValidatedInvoice> {
    const decision = received.documentType === 'credit_note' ? await this.credits(manager, supplier, received) : await this.sessions(manager, supplier, received, stored);
    return settleInvoice(received, decision);
  }

  /** Stores a validated invoice as `target` says. */
  async record(manager: EntityManager, supplierId: string, validated: ValidatedInvoice, target: RecordTarget, actor: Actor): Promise<Recorded> {
    if (target.kind === 'draft' && target.submit === null) {
      await this.writeDraft(manager, target.invoiceId, target.deliveries, validated, 'draft');
      return { id: target.invoiceId, stored: null };
    }
    let stored: Recorded['stored'] = null;
    let invoiceId: string;
    if (target.kind === 'new') {
      stored = await this.insert(manager, supplierId, validated, target.contentHash, actor);
      invoiceId = stored.invoice.id;
    } else {
      invoiceId = await this.submitDraft(manager, target, validated, actor);
    }
    const linesWithFindings = validated.lines.filter((l) => l.findings.length > 0).map((l) => ({ grantReference: l.line.grantReference, findings: l.findings }));
    await this.invoiceStore.replaceContactGaps(manager, invoiceId, supplierId, contactGaps(validated.findings, linesWithFindings));
    await this.agreements.recordConsumption(
      manager,
      [...validated.pendingByAgreement].map(([agreementId, pendingOre]) => ({ agreementId, kind: 'submitted', invoiceId, pendingDeltaOre: pendingOre, approvedDeltaOre: 0 })),
    );
    await this.audit.record(manager, actor, {
      action: 'invoice.validated',
      entityType: 'invoice',
      entityId: invoiceId,
      change: {
        status: { from: target.kind === 'new' ? 'received' : 'draft', to: 'validated' },
        approvableOre: validated.approvableOre,
        errors: validated.errorCount,
        warnings: validated.warningCount,
        lines: validated.lines.length,
      },
    });
    return { id: invoiceId, stored };
  }

  private async insert(manager: EntityManager, supplierId: string, validated: ValidatedInvoice, contentHash: string, actor: Actor): Promise<{ invoice: InvoiceRow; deliveries: DeliveryRow[] }> {
    const { received } = validated;
    const invoice = await this.invoiceStore.insertValidated(manager, {
      supplierId,
      invoiceNumber: received.invoiceNumber,
      documentType: received.documentType,
      source: received.source,
      contentHash,
      issueDate: received.issueDate,
      periodFrom: received.period.from,
      periodTo: received.period.to,
      currency: received.currency,
      vatBasisPoints: validated.vatBasisPoints,
      netOre: validated.netOre,
      vatOre: validated.vatOre,
      totalOre: validated.totalOre,
      approvableOre: validated.approvableOre,
      errorCount: validated.errorCount,
      warningCount: validated.warningCount,
      findings: validated.findings,
      billingReferences: received.billingReferences,
      submittedBy: actor.userId,
    });
    const credit = received.documentType === 'credit_note';
    const deliveries: NewDelivery[] = validated.lines.map(({ line, grantId, approvableOre, findings, creditsDeliveryId }) => ({
      lineNo: line.lineNo,
      kind: credit ? 'credit' : 'session',
      grantId,
      grantReference: line.grantReference,
      date: line.date,
      minutes: line.minutes,
      contactForm: line.contactForm,
      transport: line.transport,
      rateOre: line.rateOre,
      amountOre: credit ? -line.amountOre : line.amountOre,
      approvableOre,
      status: 'pending',
      findings,
      description: line.description,
      creditsDeliveryId,
      registeredBy: null,
      invoiceLineNo: line.fromLog?.invoiceLineNo ?? null,
    }));
    const stored = await this.deliveryStore.insert(manager, invoice.id, supplierId, deliveries);
    await this.audit.record(manager, actor, {
      action: 'invoice.received',
      entityType: 'invoice',
      entityId: invoice.id,
      change: {
        invoiceNumber: received.invoiceNumber,
        source: received.source,
        documentType: received.documentType,
        lines: deliveries.length,
        netOre: validated.netOre,
        vatOre: validated.vatOre,
        totalOre: validated.totalOre,
        supplierId,
      },
    });
    return { invoice, deliveries: stored };
  }

  private async submitDraft(manager: EntityManager, target: Extract<RecordTarget, { kind: 'draft' }>, validated: ValidatedInvoice, actor: Actor): Promise<string> {
    await this.writeDraft(manager, target.invoiceId, target.deliveries, validated, 'pending');
    const submission = { issueDate: validated.received.issueDate, contentHash: (target.submit as { contentHash: string }).contentHash, by: actor.userId };
    if (!(await this.invoiceStore.transition(manager, target.invoiceId, 'draft', { to: 'validated', submitted: submission }, 'supplier'))) {
      throw DomainException.conflict('The month was submitted meanwhile', [{ field: 'status', rule: 'concurrent_change', message: 'the month is no longer a draft' }]);
    }
    return target.invoiceId;
  }

  // A draft's registrations with their findings and approvable amounts (pending once submitted), and its totals.
  private async writeDraft(manager: EntityManager, invoiceId: string, deliveries: DeliveryRow[], validated: ValidatedInvoice, status: 'draft' | 'pending'): Promise<void> {
    const byLine = new Map(validated.lines.map((l) => [l.line.lineNo, l]));
    const moved = await this.deliveryStore.transition(
      manager,
      deliveries.map((d) => ({ id: d.id, from: d.status, approvableOre: byLine.get(d.lineNo)?.approvableOre ?? 0, approvedOre: null, status, findings: byLine.get(d.lineNo)?.findings ?? [] })),
      'supplier',
    );
    if (!moved) throw changedMeanwhile();
    await this.invoiceStore.updateDraftTotals(manager, invoiceId, {
      netOre: validated.netOre,
      vatOre: validated.vatOre,
      totalOre: validated.totalOre,
      vatBasisPoints: validated.vatBasisPoints,
      approvableOre: validated.approvableOre,
      findings: validated.findings,
      errorCount: validated.errorCount,
      warningCount: validated.warningCount,
    });
  }

  private async sessions(manager: EntityManager, supplier: IntakeSupplier, received: ReceivedInvoice, stored?: { invoiceId: string; seq: string }): Promise<Decision> {
    const outcome = await this.facts.validate(manager, {
      supplierId: supplier.id,
      lines: received.lines.map((line) => ({ index: line.lineNo, grantReference: line.grantReference, date: line.date, minutes: line.minutes, rateOre: line.rateOre, amountOre: line.amountOre, ...(line.fromLog ? { fromLog: line.fromLog } : {}), ...(line.employee ? { employee: line.employee } : {}) })),
      period: received.period,
      totals: received.totals ?? undefined,
      vatRegistered: supplier.vatRegistered,
      // A draft holds nothing pending on its agreements until it is submitted.
      ...(stored ? { stored: { ...stored, pendingByAgreement: new Map<string, number>() } } : {}),
    });
    // The rules answer the lines in the invoice's order.
    const results = outcome.validation.lines;
    const pendingByAgreement = new Map<string, number>();
    received.lines.forEach((line, i) => {
      const grant = outcome.grants.get(line.grantReference);
      if (!grant || grant.supplierId !== supplier.id) return;
      pendingByAgreement.set(grant.agreementId, (pendingByAgreement.get(grant.agreementId) ?? 0) + results[i].approvableOre);
    });
    return {
      lines: results,
      findings: outcome.validation.findings,
      vatBasisPoints: outcome.vatBasisPoints,
      grantIds: ownGrantIds([...outcome.grants.values()], supplier.id),
      pendingByAgreement,
    };
  }

  private async credits(manager: EntityManager, supplier: IntakeSupplier, received: ReceivedInvoice): Promise<Decision> {
    const lines = received.lines.map((line) => ({ index: line.lineNo, grantReference: line.grantReference, date: line.date, minutes: line.minutes, amountOre: line.amountOre }));
    const references = [...new Set(lines.map((line) => line.grantReference))];
    const candidates = await this.deliveryStore.creditCandidates(manager, supplier.id, references);
    const matches = matchCredits(lines, candidates, received.billingReferences);
    const grants = await this.grants.invoicingFacts(manager, references);
    const terms = await this.agreements.invoicingTerms(manager, grants.filter((g) => g.supplierId === supplier.id).map((g) => g.agreementId));
    const firstTerms = [...terms.values()][0];
    return {
      lines: matches,
      findings: [],
      vatBasisPoints: supplier.vatRegistered ? (firstTerms?.vatBasisPoints ?? DEFAULT_VAT_BASIS_POINTS) : 0,
      grantIds: ownGrantIds(grants, supplier.id),
      pendingByAgreement: new Map(),
    };
  }
}

function ownGrantIds(grants: GrantInvoicingFacts[], supplierId: string): Map<string, string> {
  return new Map(grants.filter((grant) => grant.supplierId === supplierId).map((grant) => [grant.reference, grant.id]));
}

function changedMeanwhile(): DomainException {
  return DomainException.conflict('The month was changed meanwhile', [{ field: 'status', rule: 'concurrent_change', message: 'a registration is no longer in the state it was read in' }]);
}
