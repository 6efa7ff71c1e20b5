import { Workbook } from 'exceljs';
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { JobQueue } from '../src/common/queue/job-queue';
import { binary } from './support/binary';
import { makeAgreement, makeSupplierViaApi, procurementUser, teamLeaderUser } from './support/factories';
import { fictitiousCpr, invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * Hostile input at the API's doors (issue "Prove it", item 2). Property-based: every case ends in a 4xx in the
 * one error shape, or in a 201/200 (with findings where the rules have any); never a 5xx. A refused request adds
 * no row; an accepted invoice adds exactly one invoice and its lines, a grant, agreement or rate exactly one row.
 * Exports neutralise what a spreadsheet would run. Today is 2026-11-25 on this machine's clock or later.
 */

// ---- running properties ----

// The answers of the property running now, by status, to show what the cases reached.
const answers = new Map<number, number>();

async function checked<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IAsyncProperty<Ts>, numRuns: number): Promise<void> {
  answers.clear();
  // Every case is an HTTP round trip: stop at the first failure rather than shrink over the network.
  const details = await fc.check(property, { numRuns, endOnFailure: true });
  const statuses = [...answers.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
  process.stdout.write(`property "${name}": ${details.numRuns} cases tried (${statuses})\n`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${name} failed after ${details.numRuns} cases (seed ${details.seed}, path ${details.counterexamplePath}): ${cause.slice(0, 3000)}`);
  }
}

// ---- values a hostile client sends ----

const FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x")', '+45 12345678', '-2+3', '@SUM(A1:A9)', '\t=1+1', ' =1+1'];
const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ maxLength: 20, unit: 'binary' }),
  fc.constantFrom(...FORMULAS),
  fc.constantFrom('', ' ', '   ', '\u0000', 'a\u0000b', '\ud800', '\ufeff', '<script>alert(1)</script>', "'; DROP TABLE invoice; --", '../../etc/passwd', '%00', '${7*7}', '{{7*7}}'),
  fc.integer({ min: 0, max: 4 }).map((k) => 'x'.repeat([59, 60, 61, 500, 501][k])),
  fc.integer({ min: 0, max: 2 }).map((k) => 'ø'.repeat([200, 201, 4001][k])),
);
const boundaryNumber = fc.constantFrom(0, -0, -1, 1, 59, 60, 61, 1440, 1441, 10_080, 10_081, 1.5, -1.5, 1e11, 1e11 + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308, 5e-324);
const wrongType = fc.oneof(fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}), fc.anything({ maxDepth: 2 }), boundaryNumber.map(String));
const anyValue = fc.oneof(wrongType, hostileString, boundaryNumber);
const hostileDate = fc.constantFrom('1000-01-01', '1999-12-31', '2015-12-31', '2016-01-01', '2026-02-29', '2026-02-30', '2027-06-30', '2099-12-31', '9999-12-31', '0000-01-01', '2026-1-5', '05-01-2026', '2026-01-05T00:00:00Z', '');
const sessionDate = fc.date({ min: new Date('2026-09-01T00:00:00Z'), max: new Date('2026-11-24T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A change to a valid body: a field set to a hostile value, or removed. */
interface Mutation {
  path: Array<string | number>;
  value: unknown;
  remove: boolean;
}

const mutation = (path: Array<string | number>, value: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  fc.record({ path: fc.constant(path), value, remove: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) });

/** A field set to a hostile value, never removed: for files rendered from a description. */
const setting = (path: Array<string | number>, value: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> => value.map((v) => ({ path, value: v, remove: false }));

/** The body with the mutations applied; an index into an array picks an element modulo its length. */
function mutate<T extends object>(body: T, mutations: Mutation[]): T {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  for (const { path, value, remove } of mutations) {
    let node: Record<string | number, unknown> = copy;
    let ok = true;
    for (const key of path.slice(0, -1)) {
      const next = Array.isArray(node) && typeof key === 'number' ? node[key % node.length] : node[key];
      if (next === null || typeof next !== 'object') {
        ok = false;
        break;
      }
      node = next as Record<string | number, unknown>;
    }
    if (!ok) continue;
    const last = path[path.length - 1];
    const key = Array.isArray(node) && typeof last === 'number' ? last % Math.max(1, node.length) : last;
    if (remove) delete node[key];
    else node[key] = value;
  }
  return copy as T;
}

/** A valid body with none to three hostile changes. */
const hostileBody = <T extends object>(base: fc.Arbitrary<T>, mutations: Array<fc.Arbitrary<Mutation>>): fc.Arbitrary<T> =>
  fc.tuple(base, fc.array(fc.oneof(...mutations), { maxLength: 3 })).map(([body, changes]) => mutate(body, changes));

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** A Peppol BIS 3 invoice or credit note with free-form lines, each value as given (escaped). */
interface XmlLine {
  quantity: string;
  unit: string;
  amount: string;
  price: string;
  reference: string;
  date: string;
  name: string;
}

function peppol(kind: 'Invoice' | 'CreditNote', number: string, issueDate: string, cvr: string, lines: XmlLine[], totals: { net: string; vat: string; total: string } | null): string {
  const quantity = kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  const body = lines
    .map(
      (l, i) => `<cac:${kind}Line><cbc:ID>${i + 1}</cbc:ID><cbc:${quantity} unitCode="${escapeXml(l.unit)}">${escapeXml(l.quantity)}</cbc:${quantity}>
<cbc:LineExtensionAmount currencyID="DKK">${escapeXml(l.amount)}</cbc:LineExtensionAmount>
<cac:InvoicePeriod><cbc:StartDate>${escapeXml(l.date)}</cbc:StartDate><cbc:EndDate>${escapeXml(l.date)}</cbc:EndDate></cac:InvoicePeriod>
<cac:OrderLineReference><cbc:LineID>${escapeXml(l.reference)}</cbc:LineID></cac:OrderLineReference>
<cac:Item><cbc:Name>${escapeXml(l.name)}</cbc:Name></cac:Item>
<cac:Price><cbc:PriceAmount currencyID="DKK">${escapeXml(l.price)}</cbc:PriceAmount></cac:Price></cac:${kind}Line>`,
    )
    .join('\n');
  const money = totals
    ? `<cac:TaxTotal><cbc:TaxAmount currencyID="DKK">${escapeXml(totals.vat)}</cbc:TaxAmount></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="DKK">${escapeXml(totals.net)}</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="DKK">${escapeXml(totals.net)}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="DKK">${escapeXml(totals.total)}</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="DKK">${escapeXml(totals.total)}</cbc:PayableAmount></cac:LegalMonetaryTotal>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<${kind} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${kind}-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ID>${escapeXml(number)}</cbc:ID>
<cbc:IssueDate>${escapeXml(issueDate)}</cbc:IssueDate>
<cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">${escapeXml(cvr)}</cbc:EndpointID></cac:Party></cac:AccountingSupplierParty>
${money}
${body}
</${kind}>`;
}

/** A CSV file of cells, quoted where needed. */
function csvOf(rows: string[][], separator = ';'): string {
  return rows.map((row) => row.map((cell) => (/[";,\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(separator)).join('\r\n') + '\r\n';
}

/** Every text cell of a workbook's first sheet, as a spreadsheet reads it. */
async function sheetTexts(file: Buffer): Promise<string[]> {
  const workbook = new Workbook();
  await workbook.xlsx.load(file as unknown as Parameters<Workbook['xlsx']['load']>[0]);
  const texts: string[] = [];
  workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => {
    if (typeof cell.value === 'string') texts.push(cell.value);
  }));
  return texts;
}

/** The cells of a ';' CSV with a BOM, as a spreadsheet reads them. */
function readCsv(file: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const text = file.replace(/^\ufeff/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

const FORMULA_START = /^[=+\-@\t\r]/;

describe('hostile input', () => {
  let t: TestApp;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let finance: TestUser;
  let caseworker: TestUser;
  let procurement: TestUser;
  let admin: TestUser;
  let citizenId: string;
  let partner: { id: string };

  const countRows = async (tables: readonly string[]): Promise<Record<string, number>> => {
    const [row] = (await t.dataSource.query(`SELECT ${tables.map((table) => `(SELECT count(*) FROM ${table})::int AS "${table}"`).join(', ')}`)) as Array<Record<string, number>>;
    return row;
  };

  /**
   * Sends one hostile request and checks its outcome: never a 5xx; a 4xx in the one error shape; the rows it
   * added are exactly those of an accepted (201) answer and none otherwise.
   */
  const attempt = async (tables: readonly string[], send: () => Promise<Response>, addedOnCreate: (response: Response) => Record<string, number>, what: () => string): Promise<Response> => {
    const before = await countRows(tables);
    const response = await send();
    answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
    const after = await countRows(tables);
    try {
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(500);
      // 431: Node's HTTP parser refuses a request line and headers over 16 KiB before the app sees them
      if (response.status >= 400 && response.status !== 431) {
        expect(response.body).toEqual({ statusCode: response.status, error: expect.any(String), message: expect.any(String), details: expect.any(Array) });
      }
      const expected = response.status === 201 ? addedOnCreate(response) : {};
      const added = Object.fromEntries(tables.map((table) => [table, after[table] - before[table]]));
      expect({ status: response.status, added }).toEqual({ status: response.status, added: Object.fromEntries(tables.map((table) => [table, expected[table] ?? 0])) });
    } catch (error) {
      const answer = JSON.stringify(response.body ?? response.text).slice(0, 1000);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nanswer ${response.status}: ${answer}\nfor: ${what().slice(0, 2000)}`);
    }
    return response;
  };

  const INVOICE_TABLES = ['invoice', 'delivery'] as const;
  // A received invoice is one row with a row per line; its lines are those the answer shows.
  const invoiceAdded = (response: Response) => ({ invoice: 1, delivery: (response.body as { lines: unknown[] }).lines.length });

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    [finance, caseworker, admin] = await Promise.all([makeUser(t, 'finance'), makeUser(t, 'caseworker'), makeUser(t, 'admin')]);
    procurement = await procurementUser(t);
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 120 }, b: { minutesPerWeek: 60 }, ended: { start: '2026-03-02', end: '2026-08-31' } });
    other = await supplierWithGrants(t, { x: {} });
    partner = await makeSupplierViaApi(t, { kind: 'partner_company' });
    const citizen = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: fictitiousCpr(), name: 'Borger Hostil', caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: 'sickness_benefit' })
      .expect(201);
    citizenId = citizen.body.id;
  });
  afterAll(() => t.close());

  const references = () => fc.constantFrom(mentor.grants.a.reference, mentor.grants.b.reference, mentor.grants.ended.reference, other.grants.x.reference, 'MS-2026-999999', 'MS-0000-000000');

  describe('invoice intake', () => {
    it('JSON: random, boundary and wrongly typed fields, other suppliers’ and unknown grants, future dates', async () => {
      const validLine = fc.record({
        grantReference: references(),
        date: sessionDate,
        minutes: fc.integer({ min: 1, max: 240 }),
        rateOre: fc.constantFrom(45_000, 40_000, 50_000),
        contactForm: fc.constantFrom('in_person', 'phone', 'video'),
        description: fc.string({ maxLength: 30 }),
      });
      const base = fc.record({
        invoiceNumber: fc.stringMatching(/^[A-Z][A-Za-z0-9\-_/.]{0,20}$/),
        issueDate: fc.constantFrom('2026-11-20', '2026-11-25'),
        lines: fc.array(validLine, { minLength: 1, maxLength: 4 }),
        documentType: fc.constantFrom('invoice', 'invoice', 'invoice', 'credit_note'),
      });
      const line = (field: string, value: fc.Arbitrary<unknown>) => fc.nat({ max: 3 }).chain((i) => mutation(['lines', i, field], value));
      const body = hostileBody(base, [
        mutation(['invoiceNumber'], fc.oneof(hostileString, anyValue)),
        mutation(['issueDate'], fc.oneof(hostileDate, anyValue)),
        mutation(['periodFrom'], fc.oneof(hostileDate, sessionDate)),
        mutation(['periodTo'], fc.oneof(hostileDate, sessionDate)),
        mutation(['documentType'], anyValue),
        mutation(['totals'], fc.oneof(fc.record({ netOre: boundaryNumber, vatOre: boundaryNumber, totalOre: boundaryNumber }), anyValue)),
        mutation(['creditsInvoiceNumbers'], fc.oneof(fc.array(hostileString, { maxLength: 3 }), anyValue)),
        mutation(['supplierId'], fc.constantFrom(randomUUID(), 'not-a-uuid')),
        mutation(['unknownField'], anyValue),
        mutation(['lines'], fc.oneof(anyValue, fc.constant([]))),
        line('grantReference', fc.oneof(references(), hostileString, anyValue)),
        line('date', fc.oneof(hostileDate, hostileDate, anyValue)),
        line('minutes', fc.oneof(boundaryNumber, anyValue)),
        line('rateOre', fc.oneof(boundaryNumber, anyValue)),
        line('amountOre', fc.oneof(boundaryNumber, anyValue)),
        line('contactForm', fc.oneof(hostileString, anyValue)),
        line('transport', fc.oneof(fc.constantFrom('public_transport', 'car', 'bicycle_or_walk'), hostileString)),
        line('description', fc.oneof(hostileString, fc.constantFrom(...FORMULAS), anyValue)),
        line('extra', anyValue),
        // a line, or the totals, that is an array rather than an object
        mutation(['lines'], fc.constantFrom([[]], [[[]]], [[{}]], [{}, []])),
        fc.nat({ max: 3 }).chain((i) => mutation(['lines', i], fc.constantFrom([], [[]], [{}]))),
        mutation(['totals'], fc.constantFrom([], [[]])),
      ]);
      const sender = fc.constantFrom('mentor', 'mentor', 'finance', 'other');
      await checked(
        'JSON invoice bodies',
        fc.asyncProperty(body, sender, async (invoice, who) => {
          const user = who === 'finance' ? finance : who === 'other' ? other.user : mentor.user;
          const sent = who === 'finance' && !('supplierId' in invoice) ? { ...invoice, supplierId: mentor.supplierId } : invoice;
          const response = await attempt(INVOICE_TABLES, () => t.http.post('/api/v1/invoices').set(bearer(user.token)).send(sent), invoiceAdded, () => `${who} ${JSON.stringify(sent)}`);
          // an accepted invoice holds every line sent, each with its findings
          if (response.status === 201) expect(response.body.lines).toHaveLength((sent.lines as unknown[]).length);
        }),
        600,
      );
    });

    it('JSON: deep nesting, non-JSON text and wrong content types', async () => {
      const nested = fc.record({
        depth: fc.constantFrom(10, 100, 1_000, 5_000, 20_000, 100_000, 400_000),
        shape: fc.constantFrom('array', 'object'),
        where: fc.constantFrom('body', 'description', 'unknown', 'lines', 'totals'),
      });
      const raw = fc.oneof(
        nested.map(({ depth, shape, where }) => {
          const [open, close] = shape === 'array' ? ['[', ']'] : ['{"a":', '}'];
          const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
          const base = JSON.stringify(invoiceBody([{ grantReference: 'MS-2026-999999', date: '2026-10-05', minutes: 60 }]));
          if (where === 'body') return { text: deep, type: 'application/json' };
          if (where === 'lines') return { text: base.replace(/"lines":\[/, `"lines":[${deep},`), type: 'application/json' };
          if (where === 'totals') return { text: base.replace(/^\{/, `{"totals":${deep},`), type: 'application/json' };
          return { text: base.replace(/^\{/, `{"${where === 'unknown' ? 'x' : 'description'}":${deep},`), type: 'application/json' };
        }),
        fc.record({
          text: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('', 'null', '[]', '"x"', '1', '{"lines":', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}')),
          type: fc.constantFrom('application/json', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/csv; charset=koi8-r', 'application/xml; charset=utf-7'),
        }),
      );
      await checked(
        'JSON nesting and raw bodies',
        fc.asyncProperty(raw, async ({ text, type }) => {
          await attempt(INVOICE_TABLES, () => t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).set('Content-Type', type).send(text), invoiceAdded, () => `${type} ${text.slice(0, 200)} (${text.length} chars)`);
        }),
        80,
      );
    });

    it('CSV: random cells with formula injection, absurd minutes and amounts, unknown and others’ grants, hostile query', async () => {
      const validRow = fc.record({
        reference: fc.constantFrom(mentor.grants.a.reference, mentor.grants.b.reference),
        date: sessionDate,
        minutes: fc.integer({ min: 15, max: 120 }).map(String),
        rate: fc.constantFrom('450,00', '450', '400,00'),
        amount: fc.constant(''),
        contact: fc.constantFrom('fremmøde', 'telefon', 'video', ''),
        description: fc.string({ maxLength: 20 }).filter((d) => !/^\s*[=+\-@]/.test(d)),
      });
      const base = fc.record({
        header: fc
          .constantFrom(['bevilling', 'dato', 'minutter', 'timepris', 'beløb', 'kontaktform', 'beskrivelse'], ['grant_reference', 'date', 'minutes', 'rate', 'amount', 'contact_form', 'description'])
          .map((h): string[] => [...h]),
        rows: fc.array(validRow.map((r): string[] => [r.reference, r.date, r.minutes, r.rate, r.amount, r.contact, r.description]), { minLength: 1, maxLength: 5 }),
        query: fc.record({ invoiceNumber: fc.stringMatching(/^[A-Z][A-Za-z0-9-]{0,15}$/), issueDate: fc.constantFrom('2026-11-20', '2026-11-25') }),
        separator: fc.constantFrom(';', ','),
        bom: fc.boolean(),
      });
      const hostileCell = [
        fc.oneof(references(), hostileString),
        fc.oneof(hostileDate, hostileString),
        fc.oneof(fc.constantFrom('0', '-60', '1441', '99999999999999999999', '1e3', '60.5', '+60', '=60', ''), hostileString),
        fc.constantFrom('-450', '0', '90000000000000', '9007199254740991', '99999999999999999999999,99', '1e9', '=450', '450,005', '1000000000,01'),
        fc.constantFrom('450,00', '-1,00', '90000000000000', '99999999999999999999999', '@SUM(A1)', '1000000000,01'),
        fc.oneof(fc.constantFrom('brev', 'FREMMØDE'), hostileString),
        fc.oneof(hostileString, fc.constantFrom(...FORMULAS)),
      ];
      const cell = (column: number) => fc.nat({ max: 4 }).chain((row) => setting(['rows', row, column], hostileCell[column]));
      const body = hostileBody(base, [
        ...hostileCell.map((_arbitrary, column) => cell(column)),
        ...hostileCell.map((_arbitrary, column) => cell(column)),
        setting(['header'], fc.constantFrom(['=HYPERLINK("x")', 'dato', 'minutter', 'timepris', 'beløb', 'kontaktform', 'beskrivelse'], ['bevilling', 'dato'], [], ['']).map((h) => [...h])),
        setting(['rows'], fc.constantFrom([], [['']], [['', '', '', '', '', '', '']])),
        setting(['query', 'invoiceNumber'], hostileString),
        setting(['query', 'issueDate'], fc.oneof(hostileDate, hostileString)),
        setting(['query', 'supplierId'], fc.oneof(fc.constant(randomUUID()), hostileString)),
      ]);
      await checked(
        'CSV invoice uploads',
        fc.asyncProperty(body, async ({ header, rows, query, separator, bom }) => {
          const file = `${bom ? '\ufeff' : ''}${csvOf([header, ...rows], separator)}`;
          await attempt(
            INVOICE_TABLES,
            () => t.http.post('/api/v1/invoices').query(query).set(bearer(mentor.user.token)).set('Content-Type', 'text/csv').send(file),
            invoiceAdded,
            () => `${JSON.stringify(query)} ${JSON.stringify(file)}`,
          );
        }),
        500,
      );
    });

    it('XML: random unit codes and quantities, negative and absurd amounts, XXE, billion laughs, deep nesting, invalid UTF-8', async () => {
      const validLine = fc.record({ minutes: fc.integer({ min: 15, max: 120 }), reference: fc.constantFrom(mentor.grants.a.reference, mentor.grants.b.reference), date: sessionDate, hours: fc.boolean() }).map(
        ({ minutes, reference, date, hours }): XmlLine => ({
          // whole quarters of an hour as HUR, anything else as MIN
          quantity: hours && minutes % 15 === 0 ? String(minutes / 60) : String(minutes),
          unit: hours && minutes % 15 === 0 ? 'HUR' : 'MIN',
          amount: (minutes * 7.5).toFixed(2),
          price: '450.00',
          reference,
          date,
          name: 'Mentorstøtte',
        }),
      );
      const base = fc.record({
        kind: fc.constantFrom('Invoice' as 'Invoice' | 'CreditNote'),
        number: fc.stringMatching(/^[A-Z][A-Za-z0-9-]{0,15}$/),
        issueDate: fc.constant('2026-11-20'),
        cvr: fc.constantFrom<string>('mentor', 'none'),
        lines: fc.array(validLine, { minLength: 1, maxLength: 4 }),
        totals: fc.constant(null as { net: string; vat: string; total: string } | null),
        declaration: fc.constant(''),
        nesting: fc.constant(0),
        badBytes: fc.constant(null as Buffer | null),
        as: fc.constantFrom('mentor', 'mentor', 'finance'),
      });
      const line = (field: keyof XmlLine, value: fc.Arbitrary<string>) => fc.nat({ max: 3 }).chain((i) => setting(['lines', i, field], value));
      const doc = hostileBody(base, [
        setting(['kind'], fc.constant('CreditNote')),
        setting(['number'], fc.oneof(hostileString, fc.constantFrom('&xxe;', '&lol3;', 'x'.repeat(61)))),
        setting(['issueDate'], hostileDate),
        setting(['cvr'], fc.constantFrom('other', 'DK00000000', '')),
        setting(['lines'], fc.constant([])),
        setting(['totals'], fc.record({ net: fc.constantFrom('450.00', '-1', '90071992547409.91', '1000000000.01'), vat: fc.constantFrom('112.50', '0', '90071992547409.91'), total: fc.constantFrom('562.50', '1e3', '90071992547409.91') })),
        mutation(
          ['declaration'],
          fc.constantFrom(
            '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
            '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
            '<!doctype x SYSTEM "http://127.0.0.1:1/evil.dtd">',
          ),
        ),
        setting(['nesting'], fc.constantFrom(60, 65, 40_000)),
        setting(['badBytes'], fc.constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from([0xed, 0xa0, 0x80]))),
        line('quantity', fc.constantFrom('0', '-1', '0.0001', '1e3', '99999999999999999999', '24.0167', '', '1441', '0.5')),
        line('unit', fc.constantFrom('C62', 'EA', 'DAY', 'hur', '', 'SEC', 'HUR ')),
        line('amount', fc.constantFrom('-450.00', '90071992547409.91', '1000000000.01', '1e3', 'abc', '0.00')),
        line('price', fc.constantFrom('-450', '0', '90071992547409.91', '1000000000.01', '7.50')),
        line('reference', fc.oneof(references(), fc.constantFrom('', 'x'.repeat(61), 'ORDER-1'), hostileString)),
        line('date', hostileDate),
        line('name', hostileString),
      ]);
      await checked(
        'XML invoice uploads',
        fc.asyncProperty(doc, async (d) => {
          const cvr = d.cvr === 'mentor' ? mentor.cvr : d.cvr === 'other' ? other.cvr : d.cvr === 'none' ? '' : d.cvr;
          let xml = peppol(d.kind, d.number, d.issueDate, cvr, d.lines, d.totals);
          if (d.declaration) xml = xml.replace('?>\n', `?>\n${d.declaration}\n`);
          if (d.nesting > 0) xml = xml.replace('<cbc:DocumentCurrencyCode>', `${'<cbc:Note>'.repeat(d.nesting)}${'</cbc:Note>'.repeat(d.nesting)}<cbc:DocumentCurrencyCode>`);
          let body: Buffer = Buffer.from(xml, 'utf8');
          if (d.badBytes) {
            const at = body.indexOf('<cbc:ID>') + 8;
            body = Buffer.concat([body.subarray(0, at), Buffer.from(d.badBytes), body.subarray(at)]);
          }
          const user = d.as === 'finance' ? finance : mentor.user;
          const response = await attempt(INVOICE_TABLES, () => t.http.post('/api/v1/invoices').set(bearer(user.token)).set('Content-Type', 'application/xml').send(body), invoiceAdded, () => `${d.as} ${body.toString('utf8').slice(0, 3000)}`);
          // a DTD is refused before anything else is read; the invoice nests one level around the Notes
          if (d.declaration) expect(response.body.details).toEqual([expect.objectContaining({ rule: 'dtd_forbidden' })]);
          else if (d.nesting + 1 > 64) expect(response.body.details).toEqual([expect.objectContaining({ rule: 'max_depth' })]);
        }),
        500,
      );
    });

    it('bodies near and over the size limit: 413 over it, never a 5xx, for JSON, CSV and XML', async () => {
      const limit = t.config.bodyLimitBytes;
      await checked(
        'bodies around BODY_LIMIT_BYTES',
        fc.asyncProperty(fc.constantFrom('json', 'csv', 'xml'), fc.integer({ min: -300, max: 300 }), fc.constantFrom('a', ' ', '\n', 'ø'), async (format, offset, pad) => {
          const target = limit + offset;
          const reference = mentor.grants.b.reference;
          let body: Buffer;
          let type: string;
          const padTo = (head: string, tail: string, filler: string): Buffer => {
            const fixed = Buffer.byteLength(head + tail);
            const unit = Buffer.byteLength(filler);
            const n = Math.max(0, Math.floor((target - fixed) / unit));
            return Buffer.from(head + filler.repeat(n) + ' '.repeat(Math.max(0, target - fixed - n * unit)) + tail, 'utf8');
          };
          if (format === 'json') {
            const invoice = invoiceBody([{ grantReference: reference, date: '2026-11-02', minutes: 15 }]);
            const text = JSON.stringify(invoice);
            body = padTo(`${text.slice(0, -1)},"padding":"`, '"}', pad === '\n' ? ' ' : pad);
            type = 'application/json';
          } else if (format === 'csv') {
            body = padTo(`bevilling;dato;minutter;timepris\r\n${reference};2026-11-03;15;450,00\r\n`, '', pad === 'a' || pad === 'ø' ? '\n' : pad);
            type = 'text/csv';
          } else {
            const xml = peppol('Invoice', `X-${randomBytes(4).toString('hex')}`, '2026-11-20', mentor.cvr, [{ quantity: '15', unit: 'MIN', amount: '112.50', price: '450.00', reference, date: '2026-11-04', name: 'Mentorstøtte' }], null);
            body = padTo(xml.replace('</Invoice>', '<!-- '), ' --></Invoice>', pad === '\n' ? ' ' : pad);
            type = 'application/xml';
          }
          expect(body.length).toBe(target);
          // supertest would serialise a Buffer sent as JSON; a string goes as it is
          const query = format === 'csv' ? { invoiceNumber: `C-${randomBytes(4).toString('hex')}`, issueDate: '2026-11-20' } : {};
          const response = await attempt(INVOICE_TABLES, () => t.http.post('/api/v1/invoices').query(query).set(bearer(mentor.user.token)).set('Content-Type', type).send(format === 'json' ? body.toString('utf8') : body), invoiceAdded, () => `${format} of ${body.length} bytes`);
          expect({ format, offset, pad, status: response.status === 413 }).toEqual({ format, offset, pad, status: body.length > limit });
        }),
        60,
      );
    });
    it('compressed bodies that inflate beyond the limit (gzip and deflate bombs): 413', async () => {
      const limit = t.config.bodyLimitBytes;
      const inflated = (size: number, format: string): Buffer => Buffer.from(format === 'csv' ? `bevilling;dato;minutter;timepris\r\n${'\n'.repeat(size)}` : `<Invoice>${' '.repeat(size)}</Invoice>`);
      const bombs = new Map<string, Buffer>();
      for (const format of ['csv', 'xml']) {
        for (const size of [limit + 1, 50 * 1_048_576]) {
          bombs.set(`${format} gzip ${size}`, gzipSync(inflated(size, format)));
          bombs.set(`${format} deflate ${size}`, deflateSync(inflated(size, format)));
        }
      }
      await checked(
        'compressed bodies over the limit',
        fc.asyncProperty(fc.constantFrom(...bombs.keys()), async (key) => {
          const [format, encoding] = key.split(' ');
          const response = await attempt(
            INVOICE_TABLES,
            () =>
              t.http
                .post('/api/v1/invoices')
                .query({ invoiceNumber: `Z-${randomBytes(3).toString('hex')}`, issueDate: '2026-11-20' })
                .set(bearer(mentor.user.token))
                .set('Content-Type', format === 'csv' ? 'text/csv' : 'application/xml')
                .set('Content-Encoding', encoding)
                .send(bombs.get(key) as Buffer),
            invoiceAdded,
            () => key,
          );
          expect(response.status).toBe(413);
        }),
        16,
      );
    });
  });

  describe('grant and agreement bodies', () => {
    it('POST /grants as caseworker: random, boundary and wrongly typed terms', async () => {
      const base = fc.record({
        citizenId: fc.constant(citizenId),
        agreementId: fc.constant(mentor.agreementId),
        mentorType: fc.constantFrom('retention', 'holistic'),
        serviceLevel: fc.constant(1),
        minutesPerWeek: fc.constantFrom(30, 60, 90),
        start: fc.constantFrom('2026-09-01', '2026-12-01', '2027-01-04'),
        end: fc.constantFrom('2027-02-28', '2027-05-31'),
        goal: fc.constant('Fastholdelse i job'),
        tasks: fc.constant('Samtaler med borger og arbejdsgiver'),
        mentorName: fc.constant('Mette Mentor'),
        mentorPhone: fc.constant('12345678'),
      });
      const text = fc.oneof(hostileString, anyValue);
      const body = hostileBody(base, [
        mutation(['citizenId'], fc.oneof(fc.constant(randomUUID()), anyValue)),
        mutation(['agreementId'], fc.oneof(fc.constantFrom(other.agreementId, randomUUID()), anyValue)),
        mutation(['mentorType'], fc.oneof(fc.constantFrom('company', 'discharge', 'release'), anyValue)),
        mutation(['serviceLevel'], fc.oneof(fc.integer({ min: -1, max: 10 }), boundaryNumber, anyValue)),
        mutation(['minutesPerWeek'], fc.oneof(boundaryNumber, anyValue)),
        mutation(['start'], fc.oneof(hostileDate, hostileDate, anyValue)),
        mutation(['end'], fc.oneof(hostileDate, hostileDate, anyValue)),
        // a period at the edge of the calendar: both ends in the same far year
        fc.constantFrom('1000', '2099', '2100', '9999').map((year): Mutation => ({ path: ['period'], value: year, remove: false })),
        mutation(['goal'], text),
        mutation(['tasks'], text),
        mutation(['mentorName'], text),
        mutation(['mentorPhone'], text),
        mutation(['mentorEmail'], fc.oneof(fc.constantFrom('mentor@example.dk', '\ud800@example.dk', 'a@b', `${'x'.repeat(200)}@example.dk`), text)),
        mutation(['complaintGuidance'], text),
        mutation(['reference'], anyValue),
      ]);
      await checked(
        'grant bodies',
        fc.asyncProperty(body, async (drawn) => {
          const { period, ...rest } = drawn as typeof drawn & { period?: string };
          const grant = period === undefined ? rest : { ...rest, start: `${period}-12-01`, end: `${period}-12-31` };
          await attempt(['mentor_grant'], () => t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grant), () => ({ mentor_grant: 1 }), () => JSON.stringify(grant));
        }),
        500,
      );
    });

    it('visitation as team leader and caseworker: random days, reasons, changed terms and ids', async () => {
      const leader = await teamLeaderUser(t);
      const proposal = async (): Promise<string> => {
        const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send({
          citizenId, agreementId: mentor.agreementId, mentorType: 'retention', serviceLevel: 1, minutesPerWeek: 60, start: '2026-09-01', end: '2027-02-28',
          goal: 'Fastholdelse i job', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678',
        });
        if (response.status !== 201) throw new Error(`proposal: ${response.status} ${JSON.stringify(response.body)}`);
        return response.body.id as string;
      };
      const sentBack = async (): Promise<string> => {
        const id = await proposal();
        await t.http.post(`/api/v1/grants/${id}/reject`).set(bearer(leader.token)).send({ reason: 'Ret timetallet' }).expect(200);
        return id;
      };
      const targets = (current: () => string) => fc.constantFrom<() => string>(current, current, current, current, () => randomUUID(), () => 'not-a-uuid', () => '%00');
      let proposed = await proposal();
      await checked(
        'approval bodies',
        fc.asyncProperty(targets(() => proposed), hostileBody(fc.record({ activeFrom: fc.constantFrom('2026-09-01', '2026-10-15', '2026-11-25') }), [mutation(['activeFrom'], fc.oneof(hostileDate, hostileDate, anyValue)), mutation(['approvedBy'], anyValue)]), async (target, body) => {
          const id = target();
          const response = await attempt(['mentor_grant'], () => t.http.post(`/api/v1/grants/${id}/approve`).set(bearer(leader.token)).send(body), () => ({}), () => `${id} ${JSON.stringify(body)}`);
          if (response.status === 200) proposed = await proposal();
        }),
        150,
      );
      await checked(
        'sending-back bodies',
        fc.asyncProperty(targets(() => proposed), hostileBody(fc.record({ reason: fc.constant('Timetallet er ikke begrundet') }), [mutation(['reason'], fc.oneof(hostileString, anyValue))]), async (target, body) => {
          const id = target();
          const response = await attempt(['mentor_grant'], () => t.http.post(`/api/v1/grants/${id}/reject`).set(bearer(leader.token)).send(body), () => ({}), () => `${id} ${JSON.stringify(body)}`);
          if (response.status === 200) proposed = await proposal();
        }),
        150,
      );
      let back = await sentBack();
      const text = fc.oneof(hostileString, anyValue);
      await checked(
        'proposal bodies',
        fc.asyncProperty(
          targets(() => back),
          hostileBody(fc.record({ minutesPerWeek: fc.constantFrom(30, 90, 120) }), [
            mutation(['serviceLevel'], fc.oneof(fc.integer({ min: -1, max: 10 }), boundaryNumber, anyValue)),
            mutation(['minutesPerWeek'], fc.oneof(boundaryNumber, anyValue)),
            mutation(['end'], fc.oneof(hostileDate, hostileDate, anyValue)),
            mutation(['goal'], text),
            mutation(['tasks'], text),
            mutation(['mentorName'], text),
            mutation(['mentorPhone'], text),
            mutation(['mentorEmail'], text),
            mutation(['start'], anyValue),
          ]),
          async (target, body) => {
            const id = target();
            const response = await attempt(['mentor_grant'], () => t.http.post(`/api/v1/grants/${id}/propose`).set(bearer(caseworker.token)).send(body), () => ({}), () => `${id} ${JSON.stringify(body)}`);
            if (response.status === 200) back = await sentBack();
          },
        ),
        150,
      );
    });

    it('PUT /citizens/:id/target-groups as caseworker: random target groups, days and citizens', async () => {
      const body = hostileBody(fc.record({ targetGroup: fc.constantFrom('sickness_benefit', 'revalidation', 'resource_course'), effectiveFrom: fc.constantFrom('2026-08-01', '2027-03-01', '2028-01-01') }), [
        mutation(['targetGroup'], fc.oneof(hostileString, anyValue)),
        mutation(['effectiveFrom'], fc.oneof(hostileDate, hostileDate, anyValue)),
        mutation(['recordedBy'], anyValue),
      ]);
      const target = fc.constantFrom(citizenId, citizenId, citizenId, randomUUID(), 'not-a-uuid', '%00');
      await checked(
        'target-group changes',
        fc.asyncProperty(target, body, async (id, change) => {
          await attempt(['citizen', 'mentor_grant'], () => t.http.put(`/api/v1/citizens/${id}/target-groups`).set(bearer(caseworker.token)).send(change), () => ({}), () => `${id} ${JSON.stringify(change)}`);
        }),
        200,
      );
    });

    it('POST /agreements as procurement: random, boundary and wrongly typed terms', async () => {
      const base = fc.record({
        kind: fc.constant('framework'),
        supplierId: fc.constant(mentor.supplierId),
        reference: fc.string({ minLength: 1, maxLength: 12 }).map((s) => `RA-${s.trim() || 'x'}-${randomBytes(3).toString('hex')}`),
        title: fc.constant('Rammeaftale om mentorstøtte'),
        validFrom: fc.constant('2026-01-01'),
        validTo: fc.constantFrom('2026-12-31', '2027-12-31'),
        mentorTypes: fc.constantFrom(['retention'], ['retention', 'holistic']),
      });
      const body = hostileBody(base, [
        mutation(['kind'], fc.oneof(fc.constant('partnership'), anyValue)),
        mutation(['supplierId'], fc.oneof(fc.constantFrom(partner.id, randomUUID()), anyValue)),
        mutation(['reference'], fc.oneof(hostileString, anyValue)),
        mutation(['title'], fc.oneof(hostileString, anyValue)),
        mutation(['validFrom'], fc.oneof(hostileDate, anyValue)),
        mutation(['validTo'], fc.oneof(hostileDate, anyValue)),
        mutation(['extensionOptions'], fc.oneof(fc.integer({ min: -1, max: 11 }), boundaryNumber, anyValue)),
        mutation(['extensionMonths'], fc.oneof(fc.integer({ min: -1, max: 61 }), boundaryNumber, anyValue)),
        mutation(['mentorTypes'], fc.oneof(fc.array(fc.constantFrom('retention', 'holistic', 'company', 'x'), { maxLength: 4 }), anyValue)),
        mutation(['vatRateBasisPoints'], fc.oneof(fc.constantFrom(0, 2500, 10_000, 10_001), boundaryNumber, anyValue)),
        mutation(['ceilingOre'], fc.oneof(boundaryNumber, anyValue)),
        mutation(['defaultMinutesPerWeek'], fc.oneof(boundaryNumber, anyValue)),
        mutation(['defaultRateOre'], fc.oneof(boundaryNumber, anyValue)),
        mutation(['consumedApprovedOre'], anyValue),
      ]);
      await checked(
        'agreement bodies',
        fc.asyncProperty(body, async (agreement) => {
          await attempt(['agreement', 'agreement_rate'], () => t.http.post('/api/v1/agreements').set(bearer(procurement.token)).send(agreement), () => ({ agreement: 1 }), () => JSON.stringify(agreement));
        }),
        400,
      );
    });

    it('an agreed price at its bound still gives a whole day of hours in safe øre; above it is refused', async () => {
      const company = await supplierWithGrants(t, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 1_000_000_000_00 });
      const registered = await t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date: '2026-10-06', minutes: 1440, contactForm: 'in_person' });
      expect(registered.status).toBe(201);
      expect(registered.body.lines[0]).toMatchObject({ minutes: 1440, amountOre: 2_400_000_000_000 });
      const above = await t.http.patch(`/api/v1/agreements/${company.agreementId}`).set(bearer(procurement.token)).send({ defaultRateOre: Number.MAX_SAFE_INTEGER });
      expect(above.status).toBe(422);
      expect(above.body.details).toEqual([expect.objectContaining({ field: 'defaultRateOre', rule: 'max' })]);
    });

    it('POST /agreements/:id/rates as procurement: random rates, dates and agreements', async () => {
      const framework = await makeAgreement(t, mentor.supplierId, { mentorTypes: ['retention', 'holistic'] });
      const base = fc.record({
        mentorType: fc.constantFrom('retention', 'holistic'),
        serviceLevel: fc.integer({ min: 1, max: 4 }),
        period: fc.tuple(fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 20 })),
        rateOre: fc.constantFrom(40_000, 45_000, 47_500),
      }).map(({ period: [from, days], ...rate }) => ({
        ...rate,
        // short periods, so that many fit on the card without overlapping
        validFrom: from.toISOString().slice(0, 10),
        validTo: new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10),
      }));
      const body = hostileBody(base, [
        mutation(['mentorType'], fc.oneof(fc.constant('company'), anyValue)),
        mutation(['serviceLevel'], fc.oneof(fc.integer({ min: -1, max: 10 }), boundaryNumber, anyValue)),
        mutation(['validFrom'], fc.oneof(hostileDate, hostileDate, anyValue)),
        mutation(['validTo'], fc.oneof(fc.constant(null), fc.constantFrom('2026-06-30', '2027-12-31'), hostileDate, anyValue)),
        mutation(['rateOre'], fc.oneof(boundaryNumber, anyValue)),
        mutation(['agreementId'], anyValue),
      ]);
      const target = fc.constantFrom(framework.id, framework.id, framework.id, framework.id, randomUUID(), 'not-a-uuid', '%00');
      await checked(
        'agreement rate bodies',
        fc.asyncProperty(target, body, async (id, rate) => {
          await attempt(['agreement_rate'], () => t.http.post(`/api/v1/agreements/${id}/rates`).set(bearer(procurement.token)).send(rate), () => ({ agreement_rate: 1 }), () => `${id} ${JSON.stringify(rate)}`);
        }),
        400,
      );
    });
    it('POST /agreements/:id/price-regulations as procurement: random dates, percentages and indices', async () => {
      const framework = await makeAgreement(t, mentor.supplierId, { mentorTypes: ['retention'], validTo: '2030-12-31' });
      await t.http.post(`/api/v1/agreements/${framework.id}/rates`).set(bearer(procurement.token)).send({ mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 45_000 }).expect(201);
      const base = fc.record({
        effectiveFrom: fc.date({ min: new Date('2026-01-02T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        percent: fc.constantFrom('3.1', '0', '-2.5', '99.9999'),
      });
      const body = hostileBody(base, [
        mutation(['effectiveFrom'], fc.oneof(hostileDate, hostileDate, anyValue)),
        mutation(['percent'], fc.oneof(fc.constantFrom('-100', '-99.9999', '999.9999', '1e3', '3,1', ' 3.1', '0x10'), hostileString, anyValue)),
        mutation(['index'], fc.oneof(fc.record({ base: fc.constantFrom('112.4', '0', '-1'), current: fc.oneof(fc.constantFrom('115.9', '999999.9999'), hostileString) }), anyValue)),
      ]);
      const preview = fc.constantFrom('true', 'false', 'yes', '');
      await checked(
        'price regulation bodies',
        fc.asyncProperty(preview, body, async (flag, regulation) => {
          // Applied, a regulation ends the rate in force and adds its successor: one new row.
          await attempt(['agreement_rate'], () => t.http.post(`/api/v1/agreements/${framework.id}/price-regulations`).query({ preview: flag }).set(bearer(procurement.token)).send(regulation), () => ({ agreement_rate: 1 }), () => `${flag} ${JSON.stringify(regulation)}`);
        }),
        150,
      );
    });
  });

  describe('exports', () => {
    const HOSTILE = '=HYPERLINK("http://x")';

    it('neutralise a hostile supplier name, account code and description in the refund-claim and report CSV and XLSX', async () => {
      // A supplier and an account code that a spreadsheet would run, and a line described like a formula, approved in October.
      const exporter = await supplierWithGrants(t, { e: {} });
      await t.http.patch(`/api/v1/suppliers/${exporter.supplierId}`).set(bearer(procurement.token)).send({ name: HOSTILE }).expect(200);
      const versions = (await t.http.get('/api/v1/rule-sets').set(bearer(admin.token)).expect(200)).body as Array<{ effectiveFrom: string; values: Record<string, unknown> }>;
      const inForce = versions.filter((v) => v.effectiveFrom <= '2026-10-01').at(-1) as unknown as { values: { accountCodes: Array<Record<string, unknown>> } };
      // The municipality's own grouping for every other target group, entered as a catch-all.
      const values = { ...inForce.values, accountCodes: [...inForce.values.accountCodes, { mentorType: null, targetGroup: null, code: HOSTILE }] };
      await t.http.post('/api/v1/rule-sets').set(bearer(admin.token)).send({ effectiveFrom: '2026-10-01', values, note: 'hostile account code' }).expect(201);
      const invoice = await t.http
        .post('/api/v1/invoices')
        .set(bearer(exporter.user.token))
        .send({ invoiceNumber: `E-${randomBytes(4).toString('hex')}`, issueDate: '2026-11-20', lines: [{ grantReference: exporter.grants.e.reference, date: '2026-10-06', minutes: 60, rateOre: 45_000, description: HOSTILE }] })
        .expect(201);
      expect(invoice.body.lines[0].description).toBe(HOSTILE);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);

      await t.http.put('/api/v1/budgets/2026').set(bearer(finance.token)).send({ budgetOre: 10_000_000, frameOre: 1_000_000 }).expect(200);
      const queued = await t.http.post('/api/v1/refund-claims').set(bearer(finance.token)).send({ from: '2026-10-01', to: '2026-10-31' }).expect(202);
      await t.app.get(JobQueue).drain();
      const computed = await t.http.get(`/api/v1/refund-claims/${queued.body.id}`).set(bearer(finance.token)).expect(200);
      expect({ status: computed.body.status, error: computed.body.error }).toEqual({ status: 'draft', error: null });
      const csvFiles: Record<string, string> = {
        refund: (await t.http.get(`/api/v1/refund-claims/${queued.body.id}/export.csv`).set(bearer(finance.token)).expect(200)).text,
      };
      const xlsxFiles: Record<string, Buffer> = {
        refund: (await t.http.get(`/api/v1/refund-claims/${queued.body.id}/export.xlsx`).set(bearer(finance.token)).buffer(true).parse(binary).expect(200)).body as Buffer,
      };
      for (const report of ['spend', 'budget', 'supplier-performance']) {
        // The spend table for people by supplier, so the supplier's name is in it.
        csvFiles[report] = (await t.http.get(`/api/v1/reports/${report}.csv`).query({ year: 2026, ...(report === 'spend' ? { by: 'supplier' } : {}) }).set(bearer(finance.token)).expect(200)).text;
        xlsxFiles[report] = (await t.http.get(`/api/v1/reports/${report}.xlsx`).query({ year: 2026, ...(report === 'spend' ? { by: 'supplier' } : {}) }).set(bearer(finance.token)).buffer(true).parse(binary).expect(200)).body as Buffer;
      }

      // The hostile texts arrive, behind an apostrophe; no cell of any export starts like a formula unless it is a number.
      expect(readCsv(csvFiles.refund).flat()).toContain(`'${HOSTILE}`);
      expect(readCsv(csvFiles.spend).flat()).toContain(`'${HOSTILE}`);
      expect(readCsv(csvFiles['supplier-performance']).flat()).toContain(`'${HOSTILE}`);
      for (const [name, file] of Object.entries(csvFiles)) {
        const cells = readCsv(file).flat();
        expect({ name, running: cells.filter((cell) => FORMULA_START.test(cell) && !/^-?\d+([.,]\d+)?$/.test(cell)) }).toEqual({ name, running: [] });
        expect(file).not.toContain(`;${HOSTILE}`);
      }
      for (const [name, file] of Object.entries(xlsxFiles)) {
        const texts = await sheetTexts(file);
        expect({ name, running: texts.filter((text) => FORMULA_START.test(text)) }).toEqual({ name, running: [] });
        if (name !== 'budget') expect(texts).toContain(`'${HOSTILE}`);
      }
    });
  });

  describe('personal data in the free texts a supplier sees', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const terms = () => ({ citizenId, agreementId: mentor.agreementId, mentorType: 'retention', serviceLevel: 1, minutesPerWeek: 60, start: '2026-12-01', end: '2027-05-31' });
    const texts = { goal: 'Fastholdelse i job', tasks: 'Samtaler med borger og arbejdsgiver', mentorName: 'Mette Mentor', mentorPhone: '12345678' };
    const around = fc.tuple(fc.constantFrom('', 'CPR ', 'Borger (', 'cpr:', 'nr. ', 'Ring\n'), fc.constantFrom('', ')', '.', ' skal fastholdes', ', tlf. 12345678'));

    it('refuses a CPR number in any form it is typed in, in any field, with a 422 naming the field; never stores it', async () => {
      // Days 1–28 exist in every month of every year: each number is a real birth date.
      const cpr = fc
        .record({
          day: fc.integer({ min: 1, max: 28 }),
          month: fc.integer({ min: 1, max: 12 }),
          year: fc.integer({ min: 0, max: 99 }),
          serial: fc.oneof(fc.integer({ min: 0, max: 9999 }).map((n) => pad(n, 4)), fc.constantFrom('XXXX', 'xxxx')),
          inDate: fc.constantFrom('', '.', ' '),
          beforeSerial: fc.constantFrom('', '-', ' ', '  ', '   ', '–', '—', '‐', '−', '.', '+', ' - ', '\u00a0', '\n'),
        })
        .map(({ day, month, year, serial, inDate, beforeSerial }) => `${pad(day)}${inDate}${pad(month)}${inDate}${pad(year)}${beforeSerial}${serial}`);
      const field = fc.constantFrom('goal', 'tasks', 'mentorName', 'mentorPhone', 'complaintGuidance');
      await checked(
        'CPR numbers in grant texts',
        fc.asyncProperty(field, cpr, around, async (name, number, [before, after]) => {
          const text = `${before}${number}${after}`;
          const grant = { ...terms(), ...texts, [name]: text };
          const response = await attempt(['mentor_grant'], () => t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grant), () => ({ mentor_grant: 1 }), () => JSON.stringify(grant));
          expect({ text, status: response.status, details: response.body.details }).toEqual({ text, status: 422, details: [{ field: name, rule: 'cpr_in_text', message: `${name} may not hold a CPR number: the supplier sees this text` }] });
          expect(response.text).not.toContain(number);
        }),
        200,
      );
    });

    it('refuses a CPR number or the citizen’s name in a grant message, from either side; stores nothing and tells nobody', async () => {
      const cpr = fc
        .record({ day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }), year: fc.integer({ min: 0, max: 99 }), serial: fc.integer({ min: 0, max: 9999 }), gap: fc.constantFrom('', '-', ' ', '.') })
        .map(({ day, month, year, serial, gap }) => `${pad(day)}${pad(month)}${pad(year)}${gap}${pad(serial, 4)}`);
      const leak = fc.oneof(cpr, fc.constantFrom('Borger a', 'borger A', 'BORGER A'));
      const side = fc.constantFrom('supplier', 'caseworker');
      const kind = fc.constantFrom('question', 'answer', 'no_show', 'absence');
      await checked(
        'personal data in grant messages',
        fc.asyncProperty(side, kind, leak, around, async (who, messageKind, secret, [before, after]) => {
          const body = { kind: messageKind, body: `${before}${secret}${after}`, ...(messageKind === 'no_show' || messageKind === 'absence' ? { sessionDate: '2026-11-24' } : {}) };
          const token = who === 'supplier' ? mentor.user.token : caseworker.token;
          const response = await attempt(['grant_message', 'notification_event'], () => t.http.post(`/api/v1/grants/${mentor.grants.a.id}/messages`).set(bearer(token)).send(body), () => ({ grant_message: 1, notification_event: 1 }), () => JSON.stringify(body));
          expect({ status: response.status, rules: (response.body.details as Array<{ rule: string }>).map((d) => d.rule) }).toEqual({ status: 422, rules: [expect.stringMatching(/^(cpr_in_text|citizen_name_in_text)$/)] });
          expect(response.text).not.toContain(secret);
        }),
        100,
      );
    });

    it('takes a ten-digit number whose first six digits are no date (a case number such as 2026004711)', async () => {
      const notADate = fc.oneof(
        fc.record({ day: fc.integer({ min: 0, max: 99 }), month: fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 })) }),
        fc.record({ day: fc.oneof(fc.constant(0), fc.integer({ min: 32, max: 99 })), month: fc.integer({ min: 0, max: 99 }) }),
      );
      const number = fc
        .tuple(notADate, fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }), fc.constantFrom('', '-'))
        .map(([{ day, month }, year, serial, hyphen]) => `${pad(day)}${pad(month)}${pad(year)}${hyphen}${pad(serial, 4)}`);
      const field = fc.constantFrom('goal', 'tasks', 'mentorName', 'complaintGuidance');
      await checked(
        'case numbers in grant texts',
        fc.asyncProperty(field, number, around, async (name, digits, [before, after]) => {
          const text = `${before}${digits}${after}`;
          const grant = { ...terms(), ...texts, [name]: text };
          const response = await attempt(['mentor_grant'], () => t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grant), () => ({ mentor_grant: 1 }), () => JSON.stringify(grant));
          expect({ text, status: response.status }).toEqual({ text, status: 201 });
        }),
        100,
      );
    });
  });
});
