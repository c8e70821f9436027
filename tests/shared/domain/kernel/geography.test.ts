import { describe, expect, it } from 'vitest';
import { Geography, geography } from '#domain/kernel/index.js';

describe('geography of Noord-Nederland', () => {
  it('holds the 40 municipalities: 12 in Drenthe, 10 in Groningen, 18 in Fryslân', () => {
    expect(geography.municipalityCodes()).toHaveLength(40);
    expect(geography.province('DR')!.municipalities).toHaveLength(12);
    expect(geography.province('GR')!.municipalities).toHaveLength(10);
    expect(geography.province('FR')!.municipalities).toHaveLength(18);
    expect(geography.region('noord-nederland')!.provinces.map((p) => p.code)).toEqual(['DR', 'GR', 'FR']);
  });

  it('finds a municipality by CBS code in any case', () => {
    expect(geography.findMunicipality('GM0114')?.name).toBe('Emmen');
    expect(geography.findMunicipality('gm0106')?.name).toBe('Assen');
  });

  it('finds a municipality by name ignoring case, diacritics and a leading "gemeente"', () => {
    expect(geography.findMunicipality('gemeente Súdwest-Fryslân')?.code).toBe('GM1900');
    expect(geography.findMunicipality('SUDWEST-FRYSLAN')?.code).toBe('GM1900');
    expect(geography.findMunicipality('  Gemeente   Emmen ')?.code).toBe('GM0114');
  });

  it('knows the Dutch names of the Frisian municipalities', () => {
    expect(geography.findMunicipality('Zuidwest-Friesland')?.code).toBe('GM1900');
    expect(geography.findMunicipality('Noordoost-Friesland')?.code).toBe('GM1970');
    expect(geography.findMunicipality('De Friese Meren')?.code).toBe('GM1940');
    expect(geography.findMunicipality('Tietjerksteradeel')?.code).toBe('GM0737');
    expect(geography.findMunicipality('Dantumadeel')?.code).toBe('GM1891');
  });

  it('finds a province by code or by its Frisian or Dutch name, with or without "provincie"', () => {
    expect(geography.findProvince('fr')?.code).toBe('FR');
    expect(geography.findProvince('Fryslân')?.code).toBe('FR');
    expect(geography.findProvince('provincie Friesland')?.code).toBe('FR');
    expect(geography.findProvince('Drenthe')?.code).toBe('DR');
    expect(geography.findProvince('Utrecht')).toBeUndefined();
  });

  it('answers undefined for a place it does not know', () => {
    expect(geography.findMunicipality('Amsterdam')).toBeUndefined();
    expect(geography.findMunicipality('GM9999')).toBeUndefined();
  });

  it('takes another region as data, without code changes', () => {
    const extended = new Geography({
      defaultRegion: 'oost-nederland',
      regions: [
        {
          code: 'oost-nederland',
          name: 'Oost-Nederland',
          provinces: [{ code: 'OV', name: 'Overijssel', municipalities: [{ code: 'GM0193', name: 'Zwolle' }] }],
        },
      ],
    });
    expect(extended.findMunicipality('gemeente Zwolle')).toEqual({ code: 'GM0193', name: 'Zwolle', province: 'OV', region: 'oost-nederland' });
  });

  it('refuses data that lists a municipality twice', () => {
    const twice = { code: 'GM0001', name: 'Een' };
    expect(
      () =>
        new Geography({
          defaultRegion: 'r',
          regions: [{ code: 'r', name: 'R', provinces: [{ code: 'AA', name: 'A', municipalities: [twice, twice] }] }],
        }),
    ).toThrow(/duplicate municipality/);
  });
});
