import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's scale: 0 too guessable … 4 very unguessable; 3 is "safely unguessable" (about 10^8 guesses and more). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Words a Danish user of this portal reaches for first. zxcvbn ships no Danish dictionary; these are the
 * common Danish password words, the months and seasons, and the portal's own vocabulary.
 */
const DANISH_WORDS = [
  'kodeord', 'adgangskode', 'password', 'hemmelig', 'hemmeligt', 'velkommen', 'sommer', 'vinter', 'foraar', 'efteraar',
  'januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december',
  'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'loerdag', 'soendag', 'danmark', 'kobenhavn', 'koebenhavn', 'aarhus',
  'odense', 'aalborg', 'kommune', 'jobcenter', 'mentor', 'mentorstoette', 'leverandor', 'leverandoer', 'faktura', 'borger',
  'sagsbehandler', 'okonomi', 'oekonomi', 'indkob', 'indkoeb', 'admin', 'administrator', 'bruger', 'hejsa', 'kaerlighed',
  'kalle', 'mormor', 'morfar', 'farmor', 'farfar', 'skole', 'fodbold', 'brondby', 'hygge',
];

/** The reason a password is refused, as a stable rule name with zxcvbn's numbers. */
export interface PasswordVerdict {
  ok: boolean;
  rule: 'password_length' | 'password_strength' | null;
  score: number;
  /** zxcvbn's own warning in English, for the API's details; pages show the catalogue's text. */
  warning: string | null;
}

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary, danish: DANISH_WORDS },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

/**
 * Whether a new password of a local account is acceptable: at least 12 characters and not guessable —
 * no common password, keyboard walk, repeat or sequence, nor built from the user's own e-mail or name.
 * Breached-password lists are not consulted (no network).
 */
export function judgePassword(password: string, userInputs: readonly string[] = []): PasswordVerdict {
  // Each input whole (an e-mail's local part), run together ("annajensen") and in its words.
  const inputs = userInputs.flatMap((input) => {
    const lower = input.toLowerCase().split('@')[0];
    return [lower, lower.replace(/[^a-z0-9æøå]+/g, ''), ...lower.split(/[^a-z0-9æøå]+/)];
  }).filter((part) => part.length >= 3);
  if ([...password].length < MIN_PASSWORD_LENGTH) return { ok: false, rule: 'password_length', score: 0, warning: null };
  // zxcvbn's time grows with length; past 100 characters the first 100 decide.
  const result = estimator.check(password.slice(0, 100), [...inputs, 'mentorportal', 'mentorportalen']);
  const ok = result.score >= MIN_PASSWORD_SCORE;
  return { ok, rule: ok ? null : 'password_strength', score: result.score, warning: result.feedback.warning ?? null };
}
