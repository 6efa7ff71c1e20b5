import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BODY_SIZE, heading, labelValue, paragraph, section, tagged } from './layout-helpers';
import { type DocumentLayout, MUTED_COLOUR, RULE_COLOUR, TEXT_COLOUR, asArtifact, renderPdf } from './pdf-renderer';

const LABEL_KEYS = [
  'date', 'reference', 'caseNumber', 'jobCentre', 'contact', 'citizen', 'cpr', 'supplier', 'cvr', 'agreement',
  'agreementReference', 'mentorType', 'legalBasis', 'serviceLevel', 'hours', 'duration', 'period', 'mentorName', 'phone', 'email',
] as const;
const HEADING_KEYS = ['parties', 'grant', 'goal', 'tasks', 'mentor', 'followUp', 'complaint', 'dataProtection', 'history'] as const;
const TEXT_KEYS = ['title', 'draft', 'intro', 'complaintGuidance', 'dataProtection', 'closing', 'footer', 'pageNumber', 'versionInForce', 'historyIntro'] as const;

/** The fixed texts of the agreement, from templates/documents/grant-agreement.<lang>.json. */
export type GrantAgreementTexts = Record<(typeof TEXT_KEYS)[number], string> & {
  labels: Record<(typeof LABEL_KEYS)[number], string>;
  headings: Record<(typeof HEADING_KEYS)[number], string>;
};

export type DocumentLanguage = 'da' | 'en';

/** Everything the written agreement shows, already formatted for display. */
export interface GrantAgreementView {
  /** The grant's pseudonymous reference, e.g. `MS-2026-000123`. */
  reference: string;
  issuedDate: string;
  municipality: { name: string; jobCentre: string; address: string; contact: string };
  /** The CPR number arrives masked (`010203-XXXX`); a full one is refused. */
  citizen: { name: string; maskedCpr: string; caseNumber: string };
  supplier: { name: string; cvr: string; address?: string };
  agreement: { reference: string; title: string; kindLabel: string };
  mentorTypeLabel: string;
  legalBasis: string;
  serviceLevel: string;
  /** e.g. '2 timer 30 minutter' */
  hoursPerWeekText: string;
  /** e.g. '6 måneder' */
  periodText: string;
  start: string;
  end: string;
  goal: string;
  tasks: string;
  /** At least one of phone and e-mail is required. */
  mentor: { name: string; phone?: string; email?: string };
  followUpText: string;
  /** Replaces the standard complaint guidance of `texts` when the decision needs another. */
  complaintGuidance?: string;
  lang: DocumentLanguage;
  texts: GrantAgreementTexts;
  /** Set while the grant awaits a team leader's approval: the agreement is a draft, not yet in force. */
  draftNotice?: string;
  /** Set once the grant has been amended: the day the version shown took effect, e.g. '2. november 2026'. */
  versionSince?: string;
  /** The grant's history (an annex): each version by the day it took effect and what changed, oldest first. */
  history?: Array<[from: string, change: string]>;
}

