import { Injectable } from '@nestjs/common';
import { systemActor, type Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CitizensService } from '../grants/citizens.service';
import { GrantsService } from '../grants/grants.service';
import { lineAmountOre } from '../invoices/invoice-amounts';
import { InvoiceReviewService } from '../invoices/invoice-review.service';
import { InvoicesService } from '../invoices/invoices.service';
import type { ParsedInvoice, ParsedLine } from '../invoices/parsed-invoice';
import { receiveInvoice } from '../invoices/received-invoice';
import { SuppliersService } from '../suppliers/suppliers.service';
import { DEMO_CITIZENS, LEVEL_RATES_ORE } from './demo-agreements.seed';
import { demoSupplierIds } from './demo-suppliers';

interface DemoLine {
  caseNumber: string;
  date: string;
  minutes: number;
}

/**
 * Two invoices from Mentorhuset ApS: September, approved by the demo finance user, and October, waiting in
 * finance's inbox with one week above the granted 90 minutes. Both go through the real intake and review.
 */
const DEMO_INVOICES: Array<{ number: string; issueDate: string; approve: boolean; lines: DemoLine[] }> = [
  {
    number: 'MH-2026-0917',
    issueDate: '2026-10-02',
    approve: true,
    lines: ['2026-09-02', '2026-09-09', '2026-09-16', '2026-09-23', '2026-09-30'].map((date) => ({ caseNumber: 'JC-2026-0101', date, minutes: 60 })),
  },
  {
    number: 'MH-2026-1031',
    issueDate: '2026-11-03',
    approve: false,
    lines: [
      ...['2026-10-07', '2026-10-14', '2026-10-21', '2026-10-28'].map((date) => ({ caseNumber: 'JC-2026-0101', date, minutes: 60 })),
      { caseNumber: 'JC-2026-0101', date: '2026-10-16', minutes: 45 },
      ...['2026-10-06', '2026-10-08', '2026-10-13', '2026-10-15'].map((date) => ({ caseNumber: 'JC-2026-0103', date, minutes: 90 })),
    ],
  },
];

const MENTORHUSET_CVR = '29143471';

@Injectable()
export class DemoInvoicesSeed {
  constructor(
    private readonly suppliers: SuppliersService,
    private readonly citizens: CitizensService,
    private readonly grants: GrantsService,
    private readonly invoices: InvoicesService,
    private readonly review: InvoiceReviewService,
  ) {}

  /** Creates the demo invoices that are missing; `approver` approves the September one. */
  async run(approver: Actor): Promise<number> {
    const supplierId = (await demoSupplierIds(this.suppliers)).get(MENTORHUSET_CVR);
    if (!supplierId) return 0;
    let created = 0;
    for (const demo of DEMO_INVOICES) {
      const lines = await this.lines(demo.lines);
      if (lines === null) continue;
      const parsed: ParsedInvoice = {
        source: 'json',
        documentType: 'invoice',
        invoiceNumber: demo.number,
        issueDate: demo.issueDate,
        currency: 'DKK',
        seller: { cvr: MENTORHUSET_CVR, gln: null, name: null },
        orderReference: null,
        periodFrom: `${demo.lines[0].date.slice(0, 7)}-01`,
        periodTo: demo.lines.reduce((last, line) => (line.date > last ? line.date : last), demo.lines[0].date),
        lines,
        totals: null,
        billingReferences: [],
      };
      // Received as the portal receives any invoice, on its issue date.
      const received = receiveInvoice(parsed, parsed.issueDate);
      if (!received.ok) continue;
      const result = await this.invoices.submit(received.invoice, supplierId, AccessScope.unrestricted(), systemActor('seed'));
      if (!result.created) continue;
      created += 1;
      if (demo.approve) await this.review.approve(result.invoice.id, approver);
    }
    return created;
  }

  /** The lines on the demo citizens' grants (each has one), found through the grants module; null while a grant is missing. */
  private async lines(lines: DemoLine[]): Promise<ParsedLine[] | null> {
    const byCase = new Map<string, { reference: string; serviceLevel: number }>();
    for (const caseNumber of new Set(lines.map((line) => line.caseNumber))) {
      const citizen = DEMO_CITIZENS.find((c) => c.caseNumber === caseNumber);
      const [found] = citizen ? await this.citizens.list({ cpr: citizen.cpr, limit: 1 }) : [];
      const [grant] = found ? await this.grants.ofCitizen(found.id) : [];
      if (!grant) return null;
      byCase.set(caseNumber, grant);
    }
    return lines.map((line, i) => {
      const grant = byCase.get(line.caseNumber)!;
      const rateOre = LEVEL_RATES_ORE[grant.serviceLevel - 1];
      return {
        lineNo: i + 1,
        grantReference: grant.reference,
        date: line.date,
        minutes: line.minutes,
        quantityText: String(line.minutes),
        unitCode: 'MIN',
        rateOre,
        amountOre: lineAmountOre(line.minutes, rateOre),
        contactForm: i % 3 === 2 ? 'phone' : 'in_person',
        transport: null,
        description: null,
      };
    });
  }
}
