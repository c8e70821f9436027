import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS, type ImportField, type ImportRow, prepareRows, readRow, resolveColumns } from '#domain/intake/import/index.js';
import { todayInNetherlands } from '#domain/kernel/index.js';

const row = (rowNumber: number, cells: ImportRow['cells']): ImportRow => ({ rowNumber, cells });
const signalOf = (cells: ImportRow['cells']) => {
  const [prepared] = prepareRows([row(2, cells)]);
  if (!prepared || !('signal' in prepared)) throw new Error(`refused: ${JSON.stringify(prepared)}`);
  return prepared.signal;
};
const errorsOf = (cells: ImportRow['cells']) => {
  const [prepared] = prepareRows([row(7, cells)]);
  return prepared && 'errors' in prepared ? prepared : undefined;
};

describe('resolveColumns', () => {
  it('knows the template headings whatever their case, diacritics, spaces or dashes', () => {
    const { fields, errors } = resolveColumns(['Datum', 'GEMEENTE', 'Vorm van uitbuiting', 'E-mail', 'Opmerking intern', 'geboorte datum', 'Kenmerk']);
    expect(errors).toEqual([]);
    expect(fields).toEqual(['observedAt', 'municipality', 'form', 'email', undefined, 'dateOfBirth', 'externalId']);
  });

  it('follows a mapping file, and leaves out a column mapped to null', () => {
    const { fields, errors, notices } = resolveColumns(['Datum melding', 'Plaats', 'Categorie', 'Interne notitie'], {
      'Datum melding': 'datum',
      plaats: 'gemeente',
      Categorie: 'vorm van uitbuiting',
      'Interne notitie': null,
    });
    expect(errors).toEqual([]);
    expect(fields).toEqual(['observedAt', 'municipality', 'form', undefined]);
    expect(notices).toEqual(['Kolom "Interne notitie" wordt overgeslagen (koppelingsbestand).']);
  });

  it('refuses a file without a date column, a column twice, and a mapping to a column the template lacks', () => {
    expect(resolveColumns(['gemeente']).errors[0]).toMatch(/Geen kolom "datum"/);
    expect(resolveColumns(['datum', 'vorm', 'Vorm van uitbuiting']).errors).toEqual([
      'Kolommen "vorm" en "Vorm van uitbuiting" zijn allebei "vorm"; houd er één.',
    ]);
    expect(resolveColumns(['datum', 'x'], { x: 'plaats' }).errors[0]).toMatch(/"plaats" is geen kolom van het sjabloon/);
  });

  it('takes bron as the source type and minderjarig as minorsSuspected, and names an unknown column it leaves out', () => {
    const { fields, notices } = resolveColumns(['datum', 'Bron', 'Minderjarig', 'kleur']);
    expect(fields).toEqual(['observedAt', 'sourceType', 'minorsSuspected', undefined]);
    expect(notices).toEqual(['Kolom "kleur" is onbekend en wordt overgeslagen.']);
  });

  it('reads minderjarig as ja or nee, leaves "weet niet" out (the date of birth decides), and refuses another word', () => {
    const row = (minderjarig: string) => prepareRows([{ rowNumber: 2, cells: { observedAt: '4-3-2023', minorsSuspected: minderjarig } }])[0]!;
    expect(row('Ja')).toMatchObject({ signal: { minorsSuspected: 'ja' } });
    expect(row('n')).toMatchObject({ signal: { minorsSuspected: 'nee' } });
    expect(row('weet niet')).not.toHaveProperty('signal.minorsSuspected');
    expect(row('misschien')).toMatchObject({ errors: [{ column: 'minderjarig' }] });
  });
});

