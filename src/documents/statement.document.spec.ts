import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentLanguage } from './grant-agreement.document';
import { loadStatementTexts, renderStatement, type StatementView, type StatementViewGroup } from './statement.document';

const templatesDir = join(__dirname, '../../templates');
const workDir = mkdtempSync(join(tmpdir(), 'statement-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const createdAt = new Date('2026-04-02T08:00:00Z');

function group(grantReference: string, lines: number, patch: Partial<StatementViewGroup> = {}): StatementViewGroup {
  return {
    grantReference,
    mentorType: 'Fastholdelsesmentor',
    accountCode: '5.68.90.1-001',
    lines: Array.from({ length: lines }, (_, i) => ({ date: `2026-03-${String(2 + i).padStart(2, '0')}`, source: 'F-2026-0042', minutes: '45', amount: '187,50 kr.' })),
    minutes: String(45 * lines),
    amount: '562,50 kr.',
    ...patch,
  };
}

function makeView(overrides: Partial<StatementView> = {}, lang: DocumentLanguage = 'da'): StatementView {
  return {
    number: '2026-000017',
    issuer: { name: 'Gribskov Kommune', jobCentre: 'Jobcenter Gribskov', address: 'Rådhusvej 3, 3200 Helsinge', contact: 'jobcenter@gribskov.dk · 72 49 60 00' },
    supplier: { name: 'Mentorhuset Nordsjælland & Co ApS', cvr: '12345674' },
    month: 'marts 2026',
    issuedDate: '2. april 2026',
    dueDate: '2. maj 2026',
    selfBilled: false,
    groups: [
      group('MS-2026-000123', 3, { mentorType: 'Helhedsorienteret mentor', accountCode: '5.68.90.1-003' }),
      group('MS-2026-000200', 2, {
        lines: [
          { date: '2026-02-23', source: 'Kreditering KN-2026-0003', minutes: '-15', amount: '-62,50 kr.' },
          { date: '2026-03-10', source: 'F-2026-0042', minutes: '45', amount: '187,50 kr.' },
        ],
        minutes: '30',
        amount: '125,00 kr.',
      }),
    ],
    annexWeeks: ['Før', 'Uge\n9', 'Uge\n10', 'Uge\n11', 'Uge\n12', 'Uge\n13', 'Uge\n14'],
    annex: [
      { grantReference: 'MS-2026-000123', sessions: '3', weekHours: ['', '', '2:15', '', '', '', ''], hours: '2:15', amount: '562,50 kr.' },
      { grantReference: 'MS-2026-000200', sessions: '1 (1)', weekHours: ['-0:15', '', '', '0:45', '', '', ''], hours: '0:30', amount: '125,00 kr.' },
    ],
    net: '687,50 kr.',
    vat: [{ rate: '25', net: '687,50 kr.', amount: '171,88 kr.' }],
    total: '859,38 kr.',
    hours: '2:45',
    accounts: [
      { code: '5.68.90.1-001', amount: '125,00 kr.' },
      { code: '5.68.90.1-003', amount: '562,50 kr.' },
    ],
    lang,
    texts: loadStatementTexts(lang, templatesDir),
    ...overrides,
  };
}

// The PDF tools come from poppler-utils and qpdf (apt-get install -y poppler-utils qpdf).
function run(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(`${tool} is not installed; the PDF tests read documents back with it: apt-get install -y poppler-utils qpdf`);
  }
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

const hasTool = (tool: string): boolean => (spawnSync(tool, ['--version']).error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT';

let fileCount = 0;
function writePdf(pdf: Buffer): string {
  fileCount += 1;
  const file = join(workDir, `statement-${fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

function pagesOf(file: string): string[] {
  return run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).split('\f').slice(0, -1);
}

const flat = (text: string): string => text.replace(/\s+/g, ' ');

describe('statement PDF', () => {
  let pdf: Buffer;
  let file: string;
  let pages: string[];
  let text: string;

  beforeAll(async () => {
    pdf = await renderStatement(makeView(), { createdAt });
    file = writePdf(pdf);
    pages = pagesOf(file);
    text = flat(pages.join('\n'));
  });

  it('is a PDF/A-3b file, tagged, with its fonts embedded', () => {
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const raw = pdf.toString('latin1');
    expect(raw).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    const info = run('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Afregningsoversigt 2026-000017$/m);
    const fonts = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(fonts.map((line) => line.split(/\s+/).slice(-5, -4)[0])).toEqual(['yes', 'yes']);
  });

  (hasTool('qpdf') ? it : it.skip)('passes qpdf --check', () => {
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
  });

  it('names the statement, the supplier, the month and the dates', () => {
    expect(text).toContain('Gribskov Kommune');
    expect(text).toContain('Afregningsoversigt 2026-000017');
    expect(text).toContain('Nummer 2026-000017');
    expect(text).toContain('Udstedt 2. april 2026');
    expect(text).toContain('Betalingsfrist 2. maj 2026');
    expect(text).toContain('Leverandør Mentorhuset Nordsjælland & Co ApS CVR-nr. 12345674');
    expect(text).toContain('Måned marts 2026');
    expect(text).toContain('godkendt til betaling for marts 2026');
    expect(text).not.toContain('Kladde');
  });

  it('shows the totals excl. VAT, the VAT per rate and the total, and when it is paid', () => {
    expect(text).toContain('Beløb ekskl. moms 687,50 kr. Moms 25 % af 687,50 kr. 171,88 kr. I alt inkl. moms 859,38 kr. Timer i alt 2:45');
    expect(text).toContain('Beløbet betales senest 2. maj 2026.');
  });

  it('lists the lines by grant, each grant with its account code and subtotal', () => {
    const lines = pages.join('\n');
    expect(lines).toMatch(/Dato\s+Faktura\s+Minutter\s+Beløb ekskl. moms/);
    expect(lines).toMatch(/MS-2026-000123 · Helhedsorienteret mentor · Kontering 5\.68\.90\.1-003/);
    expect(lines).toMatch(/2026-03-02\s+F-2026-0042\s+45\s+187,50 kr\./);
    expect(lines).toMatch(/I alt\s+135\s+562,50 kr\./);
    expect(lines).toMatch(/2026-02-23\s+Kreditering KN-2026-0003\s+-15\s+-62,50 kr\./);
    expect(lines).toMatch(/I alt\s+30\s+125,00 kr\./);
    expect(text.indexOf('MS-2026-000123 ·')).toBeLessThan(text.indexOf('MS-2026-000200 ·'));
  });

  it('totals the account codes and ends with the hours annex on a page of its own', () => {
    expect(pages.join('\n')).toMatch(/5\.68\.90\.1-003\s+562,50 kr\./);
    const annex = pages[pages.length - 1];
    expect(annex).toContain('Bilag: timer pr. bevilling');
    expect(annex).toMatch(/Bevilling\s+Sessioner\s+Før\s+Uge\s+Uge\s+Uge\s+Uge\s+Uge\s+Uge\s+Timer\s+Beløb/);
    expect(annex).toMatch(/9\s+10\s+11\s+12\s+13\s+14\s+ekskl\./);
    expect(annex).toMatch(/MS-2026-000123\s+3\s+2:15\s+2:15\s+562,50 kr\./);
    expect(annex).toMatch(/MS-2026-000200\s+1 \(1\)\s+-0:15\s+0:45\s+0:30\s+125,00 kr\./);
    expect(pages[0]).not.toContain('Bilag: timer pr. bevilling');
    expect(pages.map((page) => page.match(/Side \d+ af \d+/)?.[0])).toEqual(pages.map((_, i) => `Side ${i + 1} af ${pages.length}`));
    expect(annex).toContain('Afregningsoversigt 2026-000017 · marts 2026');
  });

  it('holds no CPR number', () => {
    expect(text).not.toMatch(/\d{6}-?\d{4}/);
  });

  it('gives the same bytes for the same view and creation date', async () => {
    expect((await renderStatement(makeView(), { createdAt })).equals(pdf)).toBe(true);
  });
});

describe('statement PDF: drafts, self-billing, empty months, long statements and English', () => {
  it('marks a draft as such everywhere the number would be', async () => {
    const file = writePdf(await renderStatement(makeView({ number: null })));
    const text = flat(pagesOf(file).join('\n'));
    expect(text).toContain('Afregningsoversigt · Kladde');
    expect(text).toContain('Nummer Kladde');
    expect(text).toContain('Kladde: Afregningen er ikke endelig.');
    expect(text).toContain('Afregningsoversigt Kladde · marts 2026');
    expect(run('pdfinfo', [file])).toMatch(/^Title:\s+Afregningsoversigt Kladde$/m);
  });

  it('says a self-billed statement replaces the company’s invoice', async () => {
    const text = flat(pagesOf(writePdf(await renderStatement(makeView({ selfBilled: true })))).join('\n'));
    expect(text).toContain('Selvfaktura: Kommunen har udstedt afregningen på grundlag af de timer, virksomheden har registreret');
  });

  it('names the column Før in the annex only when the annex has it, and keeps a short statement and its annex on one page', async () => {
    const withEarlier = flat(pagesOf(writePdf(await renderStatement(makeView()))).join('\n'));
    expect(withEarlier).toContain('Kolonnen Før viser krediteringer af sessioner i tidligere måneder.');
    const oneGroup = makeView().groups.slice(0, 1);
    const pages = pagesOf(
      writePdf(
        await renderStatement(
          makeView({
            groups: oneGroup,
            accounts: [],
            annexWeeks: ['Uge\n10'],
            annex: [{ grantReference: 'MS-2026-000123', sessions: '3', weekHours: ['2:15'], hours: '2:15', amount: '562,50 kr.' }],
          }),
        ),
      ),
    );
    expect(pages).toHaveLength(1);
    const text = flat(pages[0]);
    expect(text).toContain('Bilag: timer pr. bevilling');
    expect(text).not.toContain('Kolonnen Før');
  });

  it('says so when a month has no lines, with neither account table nor annex', async () => {
    const pages = pagesOf(
      writePdf(await renderStatement(makeView({ groups: [], annexWeeks: [], annex: [], accounts: [], net: '0,00 kr.', vat: [], total: '0,00 kr.', hours: '0:00' }))),
    );
    expect(pages).toHaveLength(1);
    const text = flat(pages[0]);
    expect(text).toContain('Ingen godkendte ydelser i måneden.');
    expect(text).toContain('I alt inkl. moms 0,00 kr.');
    expect(text).not.toContain('Bilag');
  });

  it('flows a long statement over pages, repeating the headers and the grant, losing no line', async () => {
    const groups = Array.from({ length: 30 }, (_, g) =>
      group(`MS-2026-${String(g + 1).padStart(6, '0')}`, 8, {
        lines: Array.from({ length: 8 }, (_, i) => ({ date: `2026-03-${String(i + 2).padStart(2, '0')}`, source: `F-${g + 1}-${i + 1}`, minutes: '45', amount: '187,50 kr.' })),
      }),
    );
    const pages = pagesOf(writePdf(await renderStatement(makeView({ groups }))));
    const all = pages.join('\n');

    expect(pages.length).toBeGreaterThanOrEqual(6);
    // every line once, in order
    expect(all.match(/F-\d+-\d+/g)).toEqual(groups.flatMap((g, gi) => g.lines.map((_, i) => `F-${gi + 1}-${i + 1}`)));
    expect(all.match(/I alt\s+360\s+562,50 kr\./g)).toHaveLength(30);
    // the column headers open every page of lines, and a grant split by a page break is named again
    const linePages = pages.filter((page) => /F-\d+-\d+/.test(page));
    for (const page of linePages) expect(page).toMatch(/Dato\s+Faktura\s+Minutter\s+Beløb ekskl. moms/);
    const continued = all.match(/MS-2026-\d{6} · Fastholdelsesmentor · Kontering 5\.68\.90\.1-001 \(fortsat\)/g) ?? [];
    const pagesStartingInsideAGrant = linePages.slice(1).filter((page) => /\(fortsat\)/.test(page)).length;
    expect(continued).toHaveLength(pagesStartingInsideAGrant);
  });

  it('is written in English from the English texts', async () => {
    const view = makeView({ month: 'March 2026', issuedDate: '2 April 2026', dueDate: '2 May 2026' }, 'en');
    const text = flat(pagesOf(writePdf(await renderStatement(view))).join('\n'));
    expect(text).toContain('Statement 2026-000017');
    expect(text).toContain('Payment due 2 May 2026');
    expect(text).toContain('Annex: hours by grant');
    expect(text).toContain('Page 1 of 2');
  });
});

describe('loadStatementTexts', () => {
  const keysOf = (value: unknown, prefix = ''): string[] =>
    typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([key, inner]) => keysOf(inner, `${prefix}${key}.`))
      : [prefix.slice(0, -1)];

  it('has the same keys in Danish and English', () => {
    expect(keysOf(loadStatementTexts('en', templatesDir)).sort()).toEqual(keysOf(loadStatementTexts('da', templatesDir)).sort());
  });

  it('names the texts a template lacks', () => {
    const dir = join(workDir, 'broken-templates');
    mkdirSync(join(dir, 'documents'), { recursive: true });
    const texts = JSON.parse(readFileSync(join(templatesDir, 'documents', 'statement.da.json'), 'utf8')) as { labels: Record<string, string>; mentorTypes: Record<string, string>; months: string[]; payment: string };
    delete texts.labels.vat;
    delete texts.mentorTypes.release;
    texts.months = texts.months.slice(0, 11);
    texts.payment = ' ';
    writeFileSync(join(dir, 'documents', 'statement.da.json'), JSON.stringify(texts));
    expect(() => loadStatementTexts('da', dir)).toThrow(/missing or empty texts: payment, labels\.vat, mentorTypes\.release, months \(12 names\)$/);
  });
});
