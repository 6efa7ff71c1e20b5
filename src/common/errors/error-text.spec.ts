import { join } from 'node:path';
import { loadCatalogues } from '../i18n/messages';
import { DomainErrorCode, DomainException } from './domain.exception';
import { detailText } from './error-text';
import { localizedErrorBody } from './http-exception.filter';
import { RuleError } from './rule-error';

const catalogues = loadCatalogues(join(__dirname, '../../../templates'));

describe('the one translator of errors', () => {
  it('writes a detail from its code’s text, its values formatted: minutes, a band, kroner, states by their names', () => {
    const band = { field: 'minutesPerWeek', rule: 'hours_in_band', message: '121 minutes per week is outside service level 1 (up to 120)', values: { minutesPerWeek: 121, level: 1, min: null, max: 120 } };
    expect(detailText(catalogues, 'da', band)).toBe('2 t. 1 min. om ugen ligger uden for serviceniveau 1. Niveau 1: op til 2 t./uge');
    expect(detailText(catalogues, 'en', band)).toBe('2 h 1 min a week is outside service level 1. Level 1: up to 2 h/week');
    const changed = { field: 'expectedApprovableOre', rule: 'numbers_changed', message: 'now 90000', values: { approvableOre: 90_000, expectedApprovableOre: 100_000 } };
    expect(detailText(catalogues, 'da', changed)).toBe('Det godkendelige beløb er nu 900,00 kr., ikke 1.000,00 kr., som du så. Gennemgå fakturaen igen, før du godkender.');
    expect(detailText(catalogues, 'en', changed)).toBe('The approvable amount is now DKK 900.00, not the DKK 1,000.00 you saw. Review the invoice again before approving.');
    const transition = { field: 'status', rule: 'refund_claim_transition', message: 'a refund claim that is submitted cannot become draft', values: { from: 'submitted', to: 'draft' } };
    expect(detailText(catalogues, 'da', transition)).toBe('Refusionsanmodningen er »Indsendt« og kan ikke blive »Kladde«; en indsendt eller fejlet anmodning ændres aldrig – bed om en ny.');
    const role = { field: 'status', rule: 'grant_transition_role', message: 'supplier may not move a grant from active to ended', values: { from: 'active', to: 'ended', role: 'supplier' } };
    expect(detailText(catalogues, 'da', role)).toBe('Rollen leverandør må ikke flytte en bevilling fra »Aktiv« til »Afsluttet«.');
  });

  it('keeps the detail’s own message where the catalogue has no text for its code, or a value the text needs is missing', () => {
    expect(detailText(catalogues, 'da', { rule: 'something_new', message: 'something new happened' })).toBe('something new happened');
    expect(detailText(catalogues, 'da', { rule: 'month_ended', message: '2026-11 has not ended' })).toBe('2026-11 has not ended');
    expect(detailText(catalogues, 'da', { rule: 'month_ended', message: '2026-11 has not ended', values: { month: '2026-11', today: '2026-11-25' } })).toBe(
      '2026-11 er ikke slut endnu; afregningerne kan gøres endelige fra dagen efter månedens sidste dag.',
    );
  });

  it('gives a rule error its code’s text and the answer’s text, keeping status, rule and values', () => {
    const refused = new RuleError('date_out_of_range', 'year 10000 is outside 1000–9999', { values: { year: 10_000, min: 1000, max: 9999 } });
    expect(localizedErrorBody(refused, catalogues, 'da')).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Oplysningerne overholder ikke reglerne.',
      details: [{ rule: 'date_out_of_range', message: 'Datoen ligger uden for årene 1000–9999, som portalen regner med.', values: { year: 10_000, min: 1000, max: 9999 } }],
    });
  });

  it('labels fields and heads the details as the page asks, and uses an exception’s own text for the answer', () => {
    const invalid = new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', [{ field: 'budget', rule: 'required', message: 'the budget is missing' }]);
    expect(localizedErrorBody(invalid, catalogues, 'da', { heading: 'finance.error.budget', fieldLabel: (field) => (field === 'budget' ? 'Budget' : undefined) })).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Budgettet kunne ikke gemmes.',
      details: [{ field: 'Budget', rule: 'required', message: 'mangler.' }],
    });
    expect(localizedErrorBody(invalid, catalogues, 'en').message).toBe('Some fields are not filled in correctly.');
    const csrf = new DomainException(DomainErrorCode.Forbidden, 'The form has expired or did not come from this portal', [{ field: '_csrf', rule: 'csrf_token', message: 'a valid CSRF token is required' }]).withText('error.csrf_token');
    expect(localizedErrorBody(csrf, catalogues, 'da').message).toBe('Formularen er udløbet eller kom ikke fra portalen. Genindlæs siden, og prøv igen.');
  });

  it('names the answer by its status where the error carries no code', () => {
    expect(localizedErrorBody(new Error('boom'), catalogues, 'da')).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Der opstod en uventet fejl. Prøv igen senere.', details: [] });
    expect(localizedErrorBody({ type: 'entity.too.large', status: 413, limit: 100 }, catalogues, 'da')).toMatchObject({ statusCode: 413, message: 'Det sendte fylder for meget.', details: [{ field: 'body', rule: 'max_size', message: 'fylder for meget.' }] });
  });
});
