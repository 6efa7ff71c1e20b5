/**
 * How fast statements render: pages per second on one core, for the statement PDF (PDF/A-3b, tagged,
 * layout helpers) beside pdfkit drawing the same page content bare (no tags, no PDF/A, no helpers) as
 * the floor. Run after a build:
 *
 *   npm run build && node dist/bench/pdf.js [--sample statement.pdf]
 *
 * Two workloads, each about 1,000 pages: 100 statements of a large supplier (45 citizens' courses,
 * weekly sessions and a few credits: about 10 pages each) and 500 statements of a small supplier
 * (3 courses: a page of lines and a page of annex).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { type ApprovedDelivery, buildStatement, type Statement } from '../src/billing/statement.rules';
import { statementView } from '../src/billing/statement.view';
import { lineAmountOre } from '../src/invoices/invoice-amounts';
import { loadStatementTexts, renderStatement, type StatementView } from '../src/documents/statement.document';
import { DEFAULT_RULE_SET, MENTOR_TYPES, TARGET_GROUPS } from '../src/rules/rule-set';

const templatesDir = join(__dirname, '../../templates');
const texts = loadStatementTexts('da', templatesDir);
const createdAt = new Date('2026-04-02T08:00:00Z');

// A small deterministic generator, so every run renders the same statements.
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

function monthOfDeliveries(statementNo: number, grants: number): ApprovedDelivery[] {
  const next = generator(statementNo + 1);
  const deliveries: ApprovedDelivery[] = [];
  for (let g = 0; g < grants; g += 1) {
    const grantReference = `MS-2026-${String(statementNo * 1_000 + g).padStart(6, '0')}`;
    const mentorType = MENTOR_TYPES[next(MENTOR_TYPES.length)];
    const targetGroupAtStart = TARGET_GROUPS[next(TARGET_GROUPS.length)];
    const firstDay = 2 + next(5);
    for (let day = firstDay; day <= 31; day += 7) {
      const minutes = 30 + 15 * next(7);
      const approvedOre = lineAmountOre(minutes, 45_000);
      deliveries.push({
        deliveryId: `${grantReference}-${day}`,
        grantReference,
        date: `2026-03-${String(day).padStart(2, '0')}`,
        minutes,
        approvedOre,
        vatBasisPoints: 2_500,
        mentorType,
        targetGroupAtStart,
        invoiceNumber: `F-2026-${String(statementNo).padStart(4, '0')}`,
        kind: 'delivery',
      });
    }
    if (next(10) === 0) {
      deliveries.push({
        deliveryId: `${grantReference}-credit`,
        grantReference,
        date: '2026-02-23',
        minutes: -45,
        approvedOre: -33_750,
        vatBasisPoints: 2_500,
        mentorType,
        targetGroupAtStart,
        invoiceNumber: `KN-2026-${String(statementNo).padStart(4, '0')}`,
        kind: 'credit',
      });
    }
  }
  return deliveries;
}

function statementFor(statementNo: number, grants: number): Statement {
  return buildStatement({
    supplier: { id: `sup-${statementNo}`, name: `Mentorhuset nr. ${statementNo} ApS`, cvr: '12345674', vatRegistered: true },
    month: '2026-03',
    issuedOn: '2026-04-02',
    ruleSet: DEFAULT_RULE_SET.values,
    deliveries: monthOfDeliveries(statementNo, grants),
  });
}

const pageCount = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page[^s]/g)?.length ?? 0;

// ---- the floor: the same content, drawn bare ----

const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fonts = { body: readFileSync(join(fontDir, 'DejaVuSans.ttf')), bold: readFileSync(join(fontDir, 'DejaVuSans-Bold.ttf')) };

function renderBare(view: StatementView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 72, left: 56, right: 56 } });
  doc.registerFont('Body', fonts.body);
  doc.registerFont('Bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const bottom = doc.page.height - 72;
  let page = 1;
  let y = 56;
  const footer = (): void => {
    doc.font('Body').fontSize(8).text(`Side ${page}`, 56, doc.page.height - 44, { lineBreak: false });
  };
  const line = (cells: Array<[string, number]>, font = 'Body', height = 16): void => {
    if (y + height > bottom) {
      footer();
      doc.addPage();
      page += 1;
      y = 56;
    }
    doc.font(font).fontSize(9);
    for (const [text, x] of cells) doc.text(text, x, y + 4, { lineBreak: false });
    y += height;
  };

  line([[view.issuer.name, 56], [view.number ?? texts.draft, 400]], 'Bold', 20);
  line([[view.issuedDate, 400]]);
  line([[view.dueDate, 400]]);
  line([[`${texts.title} ${view.number ?? texts.draft}`, 56]], 'Bold', 30);
  line([[`${view.supplier.name}, CVR ${view.supplier.cvr}`, 56]]);
  line([[view.month, 56]]);
  line([[view.net, 56]]);
  for (const vat of view.vat) line([[vat.amount, 56]]);
  line([[view.total, 56]]);
  for (const group of view.groups) {
    line([[`${group.grantReference} · ${group.mentorType} · ${group.accountCode}`, 56]], 'Bold');
    for (const row of group.lines) line([[row.date, 61], [row.source, 143], [row.minutes, 340], [row.amount, 450]]);
    line([['I alt', 61], [group.minutes, 340], [group.amount, 450]], 'Bold');
  }
  for (const account of view.accounts) line([[account.code, 61], [account.amount, 450]]);
  footer();
  doc.addPage();
  page += 1;
  y = 56;
  line([['Bevilling', 61], ['Sessioner', 140], ...view.annexWeeks.map((week, i): [string, number] => [week.replace('\n', ' '), 195 + 35 * i]), ['Timer', 440], ['Beløb', 480]], 'Bold', 24);
  for (const row of view.annex) {
    line([[row.grantReference, 61], [row.sessions, 140], ...row.weekHours.map((hours, i): [string, number] => [hours, 195 + 35 * i]), [row.hours, 440], [row.amount, 480]]);
  }
  footer();
  doc.end();
  return done;
}

// ---- timing ----

interface Result {
  pages: number;
  seconds: number;
  /** CPU time of this process (user + system): the per-core figure even when other work shares the machine. */
  cpuSeconds: number;
}

