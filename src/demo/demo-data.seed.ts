import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Role } from '../common/actor';
import { UsersService } from '../identity/users.service';
import { DemoAgreementsSeed } from './demo-agreements.seed';
import { DemoInvoicesSeed } from './demo-invoices.seed';

export interface DemoSignIn {
  role: Role;
  email: string;
  password: string;
  /** A supplier user's supplier, by CVR. */
  supplierCvr?: string;
  name?: string;
}

/** The demo sign-ins, documented in the README. Demo data only: never used outside embedded/demo databases. */
export const DEMO_SIGN_INS: readonly DemoSignIn[] = [
  { role: 'admin', email: 'admin@demo.mentorportal.dk', password: 'Demo-Admin-2026!' },
  { role: 'procurement', email: 'indkob@demo.mentorportal.dk', password: 'Demo-Indkob-2026!' },
  { role: 'caseworker', email: 'sagsbehandler@demo.mentorportal.dk', password: 'Demo-Sagsbeh-2026!' },
  { role: 'finance', email: 'okonomi@demo.mentorportal.dk', password: 'Demo-Okonomi-2026!' },
  { role: 'supplier', email: 'leverandor@demo.mentorportal.dk', password: 'Demo-Leverandor-2026!', supplierCvr: '29143471' },
  { role: 'supplier', email: 'virksomhed@demo.mentorportal.dk', password: 'Demo-Virksomhed-2026!', supplierCvr: '41872144', name: 'Bent Kollega' },
];

const DEMO_NAMES: Record<Role, string> = {
  admin: 'Aase Administrator',
  procurement: 'Ib Indkøber',
  caseworker: 'Signe Sagsbehandler',
  finance: 'Øivind Økonomi',
  supplier: 'Lise Leverandør',
};

/** Demo suppliers with valid CVR (modulus 11) and GLN (GS1) numbers. */
export const DEMO_SUPPLIERS = [
  { name: 'Mentorhuset ApS', cvr: '29143471', gln: '5790001234560', kind: 'mentor_supplier' },
  { name: 'Vejen Videre Mentorservice A/S', cvr: '35619313', gln: null, kind: 'mentor_supplier' },
  { name: 'Nordsjællands Byggemarked A/S', cvr: '41872144', gln: '5790009876540', kind: 'partner_company' },
] as const;

/** Creates the demo users and data; re-runnable, it adds only what is missing. */
@Injectable()
export class DemoDataSeed {
  private readonly logger = new Logger('DemoDataSeed');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly agreements: DemoAgreementsSeed,
    private readonly invoices: DemoInvoicesSeed,
  ) {}

  async run(): Promise<{ created: number }> {
    const actor = systemActor('seed');
    let created = 0;
    for (const supplier of DEMO_SUPPLIERS) {
      created += await this.dataSource.transaction(async (manager) => {
        const rows: Array<{ id: string }> = await manager.query(
          `INSERT INTO supplier (name, cvr, gln, kind) VALUES ($1, $2, $3, $4) ON CONFLICT (cvr) DO NOTHING RETURNING id`,
          [supplier.name, supplier.cvr, supplier.gln, supplier.kind],
        );
        if (rows.length === 0) return 0;
        await this.audit.record(manager, actor, { action: 'supplier.created', entityType: 'supplier', entityId: rows[0].id, change: { ...supplier } });
        return 1;
      });
    }
    const suppliers = (await this.dataSource.query(`SELECT id, cvr FROM supplier WHERE cvr = ANY($1)`, [DEMO_SUPPLIERS.map((s) => s.cvr)])) as Array<{ id: string; cvr: string }>;
    const supplierId = new Map(suppliers.map((s) => [s.cvr, s.id]));
    const existing = new Set((await this.users.list()).map((user) => user.email));
    for (const signIn of DEMO_SIGN_INS) {
      if (existing.has(signIn.email)) continue;
      await this.users.create(
        { email: signIn.email, displayName: signIn.name ?? DEMO_NAMES[signIn.role], role: signIn.role, supplierId: signIn.supplierCvr ? (supplierId.get(signIn.supplierCvr) ?? null) : null, password: signIn.password, language: 'da' },
        actor,
      );
      created += 1;
    }
    created += await this.agreements.run();
    const finance = (await this.users.list()).find((user) => user.email === DEMO_SIGN_INS.find((s) => s.role === 'finance')!.email);
    if (finance) created += await this.invoices.run({ userId: finance.id, role: 'finance', label: finance.email });
    if (created > 0) this.logger.log(`demo data: ${created} records created`);
    return { created };
  }

  async isEmpty(): Promise<boolean> {
    const [{ count }] = (await this.dataSource.query(`SELECT count(*)::int AS count FROM app_user`)) as Array<{ count: number }>;
    return count === 0;
  }
}
