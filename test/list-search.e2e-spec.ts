import { randomBytes } from 'node:crypto';
import { supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** A CPR-shaped number with a birth date no other test citizen here has (day 29–31 of a 31-day month). */
function cprBornOn(day: number): string {
  return `${day}0185-${String(randomBytes(2).readUInt16BE(0) % 10000).padStart(4, '0')}`;
}

describe('searching lists', () => {
  let t: TestApp;
  let caseworker: TestUser;
  let supplier: SupplierWithGrants;
  let supplierUser: TestUser;
  let other: SupplierWithGrants;
  const cpr = cprBornOn(29);
  const caseNumber = `SAG-${randomBytes(3).toString('hex').toUpperCase()}`;
  let grant: { id: string; reference: string };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    caseworker = await makeUser(t, 'caseworker');
    supplier = await supplierWithGrants(t, { a: {}, b: {} });
    other = await supplierWithGrants(t, { a: {} });
    supplierUser = supplier.user;
    // A citizen with a known CPR number and case number, and a grant at the supplier.
    const citizen = await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr, name: 'Søgbar Borgersen', caseNumber, targetGroup: 'sickness_benefit' });
    expect(citizen.status).toBe(201);
    const made = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send({
      citizenId: citizen.body.id, agreementId: supplier.agreementId, mentorType: 'retention', serviceLevel: 1, minutesPerWeek: 60,
      start: '2026-09-01', end: '2027-02-28', goal: 'Fastholdelse i job', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678',
    });
    expect(made.status).toBe(201);
    grant = { id: made.body.id, reference: made.body.reference };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const staffSearch = async (q: string) => {
    const response = await t.http.get('/api/v1/grants').query({ q }).set(bearer(caseworker.token));
    expect(response.status).toBe(200);
    return response.body as { items: Array<{ id: string; reference: string; citizenName?: string; maskedCpr?: string; caseNumber?: string }>; nextCursor: string | null };
  };

  it('finds a grant for staff by case number, in part or whole, and by the citizen’s name', async () => {
    expect((await staffSearch(caseNumber)).items.map((g) => g.id)).toEqual([grant.id]);
    expect((await staffSearch(caseNumber.slice(4).toLowerCase())).items.map((g) => g.id)).toEqual([grant.id]);
    expect((await staffSearch('søgbar borg')).items.map((g) => g.reference)).toEqual([grant.reference]);
  });

  it('finds a grant for staff by the masked CPR number, the birth date, or the whole number', async () => {
    const masked = `${cpr.slice(0, 6)}-XXXX`;
    const found = await staffSearch(masked);
    expect(found.items.map((g) => g.id)).toEqual([grant.id]);
    expect(found.items[0].maskedCpr).toBe(masked);
    expect((await staffSearch(cpr.slice(0, 6))).items.map((g) => g.id)).toEqual([grant.id]);
    expect((await staffSearch(cpr)).items.map((g) => g.id)).toEqual([grant.id]);
    expect((await staffSearch(cpr.replace('-', ''))).items.map((g) => g.id)).toEqual([grant.id]);
    // Another number with the same birth date finds nothing: a whole number is matched exactly.
    expect((await staffSearch(`${cpr.slice(0, 7)}${cpr.endsWith('0000') ? '0001' : '0000'}`)).items).toEqual([]);
  });

  it('never lets a supplier search by CPR number or name, and shows it no citizen', async () => {
    const search = async (q: string) => {
      const response = await t.http.get('/api/v1/grants').query({ q }).set(bearer(supplierUser.token));
      expect(response.status).toBe(200);
      return response.body as { items: Array<Record<string, unknown>> };
    };
    expect((await search(cpr)).items).toEqual([]);
    expect((await search(cpr.replace('-', ''))).items).toEqual([]);
    expect((await search(`${cpr.slice(0, 6)}-XXXX`)).items).toEqual([]);
    expect((await search(cpr.slice(0, 6))).items).toEqual([]);
    expect((await search('Søgbar')).items).toEqual([]);
    expect((await search(caseNumber)).items).toEqual([]);
    // Its own grant by reference, without the citizen; another supplier's grant is not found.
    const own = await search(grant.reference);
    expect(own.items.map((g) => g.id)).toEqual([grant.id]);
    expect(own.items[0]).not.toHaveProperty('citizenName');
    expect(own.items[0]).not.toHaveProperty('maskedCpr');
    expect(own.items[0]).not.toHaveProperty('caseNumber');
    expect((await search(other.grants.a.reference)).items).toEqual([]);
    // Sorting by citizen is not for suppliers: the list comes by reference.
    const sorted = await t.http.get('/api/v1/grants').query({ sort: 'citizen' }).set(bearer(supplierUser.token));
    expect(sorted.status).toBe(200);
    const references = (sorted.body.items as Array<{ reference: string }>).map((g) => g.reference);
    expect(references).toEqual([...references].sort());
  });

  it('searches the grants page for staff, and the page shows the masked number only', async () => {
    const page = await t.http.get('/grants').query({ q: `${cpr.slice(0, 6)}-XXXX` }).set(bearer(caseworker.token));
    expect(page.status).toBe(200);
    expect(page.text).toContain(grant.reference);
    expect(page.text).toContain(`${cpr.slice(0, 6)}-XXXX`);
    expect(page.text).not.toContain(cpr);
    const none = await t.http.get('/grants').query({ q: 'ingen-saadan-borger' }).set(bearer(caseworker.token));
    expect(none.text).toContain('Søgningen gav ingen resultater.');
  });

  it('offers on the new-grant page only the citizens a search finds, not every citizen', async () => {
    const empty = await t.http.get('/grants/new').set(bearer(caseworker.token));
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('Søg først efter borgeren');
    expect(empty.text).not.toContain('Søgbar Borgersen');
    expect(empty.text).not.toContain('Borger a');
    const found = await t.http.get('/grants/new').query({ citizenQuery: caseNumber }).set(bearer(caseworker.token));
    expect(found.text).toContain('Borgere fundet: 1.');
    expect(found.text).toMatch(/<option value="[0-9a-f-]{36}" selected>Søgbar Borgersen \(\d{6}-XXXX, SAG-/);
    expect(found.text).not.toContain('Borger a');
    const byBirthDate = await t.http.get('/grants/new').query({ citizenQuery: cpr.slice(0, 6) }).set(bearer(caseworker.token));
    expect(byBirthDate.text).toContain('Søgbar Borgersen');
    const none = await t.http.get('/grants/new').query({ citizenQuery: 'ingen-saadan' }).set(bearer(caseworker.token));
    expect(none.text).toContain('Ingen borgere passer på søgningen.');
  });

  it('pages citizens in the API, the array kept and the next page in the Link header', async () => {
    const first = await t.http.get('/api/v1/citizens').query({ limit: 1 }).set(bearer(caseworker.token));
    expect(first.status).toBe(200);
    expect(Array.isArray(first.body)).toBe(true);
    expect(first.body).toHaveLength(1);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link ?? '')?.[1];
    expect(next).toMatch(/^\/api\/v1\/citizens\?limit=1&cursor=/);
    const second = await t.http.get(next as string).set(bearer(caseworker.token));
    expect(second.body).toHaveLength(1);
    expect(second.body[0].id).not.toBe(first.body[0].id);
    expect(second.headers.link).toContain('rel="prev"');
    const masked = await t.http.get('/api/v1/citizens').query({ q: `${cpr.slice(0, 6)}-XXXX` }).set(bearer(caseworker.token));
    expect(masked.body.map((c: { name: string }) => c.name)).toEqual(['Søgbar Borgersen']);
  });

  it('shows the whole due list a page at a time to staff, linked from the dashboard, and to no supplier or finance', async () => {
    const dashboard = await t.http.get('/').set(bearer(caseworker.token));
    expect(dashboard.text).toContain('href="/grants/due"');
    const all = await t.http.get('/grants/due').set(bearer(caseworker.token));
    expect(all.status).toBe(200);
    expect(all.text).toContain(supplier.grants.a.reference);
    expect(all.text).toContain(supplier.grants.b.reference);
    expect(all.text).toContain(other.grants.a.reference);
    // One grant a page: every grant's tasks once over the pages.
    const seen: string[] = [];
    let next: string | undefined = '/grants/due?limit=1';
    for (let pages = 0; next && pages < 10; pages += 1) {
      const page: { status: number; text: string } = await t.http.get(next.replace(/&amp;/g, '&')).set(bearer(caseworker.token));
      expect(page.status).toBe(200);
      seen.push(...[...page.text.matchAll(/<a href="\/grants\/[0-9a-f-]{36}">(MS-\d{4}-\d{6})<\/a>/g)].map((m) => m[1]));
      next = /<a rel="next" href="([^"]+)">/.exec(page.text)?.[1];
    }
    for (const reference of [supplier.grants.a.reference, supplier.grants.b.reference, other.grants.a.reference]) expect(seen).toContain(reference);
    expect((await t.http.get('/grants/due').set(bearer(supplierUser.token)).set('Accept', 'text/html')).status).toBe(403);
    expect((await t.http.get('/grants/due').set(bearer((await makeUser(t, 'finance')).token)).set('Accept', 'text/html')).status).toBe(403);
  });

  it('searches and pages suppliers on the procurement page and in the API', async () => {
    const procurement = await makeUser(t, 'procurement');
    const name = (await t.http.get(`/api/v1/suppliers/${supplier.supplierId}`).set(bearer(procurement.token))).body.name as string;
    const page = await t.http.get('/procurement/suppliers').query({ q: name.slice(7, 13) }).set(bearer(procurement.token));
    expect(page.status).toBe(200);
    expect(page.text).toContain(name);
    expect((await t.http.get('/procurement/suppliers').query({ q: 'ingen-saadan' }).set(bearer(procurement.token))).text).toContain('Søgningen gav ingen resultater.');
    const first = await t.http.get('/api/v1/suppliers').query({ limit: 1, sort: 'cvr' }).set(bearer(procurement.token));
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(1);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link ?? '')?.[1];
    const second = await t.http.get(next as string).set(bearer(procurement.token));
    expect(second.body[0].cvr > first.body[0].cvr).toBe(true);
    // A supplier user searching finds only itself.
    const own = await t.http.get('/api/v1/suppliers').query({ q: '' + other.cvr }).set(bearer(supplierUser.token));
    expect(own.body).toEqual([]);
  });

  it('searches and sorts users on the admin page', async () => {
    const admin = await makeUser(t, 'admin');
    const page = await t.http.get('/admin/users').query({ q: caseworker.email.split('@')[0], sort: 'email' }).set(bearer(admin.token));
    expect(page.status).toBe(200);
    expect(page.text).toContain(caseworker.email);
    expect(page.text).not.toContain(supplierUser.email);
    expect(page.text).toContain('aria-sort="ascending"');
  });

  it('pages grants with a stable cursor, forward and back, and says so in the API', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    let previous: string | null = null;
    do {
      const response: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null; prevCursor: string | null } } = await t.http.get('/api/v1/grants').query({ sort: 'start', limit: 1, ...(cursor ? { cursor } : {}) }).set(bearer(caseworker.token));
      expect(response.status).toBe(200);
      all.push(...response.body.items.map((g) => g.id));
      previous = response.body.prevCursor;
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const back = await t.http.get('/api/v1/grants').query({ sort: 'start', limit: 1, cursor: previous }).set(bearer(caseworker.token));
    expect(back.body.items.map((g: { id: string }) => g.id)).toEqual([all[all.length - 2]]);
    const bad = await t.http.get('/api/v1/grants').query({ cursor: 'not a cursor!' }).set(bearer(caseworker.token));
    expect(bad.status).toBe(422);
  });

  it('searches and pages invoices through the API by number with nextCursor, keeping the old shape', async () => {
    const finance = await makeUser(t, 'finance');
    for (let n = 1; n <= 3; n += 1) {
      const response = await t.http.post('/api/v1/invoices').set(bearer(supplierUser.token)).send({
        invoiceNumber: `LISTE-${n}`, issueDate: '2026-11-20', lines: [{ grantReference: supplier.grants.a.reference, date: `2026-10-0${n + 4}`, minutes: 15, rateOre: 45_000, contactForm: 'in_person' }],
      });
      expect(response.status).toBe(201);
    }
    const first = await t.http.get('/api/v1/invoices').query({ q: 'liste-', sort: 'number', limit: 2 }).set(bearer(finance.token));
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual(['LISTE-1', 'LISTE-2']);
    const second = await t.http.get('/api/v1/invoices').query({ q: 'liste-', sort: 'number', limit: 2, cursor: first.body.nextCursor }).set(bearer(finance.token));
    expect(second.body.items.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual(['LISTE-3']);
    expect(second.body.nextCursor).toBeNull();
    // Another supplier searching finds none of them.
    const stranger = await t.http.get('/api/v1/invoices').query({ q: 'LISTE' }).set(bearer(other.user.token));
    expect(stranger.body.items).toEqual([]);
  });
});