/** Reads and checks the agreement's texts for one language. */
export function loadGrantAgreementTexts(lang: DocumentLanguage, templatesDir: string): GrantAgreementTexts {
  const file = join(templatesDir, 'documents', `grant-agreement.${lang}.json`);
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const missing = [
    ...missingKeys(raw, TEXT_KEYS, ''),
    ...missingKeys(isRecord(raw) ? raw.labels : undefined, LABEL_KEYS, 'labels.'),
    ...missingKeys(isRecord(raw) ? raw.headings : undefined, HEADING_KEYS, 'headings.'),
  ];
  if (missing.length > 0) throw new Error(`${file}: missing or empty texts: ${missing.join(', ')}`);
  return raw as GrantAgreementTexts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missingKeys(value: unknown, keys: readonly string[], prefix: string): string[] {
  return keys.filter((key) => !isRecord(value) || typeof value[key] !== 'string' || value[key].trim() === '').map((key) => prefix + key);
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

// The masked CPR number (DDMMYY-XXXX) is the only one the agreement prints. Free texts are checked for CPR
// numbers at input and masked by the view model, so a ten-digit case number in them is printed as it is.
const FULL_CPR = /\b\d{6}-?\d{4}\b/;

/** The mandatory contents (the six of the written agreement, and the citizen) that the view lacks, by name. */
export function missingMandatoryContent(view: GrantAgreementView): string[] {
  const required: Array<[string, string]> = [
    ['reference', view.reference], ['goal', view.goal], ['tasks', view.tasks], ['mentor.name', view.mentor.name],
    ['hoursPerWeekText', view.hoursPerWeekText], ['periodText', view.periodText], ['start', view.start], ['end', view.end],
    ['citizen.name', view.citizen.name], ['citizen.maskedCpr', view.citizen.maskedCpr],
  ];
  const empty = required.filter(([, value]) => value.trim() === '').map(([name]) => name);
  if (!view.mentor.phone?.trim() && !view.mentor.email?.trim()) empty.push('mentor.phone or mentor.email');
  return empty;
}

// No agreement leaves without its mandatory contents or with a full CPR number; the caller checks the contents
// first (missingMandatoryContent), so these guard against a programming error, not against a user's data.
function assertComplete(view: GrantAgreementView): void {
  const empty = missingMandatoryContent(view);
  if (empty.length > 0) throw new Error(`Grant agreement ${view.reference}: missing mandatory content: ${empty.join(', ')}`);
  if (FULL_CPR.test(view.citizen.maskedCpr)) throw new Error(`Grant agreement ${view.reference}: a full CPR number may not be printed`);
}

/** The written agreement of a grant, as a pure layout over its view model. */
export function grantAgreementLayout(view: GrantAgreementView): DocumentLayout {
  assertComplete(view);
  const { texts } = view;
  const { labels, headings } = texts;

  return (doc, fonts) => {
    letterhead(doc, fonts.bold, fonts.body, view);
    heading(doc, texts.title, 1);
    if (view.draftNotice) paragraph(doc, view.draftNotice);
    paragraph(doc, fill(texts.intro, { jobCentre: view.municipality.jobCentre }));
    if (view.versionSince) paragraph(doc, fill(texts.versionInForce, { date: view.versionSince }));

    section(doc, headings.parties, () =>
      labelValue(doc, [
        [labels.citizen, view.citizen.name],
        [labels.cpr, view.citizen.maskedCpr],
        [labels.jobCentre, `${view.municipality.jobCentre}, ${view.municipality.name}`],
        [labels.supplier, [view.supplier.name, `${labels.cvr} ${view.supplier.cvr}`, view.supplier.address].filter(Boolean).join('\n')],
        [labels.agreement, `${view.agreement.title}\n${view.agreement.kindLabel}, ${labels.agreementReference.toLowerCase()} ${view.agreement.reference}`],
      ]),
    );

    section(doc, headings.grant, () =>
      labelValue(doc, [
        [labels.mentorType, view.mentorTypeLabel],
        [labels.legalBasis, view.legalBasis],
        [labels.serviceLevel, view.serviceLevel],
        [labels.hours, view.hoursPerWeekText],
        [labels.duration, view.periodText],
        [labels.period, `${view.start} – ${view.end}`],
      ]),
    );

    section(doc, headings.goal, view.goal);
    section(doc, headings.tasks, view.tasks);
    section(doc, headings.mentor, () =>
      labelValue(
        doc,
        [
          [labels.mentorName, view.mentor.name],
          [labels.phone, view.mentor.phone ?? ''],
          [labels.email, view.mentor.email ?? ''],
        ].filter(([, value]) => value !== '') as Array<[string, string]>,
      ),
    );
    section(doc, headings.followUp, view.followUpText);
    section(doc, headings.complaint, view.complaintGuidance ?? texts.complaintGuidance);
    section(doc, headings.dataProtection, texts.dataProtection);

    doc.y += 10;
    paragraph(doc, `${texts.closing}\n\n${view.municipality.jobCentre}`);
    if (view.history && view.history.length > 0) {
      doc.addPage();
      heading(doc, headings.history, 1);
      paragraph(doc, texts.historyIntro);
      labelValue(doc, view.history);
    }
  };
}

// Sender on the left, the letter's date and references on the right, a rule beneath.
function letterhead(doc: PDFKit.PDFDocument, bold: string, body: string, view: GrantAgreementView): void {
  const { labels } = view.texts;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const top = doc.page.margins.top;
  const rightWidth = 215;
  const labelWidth = 92;
  const rightX = left + width - rightWidth;

  const senderWidth = width - rightWidth - 20;
  tagged(doc, 'P', () => {
    doc.font(bold).fontSize(13).fillColor(TEXT_COLOUR).text(view.municipality.name, left, top, { width: senderWidth });
    doc.font(body).fontSize(BODY_SIZE - 1).fillColor(MUTED_COLOUR);
    doc.text([view.municipality.jobCentre, view.municipality.address, view.municipality.contact].join('\n'), left, doc.y + 3, {
      width: senderWidth,
      lineGap: 2,
    });
  });
  const senderBottom = doc.y;

  const refs: Array<[string, string]> = [
    [labels.date, view.issuedDate],
    [labels.reference, view.reference],
    [labels.caseNumber, view.citizen.caseNumber],
  ];
  let y = top + 2;
  for (const [label, value] of refs) {
    tagged(doc, 'P', () => {
      doc.font(body).fontSize(BODY_SIZE - 1.5).fillColor(MUTED_COLOUR).text(label, rightX, y + 0.5, { width: labelWidth });
      doc.font(bold).fontSize(BODY_SIZE - 1).fillColor(TEXT_COLOUR).text(value, rightX + labelWidth, y, { width: rightWidth - labelWidth, align: 'right' });
    });
    y = doc.y + 4;
  }

  const ruleY = Math.max(senderBottom, y) + 14;
  asArtifact(doc, 'Layout', () => {
    doc.save().moveTo(left, ruleY).lineTo(left + width, ruleY).lineWidth(0.75).strokeColor(RULE_COLOUR).stroke().restore();
  });
  doc.fillColor(TEXT_COLOUR);
  doc.x = left;
  doc.y = ruleY + 26;
}

/** Renders the written agreement; `createdAt` fixes the PDF's creation date (stored documents, tests). */
export async function renderGrantAgreement(view: GrantAgreementView, options: { createdAt?: Date } = {}): Promise<Buffer> {
  const { texts } = view;
  return renderPdf(grantAgreementLayout(view), {
    title: `${texts.title} ${view.reference}`,
    author: view.municipality.jobCentre,
    subject: texts.title,
    lang: view.lang === 'da' ? 'da-DK' : 'en-GB',
    footerText: fill(texts.footer, { reference: view.reference }),
    pageNumberText: (page, pages) => fill(texts.pageNumber, { page: String(page), pages: String(pages) }),
    createdAt: options.createdAt,
  });
}
