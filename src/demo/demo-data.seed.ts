import { Injectable, Logger } from '@nestjs/common';
import { systemActor, type Role } from '../common/actor';
import { UsersService } from '../identity/users.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { DemoAgreementsSeed } from './demo-agreements.seed';
import { DEMO_SUPPLIERS, demoSupplierIds } from './demo-suppliers';
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
  { role: 'team_leader', email: 'teamleder@demo.mentorportal.dk', password: 'Demo-Teamleder-2026!' },
  { role: 'finance', email: 'okonomi@demo.mentorportal.dk', password: 'Demo-Okonomi-2026!' },
  { role: 'supplier', email: 'leverandor@demo.mentorportal.dk', password: 'Demo-Leverandor-2026!', supplierCvr: '29143471' },
  { role: 'supplier', email: 'virksomhed@demo.mentorportal.dk', password: 'Demo-Virksomhed-2026!', supplierCvr: '41872144', name: 'Bent Kollega' },
];

const DEMO_NAMES: Record<Role, string> = {
  admin: 'Aase Administrator',
  procurement: 'Ib Indkøber',
  caseworker: 'Signe Sagsbehandler',
  team_leader: 'Tove Teamleder',
  finance: 'Øivind Økonomi',
  supplier: 'Lise Leverandør',
};

/** Creates the demo users and data through the modules' services; re-runnable, it adds only what is missing. */
@Injectable()
export class DemoDataSeed {
  private readonly logger = new Logger('DemoDataSeed');

  constructor(
    private readonly users: UsersService,
    private readonly suppliers: SuppliersService,
    private readonly agreements: DemoAgreementsSeed,
    private readonly invoices: DemoInvoicesSeed,
  ) {}

  async run(): Promise<{ created: number }> {
    const actor = systemActor('seed');
    let created = 0;
    const supplierId = await demoSupplierIds(this.suppliers);
    for (const supplier of DEMO_SUPPLIERS) {
      if (supplierId.has(supplier.cvr)) continue;
      supplierId.set(supplier.cvr, (await this.suppliers.create({ name: supplier.name, cvr: supplier.cvr, gln: supplier.gln, kind: supplier.kind }, actor)).id);
      created += 1;
    }
    const existing = new Set((await this.users.list()).map((user) => user.email));
    for (const signIn of DEMO_SIGN_INS) {
      if (existing.has(signIn.email)) continue;
      await this.users.create(
        { email: signIn.email, displayName: signIn.name ?? DEMO_NAMES[signIn.role], role: signIn.role, supplierId: signIn.supplierCvr ? (supplierId.get(signIn.supplierCvr) ?? null) : null, password: signIn.password, language: 'da' },
        actor,
      );
      created += 1;
    }
    const demoUser = async (role: Role) => (await this.users.list()).find((user) => user.email === DEMO_SIGN_INS.find((s) => s.role === role)!.email);
    const teamLeader = await demoUser('team_leader');
    created += await this.agreements.run(teamLeader ? { userId: teamLeader.id, role: 'team_leader', label: teamLeader.email } : null);
    const finance = await demoUser('finance');
    if (finance) created += await this.invoices.run({ userId: finance.id, role: 'finance', label: finance.email });
    if (created > 0) this.logger.log(`demo data: ${created} records created`);
    return { created };
  }

  async isEmpty(): Promise<boolean> {
    return (await this.users.list()).length === 0;
  }
}
