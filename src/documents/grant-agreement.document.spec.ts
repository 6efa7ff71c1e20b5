import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DocumentLanguage,
  type GrantAgreementView,
  loadGrantAgreementTexts,
  missingMandatoryContent,
  renderGrantAgreement,
} from './grant-agreement.document';
import { simpleTable } from './layout-helpers';
import { renderPdf } from './pdf-renderer';

const templatesDir = join(__dirname, '../../templates');
const workDir = mkdtempSync(join(tmpdir(), 'grant-agreement-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function makeView(overrides: Partial<GrantAgreementView> = {}, lang: DocumentLanguage = 'da'): GrantAgreementView {
  return {
    reference: 'MS-2026-000123',
    issuedDate: '23. november 2026',
    municipality: {
      name: 'Gribskov Kommune',
      jobCentre: 'Jobcenter Gribskov',
      address: 'Rådhusvej 3, 3200 Helsinge',
      contact: 'Tlf. 72 49 60 00 · jobcenter@gribskov.dk',
    },
    citizen: { name: 'Søren Ærø Åberg', maskedCpr: '010203-XXXX', caseNumber: 'J-2026-04711' },
    supplier: { name: 'Mentorhuset Nordsjælland ApS', cvr: '12345674', address: 'Østergade 12, 3200 Helsinge' },
    agreement: { reference: 'RA-2025-07', title: 'Rammeaftale om mentorstøtte 2025–2027', kindLabel: 'Rammeaftale' },
    mentorTypeLabel: 'Fastholdelsesmentor',
    legalBasis: 'Lov om en aktiv beskæftigelsesindsats, kapitel 26, §§ 167–171',
    serviceLevel: 'Niveau 2 (over 2 og op til 3 timer om ugen)',
    hoursPerWeekText: '2 timer 30 minutter',
    periodText: '6 måneder',
    start: '1. december 2026',
    end: '31. maj 2027',
    goal: 'Fastholdelse i job på værkstedet. Søren skal efter forløbet kunne varetage sine opgaver uden mentorstøtte.',
    tasks: 'Mentoren mødes med Søren mindst én gang om ugen på arbejdspladsen og støtter i dialogen med leder og kolleger.',
    mentor: { name: 'Ditte Højgaard Ørsted', phone: '+45 40 12 34 56', email: 'ditte@mentorhuset.dk' },
    followUpText: 'Jobcenteret følger op hver 13. uge, første gang senest 2. marts 2027.',
    lang,
    texts: loadGrantAgreementTexts(lang, templatesDir),
    ...overrides,
  };
}

// The PDF tools come from poppler-utils and qpdf; CI installs them (see .ci/run).
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
  const file = join(workDir, `document-${fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** The text of each page, as pdftotext -layout lays it out. */
function pagesOf(file: string): string[] {
  const pages = run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).split('\f');
  return pages.slice(0, -1); // pdftotext ends every page, the last one too, with a form feed
}

const flat = (text: string): string => text.replace(/\s+/g, ' ');

describe('grant agreement PDF', () => {
  let file: string;
  let text: string;

  beforeAll(async () => {
    file = writePdf(await renderGrantAgreement(makeView(), { createdAt: new Date('2026-11-23T09:00:00Z') }));
    text = flat(pagesOf(file).join('\n'));
  });

  it('holds the six mandatory contents', () => {
    // goal
    expect(text).toContain('Formål med mentorstøtten Fastholdelse i job på værkstedet.');
    // mentor's name and contact
    expect(text).toContain('Mentor Ditte Højgaard Ørsted Telefon +45 40 12 34 56 E-mail ditte@mentorhuset.dk');
    // tasks
    expect(text).toContain('Mentorens opgaver Mentoren mødes med Søren mindst én gang om ugen');
    // duration
    expect(text).toContain('Varighed 6 måneder Periode 1. december 2026 – 31. maj 2027');
    // hours
    expect(text).toContain('Timer pr. uge 2 timer 30 minutter');
    // complaint guidance
    expect(text).toContain('Klagevejledning Du kan klage over jobcenterets afgørelse om mentorstøtte til Ankestyrelsen.');
    expect(text).toContain('senest 4 uger efter');
  });

  it('names the parties, the agreement and the references', () => {
    expect(text).toContain('Gribskov Kommune');
    expect(text).toContain('Jobcenter Jobcenter Gribskov, Gribskov Kommune');
    expect(text).toContain('Borger Søren Ærø Åberg CPR-nr. 010203-XXXX');
    expect(text).toContain('Leverandør Mentorhuset Nordsjælland ApS CVR-nr. 12345674 Østergade 12, 3200 Helsinge');
    expect(text).toContain('Rammeaftale om mentorstøtte 2025–2027 Rammeaftale, aftalenr. RA-2025-07');
    expect(text).toContain('Bevillingsreference MS-2026-000123');
    expect(text).toContain('Sagsnummer J-2026-04711');
    expect(text).toContain('Skriftlig aftale om mentorstøtte · MS-2026-000123');
  });

  it('shows the CPR number only masked', () => {
    expect(text.match(/\d{6}-?[\dX]{4}/g)).toEqual(['010203-XXXX']);
    expect(text).not.toMatch(/\d{6}-?\d{4}/);
  });

  it('numbers its pages in the footer', () => {
    expect(pagesOf(file).map((page) => page.match(/Side \d+ af \d+/)?.[0])).toEqual(['Side 1 af 2', 'Side 2 af 2']);
  });

  it('embeds its fonts, is PDF/A-3b and tagged', () => {
    const fonts = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(fonts.map((line) => line.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    // columns: name, type…, encoding, emb, sub, uni, object, generation
    expect(fonts.map((line) => line.split(/\s+/).slice(-5, -4)[0])).toEqual(['yes', 'yes']);

    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const xml = pdf.toString('latin1');
    expect(xml).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(xml).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    const info = run('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Skriftlig aftale om mentorstøtte MS-2026-000123$/m);
    expect(info).toMatch(/^Pages:\s+2$/m);
  });

  (hasTool('qpdf') ? it : it.skip)('passes qpdf --check', () => {
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
  });

  it('lets a long tasks text flow onto page 2', async () => {
    const tasks = Array.from({ length: 9 }, (_, index) => `Opgave ${index + 1}: mentoren følger op på aftaler om mødetider, opgaver og pauser og taler med lederen om, hvordan det går.`).join('\n\n');
    const pages = pagesOf(writePdf(await renderGrantAgreement(makeView({ tasks }))));

    expect(pages).toHaveLength(2);
    expect(flat(pages[0])).toContain('Mentorens opgaver Opgave 1: mentoren');
    expect(pages[0]).not.toContain('Opgave 9:');
    expect(pages[1]).toContain('Opgave 9:');
    expect(pages[0]).toContain('Side 1 af 2');
    expect(pages[1]).toContain('Side 2 af 2');
  });

  it('is written in English from the English texts', async () => {
    const pages = pagesOf(writePdf(await renderGrantAgreement(makeView({}, 'en'))));
    const english = flat(pages.join('\n'));
    expect(english).toContain('Written agreement on mentor support');
    expect(english).toContain('How to complain You can complain');
    expect(english).toContain('Ankestyrelsen');
    expect(english).toContain('Page 2 of 2');
  });

  it('gives the same bytes for the same view and creation date', async () => {
    const createdAt = new Date('2026-11-23T09:00:00Z');
    const [first, second] = await Promise.all([renderGrantAgreement(makeView(), { createdAt }), renderGrantAgreement(makeView(), { createdAt })]);
    expect(first.equals(second)).toBe(true);
  });

  it('prints ten-digit numbers in its texts: a case number is no CPR number, and CPR numbers are kept out at input', async () => {
    const view = makeView({ citizen: { name: 'Søren Ærø Åberg', maskedCpr: '010203-XXXX', caseNumber: '2026004711' }, goal: 'Fastholdelse i job, jf. sagsnr. 2026004711.', tasks: 'Opfølgning på sag 2026-004711.' });
    const printed = flat(pagesOf(writePdf(await renderGrantAgreement(view))).join('\n'));
    expect(printed).toContain('Sagsnummer 2026004711');
    expect(printed).toContain('Formål med mentorstøtten Fastholdelse i job, jf. sagsnr. 2026004711.');
    expect(printed).toContain('Mentorens opgaver Opfølgning på sag 2026-004711.');
  });

  it('names the mandatory contents a view lacks', () => {
    expect(missingMandatoryContent(makeView())).toEqual([]);
    expect(missingMandatoryContent(makeView({ goal: ' ', tasks: '', mentor: { name: '\n' } }))).toEqual(['goal', 'tasks', 'mentor.name', 'mentor.phone or mentor.email']);
  });

  it.each([
    ['a full CPR number as the masked one', { citizen: { name: 'Søren Ærø Åberg', maskedCpr: '0102031234', caseNumber: 'J-1' } }, /full CPR/],
    ['no goal', { goal: ' ' }, /missing mandatory content: goal/],
    ['no tasks', { tasks: '' }, /missing mandatory content: tasks/],
    ['no hours', { hoursPerWeekText: '' }, /missing mandatory content: hoursPerWeekText/],
    ['no mentor contact', { mentor: { name: 'Ditte Højgaard Ørsted' } }, /missing mandatory content: mentor.phone or mentor.email/],
  ])('refuses %s', async (_, overrides: Partial<GrantAgreementView>, message) => {
    await expect(renderGrantAgreement(makeView(overrides))).rejects.toThrow(message);
  });
});

describe('loadGrantAgreementTexts', () => {
  const keysOf = (value: unknown, prefix = ''): string[] =>
    typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([key, inner]) => keysOf(inner, `${prefix}${key}.`))
      : [prefix.slice(0, -1)];

  it('has the same keys in Danish and English', () => {
    expect(keysOf(loadGrantAgreementTexts('en', templatesDir)).sort()).toEqual(keysOf(loadGrantAgreementTexts('da', templatesDir)).sort());
  });

  it('reads the standard complaint guidance', () => {
    const texts = loadGrantAgreementTexts('da', templatesDir);
    expect(texts.headings.complaint).toBe('Klagevejledning');
    expect(texts.complaintGuidance).toContain('Ankestyrelsen');
    expect(texts.complaintGuidance).toContain('senest 4 uger efter');
  });

  it('names the texts a template lacks', () => {
    const dir = join(workDir, 'broken-templates');
    mkdirSync(join(dir, 'documents'), { recursive: true });
    const texts = JSON.parse(readFileSync(join(templatesDir, 'documents', 'grant-agreement.da.json'), 'utf8')) as { labels: Record<string, string>; complaintGuidance: string };
    delete texts.labels.cpr;
    texts.complaintGuidance = '';
    writeFileSync(join(dir, 'documents', 'grant-agreement.da.json'), JSON.stringify(texts));
    expect(() => loadGrantAgreementTexts('da', dir)).toThrow(/missing or empty texts: complaintGuidance, labels\.cpr$/);
  });
});

describe('simpleTable', () => {
  it('repeats its header row on every page', async () => {
    const columns = [
      { header: 'Dato', width: 90 },
      { header: 'Ydelse', width: 250 },
      { header: 'Minutter', width: 70, align: 'right' as const },
      { header: 'Beløb', width: 73, align: 'right' as const },
    ];
    const rows = Array.from({ length: 120 }, (_, index) => [`${String((index % 28) + 1).padStart(2, '0')}.02.2026`, `Række ${index + 1}: samtale på værkstedet`, '45', '187,50']);
    const file = writePdf(await renderPdf((doc) => simpleTable(doc, columns, rows), { title: 'Tabel' }));
    const pages = pagesOf(file);

    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(page).toMatch(/Dato\s+Ydelse\s+Minutter\s+Beløb/);
    const all = pages.join('\n');
    expect(all.match(/Dato\s+Ydelse\s+Minutter\s+Beløb/g)).toHaveLength(pages.length);
    // every row exactly once, in order, none lost at a page break
    expect(all.match(/Række \d+:/g)).toEqual(rows.map((_, index) => `Række ${index + 1}:`));
    expect(pages[pages.length - 1]).toContain(`Side ${pages.length} af ${pages.length}`);
  });
});
