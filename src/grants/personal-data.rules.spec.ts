import { checkSupplierVisibleTexts, containsCprNumber, findCprNumbers, maskCprNumbers, maskName, mentionsName } from './personal-data.rules';

describe('CPR numbers in free text', () => {
  it.each([
    ['010203-1234', 'with a hyphen'],
    ['0102031234', 'ten digits'],
    ['010203 1234', 'with a space'],
    ['010203   1234', 'with several spaces'],
    ['010203\u00a01234', 'with a no-break space'],
    ['010203\n1234', 'across a line break'],
    ['010203–1234', 'with an en dash'],
    ['010203—1234', 'with an em dash'],
    ['010203‐1234', 'with a Unicode hyphen'],
    ['010203−1234', 'with a minus sign'],
    ['010203 - 1234', 'with a spaced hyphen'],
    ['010203.1234', 'with a dot'],
    ['01.02.03-1234', 'with dots in the date'],
    ['01.02.03 1234', 'with dots in the date and a space'],
    ['01 02 03 1234', 'with spaces in the date'],
    ['010203+1234', 'with a plus'],
    ['010203-XXXX', 'masked'],
    ['010203-xxxx', 'masked in lower case'],
    ['290200-4000', '29 February 2000 (7th digit 4: born 2000)'],
    ['290200-XXXX', '29 February of a year 00 masked (2000 was a leap year)'],
    ['311299-1234', '31 December'],
    ['0102031235', 'failing modulus 11 (allowed since 2007)'],
  ])('finds %s (%s)', (cpr) => {
    expect(containsCprNumber(cpr)).toBe(true);
    expect(containsCprNumber(`Borgeren har CPR-nr. ${cpr}, ring før mødet.`)).toBe(true);
    expect(containsCprNumber(`cpr:${cpr}.`)).toBe(true);
    expect(containsCprNumber(`(${cpr})`)).toBe(true);
  });

  it.each([
    ['2026004711', 'a case number: 20-26-00 has no 26th month'],
    ['sagsnr. 2026004711', 'the same in a sentence'],
    ['2026-004711', 'a case number with a hyphen: month 26'],
    ['1234567890', 'month 34'],
    ['3202031234', 'day 32'],
    ['0013031234', 'month 0'],
    ['0001031234', 'day 0'],
    ['3104031234', '31 April'],
    ['2902011234', '29 February 1901'],
    ['2902000123', '29 February 1900 (7th digit 0)'],
    ['01020312345', 'eleven digits'],
    ['90102031234', 'a longer number ending in one'],
    ['010203123', 'nine digits'],
    ['010203-123', 'three serial digits'],
    ['010203-12 34', 'a serial split by a space'],
    ['010203 -- -- 1234', 'a separator of five characters'],
    ['010203/1234', 'a slash is not a separator'],
    ['010203-XXX', 'masked with three X'],
    ['XXXXXX-XXXX', 'the mask itself'],
    ['MS-2026-000123', 'a grant reference'],
    ['+45 40 12 34 56', 'a phone number with its country code (45 is no day)'],
    ['40 12 34 56', 'a phone number'],
    ['2026-01-05 – 2026-06-30', 'a period'],
    ['kl. 10.00-12.00 den 01.02.2026', 'times and a date'],
    ['450,00 kr. for 1440 minutter', 'amounts'],
    ['', 'nothing'],
    ['Fastholdelse i job', 'words only'],
  ])('does not take %s for one (%s)', (text) => {
    expect(containsCprNumber(text)).toBe(false);
  });

  it('finds a CPR number right after a number that is not one', () => {
    // The first ten digits would be read as 20-26-01 (no date); the number starting at 010203 is one.
    expect(findCprNumbers('20 26 010203 1234')).toEqual([{ start: 6, end: 17 }]);
    expect(findCprNumbers('2026004711 og 010203-1234')).toEqual([{ start: 14, end: 25 }]);
  });

  it('finds every CPR number, in order', () => {
    expect(findCprNumbers('010203-1234, 0102031235 og 311299 1234')).toEqual([
      { start: 0, end: 11 },
      { start: 13, end: 23 },
      { start: 27, end: 38 },
    ]);
  });

  it('masks every CPR number and leaves the rest as it is', () => {
    expect(maskCprNumbers('Ring til 010203-1234 eller 01.02.03 1235; sagsnr. 2026004711.')).toBe('Ring til XXXXXX-XXXX eller XXXXXX-XXXX; sagsnr. 2026004711.');
    expect(maskCprNumbers('0102031234')).toBe('XXXXXX-XXXX');
    expect(maskCprNumbers('010203-XXXX')).toBe('XXXXXX-XXXX');
    expect(maskCprNumbers('sagsnr. 2026004711')).toBe('sagsnr. 2026004711');
    expect(maskCprNumbers('')).toBe('');
  });
});