async function time(views: StatementView[], render: (view: StatementView) => Promise<Buffer>): Promise<Result> {
  let pages = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // One at a time: the figure is per core.
  for (const view of views) pages += pageCount(await render(view));
  const cpu = process.cpuUsage(cpuStart);
  return { pages, seconds: (performance.now() - start) / 1_000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const perSecond = (result: Result): string =>
  `${(result.pages / result.seconds).toFixed(0)} pages/s (${(result.pages / result.cpuSeconds).toFixed(0)} per CPU-second)`;

async function workload(name: string, statements: number, grants: number): Promise<void> {
  const buildStart = performance.now();
  const views = Array.from({ length: statements }, (_, i) => statementView(statementFor(i + 1, grants), `2026-${String(i + 1).padStart(6, '0')}`, texts, 'da'));
  const buildSeconds = (performance.now() - buildStart) / 1_000;

  // Warm up the JIT and the font parser before timing.
  for (const view of views.slice(0, 3)) {
    await renderStatement(view, { createdAt });
    await renderBare(view);
  }
  const full = await time(views, (view) => renderStatement(view, { createdAt }));
  const bare = await time(views, renderBare);
  const lines = views.reduce((total, view) => total + view.groups.reduce((sum, group) => sum + group.lines.length, 0), 0);

  process.stdout.write(
    [
      `${name}: ${statements} statements, ${grants} grants and ${(lines / statements).toFixed(0)} lines each`,
      `  rules + view model   ${(buildSeconds * 1_000).toFixed(0)} ms for all`,
      `  statement PDF/A      ${full.pages} pages in ${full.seconds.toFixed(2)} s = ${perSecond(full)}, ${(full.pages / statements).toFixed(1)} pages a statement`,
      `  bare pdfkit floor    ${bare.pages} pages in ${bare.seconds.toFixed(2)} s = ${perSecond(bare)}`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const sampleAt = process.argv.indexOf('--sample');
  if (sampleAt > 0) {
    const file = process.argv[sampleAt + 1] ?? 'statement.pdf';
    writeFileSync(file, await renderStatement(statementView(statementFor(1, 45), '2026-000001', texts, 'da'), { createdAt }));
    process.stdout.write(`wrote ${file}\n`);
    return;
  }
  process.stdout.write(`node ${process.version}, one core\n\n`);
  await workload('large suppliers', 100, 45);
  await workload('small suppliers', 500, 3);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
