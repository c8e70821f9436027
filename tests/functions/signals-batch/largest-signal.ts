/**
 * The largest signal a partner can realistically send: every field, the longest names and e-mail address a
 * register holds, and a description at its limit of 10 000 characters, in Dutch and Frisian with paragraphs.
 * The batch route's body limit is sized for 500 of these.
 */
export function largestRealisticSignal(externalId: string) {
  const sentence =
    'Mevrouw wurket sûnt twa jier yn de kas by Drachten en praat amper Nederlands; haar paspoort is ingenomen door de uitzendbemiddelaar, zegt de collega van het wijkteam. ';
  let description = '';
  while (description.length < 10_000) description += (description.length % 800 < 170 && description.length > 0 ? '\n\n' : '') + sentence;
  return {
    externalId: externalId.padEnd(100, '0'),
    observedAt: '2019-11-28',
    municipality: 'GM1680',
    province: 'DR',
    exploitationMunicipality: 'GM0114',
    form: 'arbeid',
    additionalForms: ['seksueel', 'crimineel', 'onbekend'],
    signalType: 'casus',
    sector: 'land-en-tuinbouw',
    legalBasis: 'gerechtvaardigd-belang',
    subject: {
      name: 'Małgorzata Wiśniewska-Kowalczyk van der Heijden-Bouwmeester',
      dateOfBirth: '1987-04-23',
      bsn: '111222333',
      phone: '+48 601 234 567',
      email: 'malgorzata.wisniewska-kowalczyk@voorbeeld-uitzendbureau.nl',
      gender: 'v',
      nationality: 'PL',
    },
    description: description.slice(0, 10_000),
  };
}