describe('the citizen’s name in free text', () => {
  const name = 'Søren Ærø Åberg';

  it.each([
    ['Søren Åberg skal fastholdes', 'first and last name'],
    ['Søren Ærø Åberg', 'the whole name'],
    ['Åberg, Søren', 'last name first'],
    ['SØREN ÅBERG', 'in capitals'],
    ['søren åberg', 'in lower case'],
    ['Mød Søren. Hr. Åberg kommer kl. 9', 'apart in the text'],
    ['(Søren) og "Åberg"', 'between punctuation'],
    ['Søren A\u030aberg', 'a decomposed Å (NFD)'],
  ])('finds it in %s (%s)', (text) => {
    expect(mentionsName(text, name)).toBe(true);
  });

  it.each([
    ['Søren skal fastholdes i job', 'the first name alone'],
    ['Hr. Åberg', 'the last name alone'],
    ['Ærø', 'the middle name alone'],
    ['Sørensen Åbergs', 'longer words'],
    ['Sørens Åberggård', 'longer words'],
    ['Soren Aberg', 'without the Danish letters'],
    ['', 'nothing'],
  ])('does not find it in %s (%s)', (text) => {
    expect(mentionsName(text, name)).toBe(false);
  });

  it('looks for the one word of a one-word name, for an initial as a word, and never finds an empty name', () => {
    expect(mentionsName('Mødes med Madonna', 'Madonna')).toBe(true);
    expect(mentionsName('Mødes med Madonnas mentor', 'Madonna')).toBe(false);
    expect(mentionsName('Mødes med K. Hansen', 'K. Hansen')).toBe(true);
    expect(mentionsName('Mødes med Hansen', 'K. Hansen')).toBe(false);
    expect(mentionsName('i job hos Hansen', 'I Hansen')).toBe(true);
    // A name that is also a word (`Borger a`) is found only with both its words.
    expect(mentionsName('Samtaler med borger og arbejdsgiver', 'Borger a')).toBe(false);
    expect(mentionsName('Mødes med Anne-Marie Hansen-Berg', 'Anne-Marie Hansen-Berg')).toBe(true);
    expect(mentionsName('Mødes med Anne Hansen', 'Anne-Marie Hansen-Berg')).toBe(false);
    expect(mentionsName('anything', '   ')).toBe(false);
    // Taken literally, not as a pattern.
    expect(mentionsName("Mødes med Sean O'Brien", "Sean O'Brien")).toBe(true);
    expect(mentionsName('Mødes med Jan Ha.en', 'Jan Hansen')).toBe(false);
    expect(mentionsName('Mødes med Jan Hansen', 'Jan Ha.en')).toBe(false);
  });

  it('masks every word of the name where the text names the citizen', () => {
    expect(maskName('Søren Åberg mødes med Søren fra værkstedet', name)).toBe('XXXX XXXX mødes med XXXX fra værkstedet');
    expect(maskName('Søren Ærø Åberg, Ærøskøbing', name)).toBe('XXXX XXXX XXXX, Ærøskøbing');
    expect(maskName('Søren skal fastholdes', name)).toBe('Søren skal fastholdes');
    expect(maskName('ÅBERG, søren', name)).toBe('XXXX, XXXX');
  });
});

describe('checkSupplierVisibleTexts', () => {
  it('names each field and rule, in the order of the fields, without echoing the text', () => {
    const problems = checkSupplierVisibleTexts(
      { goal: 'Søren Åberg, 010203-1234', tasks: 'Samtaler', mentorName: 'Ditte', mentorPhone: '0102031234', mentorEmail: undefined, complaintGuidance: null },
      'Søren Ærø Åberg',
    );
    expect(problems).toEqual([
      { field: 'goal', rule: 'cpr_in_text', message: 'goal may not hold a CPR number: the supplier sees this text' },
      { field: 'goal', rule: 'citizen_name_in_text', message: 'goal may not hold the citizen’s name: the supplier sees this text' },
      { field: 'mentorPhone', rule: 'cpr_in_text', message: 'mentorPhone may not hold a CPR number: the supplier sees this text' },
    ]);
  });

  it('checks CPR numbers only when no name is given, and passes ordinary texts', () => {
    expect(checkSupplierVisibleTexts({ complaintGuidance: 'Søren Åberg kan klage' }, null)).toEqual([]);
    expect(checkSupplierVisibleTexts({ complaintGuidance: 'Søren Åberg, 0102031234' }, null)).toEqual([expect.objectContaining({ field: 'complaintGuidance', rule: 'cpr_in_text' })]);
    expect(checkSupplierVisibleTexts({ goal: 'Fastholdelse, sagsnr. 2026004711', tasks: 'Søren mødes hver uge' }, 'Søren Ærø Åberg')).toEqual([]);
  });
});
