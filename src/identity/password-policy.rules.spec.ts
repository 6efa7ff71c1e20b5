import { judgePassword, MIN_PASSWORD_SCORE } from './password-policy.rules';

describe('password policy', () => {
  it.each(['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', 'Kodeord12345', 'Adgangskode1!', '123456789012', 'abcdefghijkl', 'Sommer123456'])('refuses the guessable %s', (password) => {
    const verdict = judgePassword(password);
    expect({ ok: verdict.ok, rule: verdict.rule }).toEqual({ ok: false, rule: 'password_strength' });
    expect(verdict.score).toBeLessThan(MIN_PASSWORD_SCORE);
  });

  it('refuses a password shorter than 12 characters before judging it', () => {
    expect(judgePassword('Kx9#mQ2$vL7')).toEqual({ ok: false, rule: 'password_length', score: 0, warning: null });
  });

  it("refuses a password built from the user's own e-mail and name", () => {
    expect(judgePassword('annajensen2026', ['anna.jensen@kommune.dk', 'Anna Jensen']).ok).toBe(false);
    expect(judgePassword('mentorportal2026!').ok).toBe(false);
  });

  it.each(['Demo-Admin-2026!', 'Demo-Okonomi-2026!', 'En-lang-adgangskode-1', 'Tre heste spiser havregryn', 'kV8#pZ2!wQ6@'])('accepts %s', (password) => {
    expect(judgePassword(password, ['someone@kommune.dk'])).toMatchObject({ ok: true, rule: null });
  });
});
