import { IsOptional, validate } from 'class-validator';
import { IsCvr, IsGln, isValidCvr, isValidGln } from './identifiers';

describe('isValidCvr', () => {
  it.each(['29143471', '35619313', '41872144', '38203363', '25972929'])('accepts %s', (cvr) => {
    expect(isValidCvr(cvr)).toBe(true);
  });

  it.each([
    ['29143472', 'wrong check digit'],
    ['29143470', 'wrong check digit'],
    ['1234567', 'seven digits'],
    ['291434710', 'nine digits'],
    ['abcdefgh', 'letters'],
    ['2914 3471', 'a space'],
    ['02914347', 'leading zero'],
    ['00000000', 'all zeros (sum 0 would pass the modulus)'],
    ['', 'empty'],
  ])('refuses %p (%s)', (cvr) => {
    expect(isValidCvr(cvr)).toBe(false);
  });

  it('refuses a number, because a CVR is an identifier, not an amount', () => {
    expect(isValidCvr(29143471)).toBe(false);
    expect(isValidCvr(null)).toBe(false);
  });
});

describe('isValidGln', () => {
  it.each(['5790001234560', '5790009876540', '5798000416604', '4000000000006'])('accepts %s', (gln) => {
    expect(isValidGln(gln)).toBe(true);
  });

  it.each(['5790001234561', '5790001234569', '5790009876541', '579000123456', '57900012345600', '579000123456X', ''])('refuses %p', (gln) => {
    expect(isValidGln(gln)).toBe(false);
  });

  it('refuses a number, which would lose leading zeros', () => {
    expect(isValidGln(5790001234560)).toBe(false);
  });
});

class SupplierInput {
  @IsCvr()
  cvr: unknown;

  @IsOptional()
  @IsGln()
  gln?: unknown;
}

class InvoiceParty {
  @IsCvr()
  sellerCvr: unknown;

  @IsGln({ each: true })
  receiverGlns: unknown;
}

function input<T extends object>(target: T, values: Partial<T>): T {
  return Object.assign(target, values);
}

describe('IsCvr and IsGln', () => {
  it('pass valid identifiers', async () => {
    expect(await validate(input(new SupplierInput(), { cvr: '29143471', gln: '5790001234560' }))).toEqual([]);
    expect(await validate(input(new SupplierInput(), { cvr: '35619313' }))).toEqual([]);
  });

  it('name the rules cvr_check and gln_check with fixed messages', async () => {
    const errors = await validate(input(new SupplierInput(), { cvr: '29143472', gln: '5790001234561' }));
    expect(errors.map((e) => [e.property, e.constraints])).toEqual([
      ['cvr', { cvr_check: 'cvr must be 8 digits with a valid modulus-11 check digit' }],
      ['gln', { gln_check: 'gln must be 13 digits with a valid GS1 check digit' }],
    ]);
  });

  it('use the property name in the message', async () => {
    const errors = await validate(input(new InvoiceParty(), { sellerCvr: 29143471, receiverGlns: ['5790001234560', '12'] }));
    expect(errors.map((e) => e.constraints)).toEqual([
      { cvr_check: 'sellerCvr must be 8 digits with a valid modulus-11 check digit' },
      { gln_check: 'each value in receiverGlns must be 13 digits with a valid GS1 check digit' },
    ]);
  });

  it('take a custom message', async () => {
    class Custom {
      @IsCvr({ message: 'CVR-nummeret er ugyldigt' })
      cvr: unknown;
    }
    const errors = await validate(input(new Custom(), { cvr: '1234567' }));
    expect(errors[0].constraints).toEqual({ cvr_check: 'CVR-nummeret er ugyldigt' });
  });
});
