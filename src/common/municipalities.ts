/**
 * The 98 Danish municipalities since 1 January 2007 (kommunalreformen), by their three-digit code in the
 * Danish municipality register (the codes Jobindsats, Danmarks Statistik and DAWA use). Christiansø (411) is
 * administered by the state and is no municipality.
 */
export const MUNICIPALITIES: ReadonlyArray<{ code: string; name: string }> = [
  // Region Hovedstaden (29)
  { code: '101', name: 'København' }, { code: '147', name: 'Frederiksberg' }, { code: '151', name: 'Ballerup' }, { code: '153', name: 'Brøndby' },
  { code: '155', name: 'Dragør' }, { code: '157', name: 'Gentofte' }, { code: '159', name: 'Gladsaxe' }, { code: '161', name: 'Glostrup' },
  { code: '163', name: 'Herlev' }, { code: '165', name: 'Albertslund' }, { code: '167', name: 'Hvidovre' }, { code: '169', name: 'Høje-Taastrup' },
  { code: '173', name: 'Lyngby-Taarbæk' }, { code: '175', name: 'Rødovre' }, { code: '183', name: 'Ishøj' }, { code: '185', name: 'Tårnby' },
  { code: '187', name: 'Vallensbæk' }, { code: '190', name: 'Furesø' }, { code: '201', name: 'Allerød' }, { code: '210', name: 'Fredensborg' },
  { code: '217', name: 'Helsingør' }, { code: '219', name: 'Hillerød' }, { code: '223', name: 'Hørsholm' }, { code: '230', name: 'Rudersdal' },
  { code: '240', name: 'Egedal' }, { code: '250', name: 'Frederikssund' }, { code: '260', name: 'Halsnæs' }, { code: '270', name: 'Gribskov' },
  { code: '400', name: 'Bornholm' },
  // Region Sjælland (17)
  { code: '253', name: 'Greve' }, { code: '259', name: 'Køge' }, { code: '265', name: 'Roskilde' }, { code: '269', name: 'Solrød' },
  { code: '306', name: 'Odsherred' }, { code: '316', name: 'Holbæk' }, { code: '320', name: 'Faxe' }, { code: '326', name: 'Kalundborg' },
  { code: '329', name: 'Ringsted' }, { code: '330', name: 'Slagelse' }, { code: '336', name: 'Stevns' }, { code: '340', name: 'Sorø' },
  { code: '350', name: 'Lejre' }, { code: '360', name: 'Lolland' }, { code: '370', name: 'Næstved' }, { code: '376', name: 'Guldborgsund' },
  { code: '390', name: 'Vordingborg' },
  // Region Syddanmark (22)
  { code: '410', name: 'Middelfart' }, { code: '420', name: 'Assens' }, { code: '430', name: 'Faaborg-Midtfyn' }, { code: '440', name: 'Kerteminde' },
  { code: '450', name: 'Nyborg' }, { code: '461', name: 'Odense' }, { code: '479', name: 'Svendborg' }, { code: '480', name: 'Nordfyns' },
  { code: '482', name: 'Langeland' }, { code: '492', name: 'Ærø' }, { code: '510', name: 'Haderslev' }, { code: '530', name: 'Billund' },
  { code: '540', name: 'Sønderborg' }, { code: '550', name: 'Tønder' }, { code: '561', name: 'Esbjerg' }, { code: '563', name: 'Fanø' },
  { code: '573', name: 'Varde' }, { code: '575', name: 'Vejen' }, { code: '580', name: 'Aabenraa' }, { code: '607', name: 'Fredericia' },
  { code: '621', name: 'Kolding' }, { code: '630', name: 'Vejle' },
  // Region Midtjylland (19)
  { code: '615', name: 'Horsens' }, { code: '657', name: 'Herning' }, { code: '661', name: 'Holstebro' }, { code: '665', name: 'Lemvig' },
  { code: '671', name: 'Struer' }, { code: '706', name: 'Syddjurs' }, { code: '707', name: 'Norddjurs' }, { code: '710', name: 'Favrskov' },
  { code: '727', name: 'Odder' }, { code: '730', name: 'Randers' }, { code: '740', name: 'Silkeborg' }, { code: '741', name: 'Samsø' },
  { code: '746', name: 'Skanderborg' }, { code: '751', name: 'Aarhus' }, { code: '756', name: 'Ikast-Brande' }, { code: '760', name: 'Ringkøbing-Skjern' },
  { code: '766', name: 'Hedensted' }, { code: '779', name: 'Skive' }, { code: '791', name: 'Viborg' },
  // Region Nordjylland (11)
  { code: '773', name: 'Morsø' }, { code: '787', name: 'Thisted' }, { code: '810', name: 'Brønderslev' }, { code: '813', name: 'Frederikshavn' },
  { code: '820', name: 'Vesthimmerlands' }, { code: '825', name: 'Læsø' }, { code: '840', name: 'Rebild' }, { code: '846', name: 'Mariagerfjord' },
  { code: '849', name: 'Jammerbugt' }, { code: '851', name: 'Aalborg' }, { code: '860', name: 'Hjørring' },
];

// Other spellings met in published tables: the genitive, the old spelling of Aarhus, a space for the hyphen.
const ALIASES: Record<string, string> = { københavns: '101', århus: '751', 'høje taastrup': '169', 'lyngby taarbæk': '173', 'faaborg midtfyn': '430', 'ikast brande': '756', 'ringkøbing skjern': '760', nordfyn: '480', vesthimmerland: '820' };

const BY_CODE = new Map(MUNICIPALITIES.map((m) => [m.code, m]));
const BY_NAME = new Map(MUNICIPALITIES.map((m) => [m.name.toLowerCase(), m]));

/**
 * The municipality a published table names: its code ('751', '0751'), its name ('Aarhus', 'Aarhus Kommune',
 * case ignored) or both ('751 Aarhus'; then they must agree). Null when it is no Danish municipality.
 */
export function municipalityOf(text: string): { code: string; name: string } | null {
  const value = text.trim().replace(/\s+/g, ' ');
  const both = /^(\d{3,4})\s*[-–]?\s*(\D.*)$/.exec(value);
  if (both) {
    const byCode = municipalityOf(both[1]);
    const byName = municipalityOf(both[2]);
    return byCode !== null && byCode === byName ? byCode : null;
  }
  if (/^\d{3,4}$/.test(value)) return BY_CODE.get(value.replace(/^0(?=\d{3}$)/, '')) ?? null;
  const name = value.toLowerCase().replace(/ kommune$/, '');
  return BY_NAME.get(name) ?? BY_CODE.get(ALIASES[name] ?? '') ?? null;
}
