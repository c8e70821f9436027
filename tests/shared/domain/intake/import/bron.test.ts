import { describe, expect, it } from 'vitest';
import { type ImportRow, prepareRows, readRow, resolveColumns } from '#domain/intake/import/index.js';

const row = (cells: ImportRow['cells']): ImportRow => ({ rowNumber: 4, cells: { observedAt: '14-3-2023', municipality: 'Assen', ...cells } });
const prepared = (bron: string) => prepareRows([row({ sourceType: bron })])[0]!;

describe('the bron column of an import', () => {
  it.each([
    ['Politie', 'politie'],
    ['politie Noord-Nederland', 'politie'],
    ['Gemeente Assen', 'gemeente'],
    ['GEMEENTE', 'gemeente'],
    ['KMar', 'marechaussee'],
    ['Koninklijke Marechaussee', 'marechaussee'],
    ['marechaussee', 'marechaussee'],
    ['Nederlandse Arbeidsinspectie', 'arbeidsinspectie'],
    ['NLA', 'arbeidsinspectie'],
    ['Inspectie SZW', 'arbeidsinspectie'],
    ['Veilig Thuis', 'veilig-thuis'],
    ['veilig-thuis Drenthe', 'veilig-thuis'],
    ['Zorg', 'zorg'],
    ['COA', 'asielopvang'],
    ['Asielopvang', 'asielopvang'],
    ['OM', 'openbaar-ministerie'],
    ['Openbaar Ministerie', 'openbaar-ministerie'],
    ['burger', 'burger'],
    ['Particulier', 'burger'],
    ['Overig', 'overig'],
    ['onbekend', 'onbekend'],
    ['weet niet', 'onbekend'],
    ['Politie, politie Drenthe', 'politie'],
  ])('reads "%s" as the source type %s', (bron, sourceType) => {
    expect(prepared(bron)).toMatchObject({ signal: { sourceType } });
  });

  it.each(['Bakkerij', 'politie en gemeente', 'Politie/KMar', 'omgeving'])(
    'refuses "%s" in Dutch, naming the row and column but quoting no cell (it may name the reporter)',
    (bron) => {
      expect(prepared(bron)).toEqual({
        rowNumber: 4,
        errors: [{ column: 'bron', message: expect.stringMatching(/^Onbekende bron; noem één bron per signaal: gemeente, politie, /) }],
      });
      expect(JSON.stringify(prepared(bron))).not.toContain(bron);
    },
  );

  it('sends no source type for an empty cell: the signal counts under the key', () => {
    for (const bron of ['', '   ']) {
      const ready = prepared(bron);
      expect(ready).toHaveProperty('signal');
      expect(ready).not.toHaveProperty('signal.sourceType');
    }
  });

  it('keeps bron out of the derived externalId: a file imported before bron was read keeps its ids, a corrected bron its signal', () => {
    const without = readRow(row({}));
    for (const bron of ['politie', 'gemeente', 'Bakkerij']) expect(readRow(row({ sourceType: bron })).identity).toBe(without.identity);
    const ids = ['', 'politie', 'KMar'].map((bron) => prepared(bron)).map((p) => ('signal' in p ? p.signal.externalId : undefined));
    expect(new Set(ids).size).toBe(1);
  });

  it('leaves the column out with --zonder-bron, and says so', () => {
    const { fields, notices } = resolveColumns(['datum', 'Bron'], {}, { withoutSource: true });
    expect(fields).toEqual(['observedAt', undefined]);
    expect(notices).toEqual(['Kolom "Bron" wordt niet meegestuurd (--zonder-bron): elk signaal telt onder het brontype van de sleutel.']);
    expect(resolveColumns(['datum', 'Brontype']).fields).toEqual(['observedAt', 'sourceType']);
  });
});
