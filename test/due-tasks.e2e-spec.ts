import { compareOpenTasks, dueTasks, taskState, type DueTask, type TaskState } from '../src/grants/grant.rules';
import { ruleSetInForce, type RuleSetValues } from '../src/rules/rule-set';
import { JobQueue } from '../src/common/queue/job-queue';
import { DueTaskOrderProcessor } from '../src/grants/due-task-order.processor';
import { TEST_TODAY } from './support/test-env';
import { approveGrant, makeAgreement, makeSupplierViaApi } from './support/factories';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface ListedTask {
  kind: string;
  due: string;
  state: string;
  grantId: string;
  reference: string;
}

/** A supplier with a framework agreement 2026-01-01..2027-12-31, a citizen and a caseworker. */
async function world(t: TestApp): Promise<{ caseworker: TestUser; supplierUser: TestUser; agreementId: string; citizenId: string }> {
  const caseworker = await makeUser(t, 'caseworker');
  const supplier = await makeSupplierViaApi(t, { name: 'Opgavehuset ApS' });
  const agreement = await makeAgreement(t, supplier.id);
  const citizen = await t.http
    .post('/api/v1/citizens')
    .set(bearer(caseworker.token))
    .send({ cpr: '1203851234', name: 'Opgave Testesen', caseNumber: 'J-2026-00042', targetGroup: 'activity_ready_cash_benefit' });
  if (citizen.status !== 201) throw new Error(JSON.stringify(citizen.body));
  return { caseworker, supplierUser: await makeUser(t, 'supplier', supplier.id), agreementId: agreement.id, citizenId: citizen.body.id as string };
}

function grantBody(agreementId: string, citizenId: string, start: string, end: string) {
  return {
    citizenId,
    agreementId,
    mentorType: 'retention',
    serviceLevel: 1,
    minutesPerWeek: 120,
    start,
    end,
    goal: 'Fastholdelse i job.',
    tasks: 'Ugentlige møder på arbejdspladsen.',
    mentorName: 'Mette Mentor',
    mentorPhone: '+45 40 00 00 42',
  };
}

/** POSTs and expects 201, naming the answer when it is not. */
async function created(t: TestApp, path: string, token: string, body: object): Promise<{ id: string }> {
  const response = await t.http.post(path).set(bearer(token)).send(body);
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  // A proposed grant has no tasks: the team leader approves it from its start.
  if (path === '/api/v1/grants') await approveGrant(t, response.body.id, response.body.start);
  return response.body as { id: string };
}

const brief = (tasks: ListedTask[]) => tasks.map((task) => `${task.reference} ${task.kind} ${task.due} ${task.state}`);

