import { bearer, makeSupplier, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface AuditRow {
  action: string;
  entityId: string | null;
  actorUserId: string | null;
  change: Record<string, unknown>;
}

describe('users and the audit log', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await makeUser(t, 'admin');
  });
  afterAll(() => t.close());

  async function auditOf(entityId: string): Promise<AuditRow[]> {
    const response = await t.http.get('/api/v1/audit').query({ entityType: 'user', entityId }).set(bearer(admin.token)).expect(200);
    return response.body as AuditRow[];
  }

  it('lets an admin create a user who can then sign in, and audits it with the actor', async () => {
    const created = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ email: 'Ny.Bruger@Kommune.dk', displayName: 'Ny Bruger', role: 'caseworker', password: 'En-lang-adgangskode-1' })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'ny.bruger@kommune.dk', role: 'caseworker', supplierId: null, active: true, language: 'da' });
    expect(created.body.passwordHash).toBeUndefined();
    await t.http.post('/api/v1/auth/login').send({ email: 'ny.bruger@kommune.dk', password: 'En-lang-adgangskode-1' }).expect(200);
    const audit = await auditOf(created.body.id);
    expect(audit.map((entry) => entry.action)).toEqual(['auth.login', 'user.created']);
    expect(audit[1]).toMatchObject({ actorUserId: admin.id, change: { email: 'ny.bruger@kommune.dk', role: 'caseworker', displayName: 'Ny Bruger', supplierId: null } });
    expect(JSON.stringify(audit)).not.toContain('En-lang-adgangskode-1');
  });

  it('refuses a duplicate e-mail with 409 and stores nothing more', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`);
    const response = await t.http.post('/api/v1/users').set(bearer(admin.token)).send({ email: admin.email, displayName: 'Twin', role: 'finance', password: 'En-lang-adgangskode-1' }).expect(409);
    expect(response.body.details).toEqual([{ field: 'email', rule: 'unique', message: 'the e-mail is already in use' }]);
    const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`);
    expect(after[0].n).toBe(before[0].n);
  });

  it.each([
    [{ role: 'supplier' }, 'supplierId', 'required_for_supplier_role'],
    [{ role: 'finance', supplierId: '00000000-0000-4000-8000-000000000001' }, 'supplierId', 'only_for_supplier_role'],
    [{ role: 'supplier', supplierId: '00000000-0000-4000-8000-000000000001' }, 'supplierId', 'exists'],
    [{ role: 'chief' }, 'role', 'isIn'],
    [{ role: 'finance', password: 'short' }, 'password', 'minLength'],
    // Twelve characters long but guessed at once: the password policy (zxcvbn) refuses it.
    [{ role: 'finance', password: 'aaaaaaaaaaaa' }, 'password', 'password_strength'],
    [{ role: 'finance', password: 'Password1234' }, 'password', 'password_strength'],
    [{ role: 'finance', email: 'not-an-email' }, 'email', 'isEmail'],
  ])('refuses %j with 422 naming %s', async (override, field, rule) => {
    const body = { email: `x-${Math.random().toString(36).slice(2)}@kommune.dk`, displayName: 'X', password: 'En-lang-adgangskode-1', ...override };
    const response = await t.http.post('/api/v1/users').set(bearer(admin.token)).send(body).expect(422);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    const rows = await t.dataSource.query(`SELECT 1 FROM app_user WHERE email = $1`, [body.email]);
    expect(rows).toHaveLength(0);
  });

  it('links a supplier user to its supplier', async () => {
    const supplier = await makeSupplier(t);
    const response = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ email: `lev-${supplier.cvr}@leverandor.dk`, displayName: 'Lev', role: 'supplier', supplierId: supplier.id, password: 'En-lang-adgangskode-1' })
      .expect(201);
    expect(response.body.supplierId).toBe(supplier.id);
  });

  it('resets a password: the old one and every open session stop working', async () => {
    const user = await makeUser(t, 'procurement');
    await t.http.post(`/api/v1/users/${user.id}/reset-password`).set(bearer(admin.token)).send({ newPassword: 'Helt-ny-adgangskode-2' }).expect(204);
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'Helt-ny-adgangskode-2' }).expect(200);
    expect((await auditOf(user.id)).map((entry) => entry.action)).toContain('user.password_reset');
  });

  it('answers an unknown user with 404 and a malformed id with 400', async () => {
    await t.http.post('/api/v1/users/00000000-0000-4000-8000-000000000009/reset-password').set(bearer(admin.token)).send({ newPassword: 'Helt-ny-adgangskode-2' }).expect(404);
    const response = await t.http.get('/api/v1/users/not-a-uuid').set(bearer(admin.token)).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [] });
  });

  it('records the role change with from and to, and signs the user out', async () => {
    const user = await makeUser(t, 'caseworker');
    await t.http.patch(`/api/v1/users/${user.id}`).set(bearer(admin.token)).send({ role: 'finance' }).expect(200);
    const [latest] = await auditOf(user.id);
    expect(latest).toMatchObject({ action: 'user.updated', change: { role: { from: 'caseworker', to: 'finance' } } });
    await t.http.get('/api/v1/auth/me').set(bearer(user.token)).expect(401);
  });

  it('does not let an admin demote itself', async () => {
    const response = await t.http.patch(`/api/v1/users/${admin.id}`).set(bearer(admin.token)).send({ role: 'finance' }).expect(422);
    expect(response.body.details[0].rule).toBe('not_self');
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await expect(t.dataSource.query(`UPDATE audit_entry SET action = 'x.y'`)).rejects.toThrow('audit_entry is append-only');
    await expect(t.dataSource.query(`DELETE FROM audit_entry`)).rejects.toThrow('audit_entry is append-only');
  });

  it('writes the audit entry in the same transaction as the change', async () => {
    // A unique-key failure inside the transaction must leave neither the user nor its audit entry.
    const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'user.created'`))[0].n as number;
    const before = await count();
    await t.http.post('/api/v1/users').set(bearer(admin.token)).send({ email: admin.email, displayName: 'Dup', role: 'finance', password: 'En-lang-adgangskode-1' }).expect(409);
    expect(await count()).toBe(before);
  });
});