describe('prepareRows', () => {
  it('makes a row as people type it into a batch signal: Dutch dates, municipality names, form words, the person apart', () => {
    expect(
      signalOf({
        observedAt: '4-3-2023',
        municipality: 'sudwest-fryslan',
        form: 'Arbeidsuitbuiting en criminele uitbuiting',
        signalType: 'Advies',
        sector: 'Land- en tuinbouw',
        gender: 'Vrouw',
        nationality: 'ro',
        bsn: '111.222.333',
        dateOfBirth: '1990-01-31',
        email: 'iemand@example.org',
        description: 'Werkt in een kas.',
      }),
    ).toEqual({
      externalId: expect.stringMatching(/^imp-[0-9a-f]{20}-1$/),
      observedAt: '2023-03-04',
      municipality: 'GM1900',
      form: 'arbeid',
      additionalForms: ['crimineel'],
      signalType: 'adviesvraag',
      sector: 'land-en-tuinbouw',
      subject: { gender: 'v', nationality: 'RO', bsn: '111222333', dateOfBirth: '1990-01-31', email: 'iemand@example.org' },
      description: 'Werkt in een kas.',
    });
  });

  it('counts an empty municipality or form as "onbekend", and takes a CBS code and a kenmerk as they are', () => {
    expect(signalOf({ observedAt: '2020-01-01', municipality: '', form: 'weet niet' })).toMatchObject({ municipality: 'onbekend', form: 'onbekend' });
    expect(signalOf({ externalId: ' REG-7 ', observedAt: '2020-01-01', municipality: 'gm0014' })).toMatchObject({
      externalId: 'REG-7',
      municipality: 'GM0014',
    });
  });

  it('reports an unknown municipality and a date in the future with the row number and column', () => {
    const tomorrow = new Date(`${todayInNetherlands()}T12:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const future = tomorrow.toISOString().slice(0, 10);
    expect(errorsOf({ observedAt: future, municipality: 'Atlantis', form: 'arbeid' })).toEqual({
      rowNumber: 7,
      errors: [
        { column: 'gemeente', message: expect.stringMatching(/^Onbekende gemeente "Atlantis"/) },
        { column: 'datum', message: 'De datum ligt in de toekomst.' },
      ],
    });
  });

  it('names the column of a fault the schema finds, and quotes no cell of the person', () => {
    const refused = errorsOf({ observedAt: '2020-01-01', municipality: 'Emmen', province: 'GR', bsn: '123456789', phone: 'nee', dateOfBirth: '31-02-1990' });
    expect(refused?.errors.map((e) => e.column).sort()).toEqual(['bsn', 'geboortedatum', 'provincie', 'telefoon']);
    expect(JSON.stringify(refused)).not.toMatch(/123456789|31-02-1990/);
  });

  it('refuses a row without a date, and a kenmerk that an earlier row has', () => {
    expect(errorsOf({ municipality: 'Emmen' })?.errors).toEqual([{ column: 'datum', message: expect.stringMatching(/^Verplicht/) }]);
    const prepared = prepareRows([row(2, { externalId: 'A', observedAt: '2020-01-01' }), row(3, { externalId: 'A', observedAt: '2020-01-02' })]);
    expect(prepared[1]).toEqual({
      rowNumber: 3,
      errors: [{ column: 'kenmerk', message: 'Dit kenmerk staat ook in rij 2; elk signaal heeft een eigen kenmerk.' }],
    });
  });

  it('leaves out rows without any cell, as Excel leaves them at the end', () => {
    expect(prepareRows([row(2, { observedAt: '2020-01-01' }), row(3, { observedAt: ' ', municipality: '' }), row(4, {})])).toHaveLength(1);
  });
});

describe('the externalId of a row without a kenmerk', () => {
  const register = [
    { observedAt: '2019-05-01', municipality: 'Emmen', form: 'arbeid' },
    { observedAt: '2019-05-01', municipality: 'Emmen', form: 'arbeid', name: 'A. de Vries' },
    { observedAt: '2019-06-01', municipality: 'Assen', form: 'seksueel' },
  ];
  const idsOf = (cells: ImportRow['cells'][]) => prepareRows(cells.map((c, i) => row(i + 2, c))).map((p) => ('signal' in p ? p.signal.externalId : undefined));

  it('keeps two rows alike apart from the person as two signals, numbered by occurrence', () => {
    const [first, second, third] = idsOf(register);
    expect(first).toMatch(/-1$/);
    expect(second).toBe(first!.replace(/-1$/, '-2'));
    expect(new Set([first, second, third]).size).toBe(3);
  });

  it('stays the same when other rows are inserted before it, fixed or removed', () => {
    const before = idsOf(register);
    const after = idsOf([{ observedAt: '2018-01-01', municipality: 'Meppel' }, register[0]!, { observedAt: 'kapot' }, register[1]!, register[2]!]);
    expect([after[1], after[3], after[4]]).toEqual(before);
  });

  it('depends on the normalised content, not on how a date or municipality is written', () => {
    expect(idsOf([{ observedAt: '1-5-2019', municipality: 'GM0114', form: 'Arbeidsuitbuiting' }])[0]).toBe(idsOf([register[0]!])[0]);
  });

  it('is made of nothing about the person: other personal cells give the same id', () => {
    const personal = Object.entries(IMPORT_COLUMNS)
      .filter(([, c]) => c.personal)
      .map(([field]) => field as ImportField);
    const a = readRow(row(2, { ...register[0], name: 'Jan', bsn: '111222333', email: 'a@b.nl', description: 'x' }));
    const b = readRow(row(2, { ...register[0] }));
    expect(personal).toContain('bsn');
    expect(a.identity).toBe(b.identity);
    expect(a.identity).not.toMatch(/111222333|Jan/);
  });
});

describe('reading arbitrary rows', () => {
  const fields = Object.keys(IMPORT_COLUMNS) as ImportField[];
  it('never throws, and gives each row a signal or reasons by column (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.dictionary(
            fc.constantFrom(...fields),
            fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('onbekend', '14-3-2023', 'Emmen', '-')),
          ),
          { maxLength: 5 },
        ),
        (cells) => {
          const prepared = prepareRows(cells.map((c, i) => row(i + 2, c)));
          for (const p of prepared) {
            if ('errors' in p) {
              expect(p.errors.length).toBeGreaterThan(0);
              for (const e of p.errors) expect(typeof e.message).toBe('string');
            } else expect(p.signal.externalId).toBeTruthy();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary headings and mappings (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.dictionary(fc.string(), fc.option(fc.string())), (headings, mapping) => {
        const { fields: resolved } = resolveColumns(headings, mapping);
        expect(resolved).toHaveLength(headings.length);
      }),
    );
  });
});