describe('the caseworkers’ due tasks', () => {
  describe('with more active grants than the list shows', () => {
    let t: TestApp;
    let caseworker: TestUser;

    beforeAll(async () => {
      t = await startTestApp({ redis: false });
      const w = await world(t);
      caseworker = w.caseworker;
      const base = await created(t, '/api/v1/grants', caseworker.token, grantBody(w.agreementId, w.citizenId, '2026-08-03', '2027-01-29'));
      // The approval's job has stored the base grant's date before the others arrive unset, so no job runs during the list.
      await t.app.get(JobQueue).drain();
      // 259 more, straight into the table: each starts a day later and lasts 40 to 299 days, so first tasks fall on many
      // dates; their references are shuffled, so the order of references says nothing of the order of tasks.
      await t.dataSource.query(
        `INSERT INTO mentor_grant (reference, citizen_id, agreement_id, supplier_id, mentor_type, service_level, minutes_per_week, start_date, end_date,
                                   original_end_date, target_group_at_start, goal, tasks, mentor_name, status, active_from)
         SELECT 'MS-2026-' || lpad((900001 + (i * 97) % 259)::text, 6, '0'), g.citizen_id, g.agreement_id, g.supplier_id, g.mentor_type, g.service_level, g.minutes_per_week,
                g.start_date + i, g.start_date + i + 40 + (i * 37) % 260, g.start_date + i + 40 + (i * 37) % 260, g.target_group_at_start, g.goal, g.tasks, g.mentor_name, 'active',
                g.start_date + i
           FROM mentor_grant g CROSS JOIN generate_series(1, 259) AS i WHERE g.id = $1`,
        [base.id],
      );
    });
    afterAll(async () => {
      await t.close();
    });

    it('lists the first 200 open tasks of all 260 active grants, overdue first, as if it had read every grant', async () => {
      const list = await t.http.get('/api/v1/due-tasks?limit=200').set(bearer(caseworker.token)).expect(200);
      const listed = list.body as ListedTask[];
      expect(listed).toHaveLength(200);

      // The same list computed the slow way, from every active grant and the pure rules.
      const versions = (await t.http.get('/api/v1/rule-sets').set(bearer(caseworker.token)).expect(200)).body as Array<{ effectiveFrom: string; values: RuleSetValues }>;
      const grants = (await t.dataSource.query(
        `SELECT g.id, g.reference, g.start_date::text AS start, g.end_date::text AS "end" FROM mentor_grant g WHERE g.status = 'active'`,
      )) as Array<{ id: string; reference: string; start: string; end: string }>;
      expect(grants).toHaveLength(260);
      const all: Array<DueTask & { state: TaskState; grantId: string; reference: string }> = [];
      for (const grant of grants) {
        const ruleSet = ruleSetInForce(versions, grant.start).values;
        for (const task of dueTasks({ start: grant.start, end: grant.end, ruleSet })) {
          const state = taskState(task, { grantActive: true, today: TEST_TODAY });
          if (state !== 'done') all.push({ ...task, state, grantId: grant.id, reference: grant.reference });
        }
      }
      all.sort((a, b) => compareOpenTasks(a, b) || a.reference.localeCompare(b.reference));
      expect(all.length).toBeGreaterThan(400);
      expect(brief(listed)).toEqual(brief(all.slice(0, 200) as ListedTask[]));
      expect(listed.some((task) => task.state === 'overdue') && listed.some((task) => task.state === 'due')).toBe(true);

      // Without a limit, the first 50 of the same list; a limit out of range names the field.
      const first = await t.http.get('/api/v1/due-tasks').set(bearer(caseworker.token)).expect(200);
      expect(brief(first.body as ListedTask[])).toEqual(brief(listed.slice(0, 50)));
      const tooMany = await t.http.get('/api/v1/due-tasks?limit=201').set(bearer(caseworker.token)).expect(422);
      expect(tooMany.body.details).toEqual([expect.objectContaining({ field: 'limit' })]);
    });
  });

  describe('as grants change', () => {
    let t: TestApp;
    let w: Awaited<ReturnType<typeof world>>;
    let admin: TestUser;

    beforeAll(async () => {
      t = await startTestApp({ redis: false });
      w = await world(t);
      admin = await makeUser(t, 'admin');
    });
    afterAll(async () => {
      await t.close();
    });

    const tasksOf = async (grantId: string): Promise<string[]> => {
      const list = await t.http.get('/api/v1/due-tasks?limit=200').set(bearer(w.caseworker.token)).expect(200);
      return (list.body as ListedTask[]).filter((task) => task.grantId === grantId).map((task) => `${task.kind} ${task.due} ${task.state}`);
    };

    it('follows a new grant, a progress report, an extension, an ended grant and a new rule set', async () => {
      const { id } = await created(t, '/api/v1/grants', w.caseworker.token, grantBody(w.agreementId, w.citizenId, '2026-09-07', '2027-02-26'));
      // Follow-ups 13 weeks apart, the evaluation 14 days before the end; the business day is 2026-11-25.
      expect(await tasksOf(id)).toEqual(['follow_up 2026-12-07 due', 'evaluation 2027-02-12 due']);

      await t.http
        .post(`/api/v1/grants/${id}/progress-reports`)
        .set(bearer(w.supplierUser.token))
        .send({ dueDate: '2026-12-07', progress: 'Godt i gang', hoursUsedFor: 'Møder', deliverySummary: '12 møder' })
        .expect(201);
      // A supplier's progress report closes no task: the caseworker records the follow-up.
      expect(await tasksOf(id)).toEqual(['follow_up 2026-12-07 due', 'evaluation 2027-02-12 due']);

      await t.http.post(`/api/v1/grants/${id}/extend`).set(bearer(w.caseworker.token)).send({ newEnd: '2027-03-05' }).expect(200);
      expect(await tasksOf(id)).toEqual(['follow_up 2026-12-07 due', 'evaluation 2027-02-19 due']);

      // A rule set from 2026-09-01 with follow-ups every 4 weeks: 2026-10-05 and 2026-11-02 are overdue now.
      const versions = (await t.http.get('/api/v1/rule-sets').set(bearer(admin.token)).expect(200)).body as Array<{ effectiveFrom: string; values: RuleSetValues }>;
      const values = { ...ruleSetInForce(versions, '2026-09-01').values, followUpIntervalWeeks: 4 };
      await t.http.post('/api/v1/rule-sets').set(bearer(admin.token)).send({ effectiveFrom: '2026-09-01', values, note: 'Opfølgning hver 4. uge' }).expect(201);
      expect(await tasksOf(id)).toEqual([
        'follow_up 2026-10-05 overdue',
        'follow_up 2026-11-02 overdue',
        'follow_up 2026-11-30 due',
        'follow_up 2026-12-28 due',
        'follow_up 2027-01-25 due',
        'evaluation 2027-02-19 due',
        'follow_up 2027-02-22 due',
      ]);

      await t.http.post(`/api/v1/grants/${id}/end`).set(bearer(w.caseworker.token)).send({ outcome: 'job', endedOn: '2026-11-25' }).expect(200);
      expect(await tasksOf(id)).toEqual([]);
    });
  });

  describe('the stored first open task', () => {
    let t: TestApp;
    let w: Awaited<ReturnType<typeof world>>;
    let admin: TestUser;

    beforeAll(async () => {
      t = await startTestApp({ redis: false });
      w = await world(t);
      admin = await makeUser(t, 'admin');
    });
    afterAll(async () => {
      await t.close();
    });

    const stored = async (grantId: string): Promise<string | null> =>
      ((await t.dataSource.query(`SELECT next_task_due::text AS due FROM mentor_grant WHERE id = $1`, [grantId])) as Array<{ due: string | null }>)[0].due;
    const tasksOf = async (grantId: string): Promise<string[]> => {
      const list = await t.http.get('/api/v1/due-tasks?limit=200').set(bearer(w.caseworker.token)).expect(200);
      return (list.body as ListedTask[]).filter((task) => task.grantId === grantId).map((task) => `${task.kind} ${task.due} ${task.state}`);
    };

    it('is stored by a job queued after the write, and a read of a missing or stale date answers from the grant without storing it', async () => {
      const queue = t.app.get(JobQueue);
      const { id } = await created(t, '/api/v1/grants', w.caseworker.token, grantBody(w.agreementId, w.citizenId, '2026-09-07', '2027-02-26'));
      await queue.drain();
      expect(await stored(id)).toBe('2026-12-07');

      // A date cleared by a write whose job has not run: the list is right, and the read stores nothing.
      await t.dataSource.query(`UPDATE mentor_grant SET next_task_due = NULL WHERE id = $1`, [id]);
      expect(await tasksOf(id)).toEqual(['follow_up 2026-12-07 due', 'evaluation 2027-02-12 due']);
      await queue.drain();
      expect(await stored(id)).toBeNull();
      // The sweep finds it missing and queues the job.
      await t.app.get(DueTaskOrderProcessor).sweep();
      await queue.drain();
      expect(await stored(id)).toBe('2026-12-07');

      // A follow-up held today closes the one due 2026-12-07 and the next falls due 2027-02-24, after the evaluation: its
      // own queued job stores the evaluation's date, with no read.
      await t.http
        .post(`/api/v1/grants/${id}/follow-ups`)
        .set(bearer(w.caseworker.token))
        .send({ heldOn: '2026-11-25', form: 'meeting', withWhom: 'Borger og mentor', progress: 'Godt i gang', nextSteps: 'Fortsæt' })
        .expect(201);
      await queue.drain();
      expect(await stored(id)).toBe('2027-02-12');

      // A rule set with follow-ups every 4 weeks: the stored dates are stale; the read computes the grant's tasks
      // under the new rules and queues the job once, which stores them.
      const versions = (await t.http.get('/api/v1/rule-sets').set(bearer(admin.token)).expect(200)).body as Array<{ effectiveFrom: string; values: RuleSetValues }>;
      const values = { ...ruleSetInForce(versions, '2026-09-01').values, followUpIntervalWeeks: 4 };
      await t.http.post('/api/v1/rule-sets').set(bearer(admin.token)).send({ effectiveFrom: '2026-09-01', values, note: 'Opfølgning hver 4. uge' }).expect(201);
      await queue.drain();
      expect(await stored(id)).toBe('2027-02-12');
      // The follow-up held on 2026-11-25 closes the first (2026-10-05); the next falls due 4 weeks after it.
      expect((await tasksOf(id)).slice(0, 2)).toEqual(['follow_up 2026-12-23 due', 'follow_up 2027-01-20 due']);
      await queue.drain();
      expect(await stored(id)).toBe('2026-12-23');
    });
  });
});
