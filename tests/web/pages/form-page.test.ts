import { describe, expect, it } from 'vitest';
import { parseWebSignal } from '#domain/intake/web/index.js';
import { errorsByField, formPage, unknownFieldsOf } from '../../../web/pages/form-page.js';

const resident = {
  reporterType: 'burger',
  description: 'Twaalf arbeiders in één garage.',
  municipality: 'GM0114',
  observedAt: '2024-03-01',
  form: 'arbeid',
  minorsSuspected: 'nee',
};

function pageFor(values: Record<string, unknown>) {
  const parsed = parseWebSignal(values);
  if (parsed.success) throw new Error('expected the report to be refused');
  const issues = parsed.error.issues;
  return formPage({ values: {}, errors: errorsByField(issues), unknownFields: unknownFieldsOf(issues) });
}

describe('the form page with a field the form has not got', () => {
  it('names each unknown field in the error summary, escaped', () => {
    const html = pageFor({ ...resident, foo: 'bar', 'form[]': 'arbeid', '<b>x': '1' });
    expect(html).toContain('<title>Fout:');
    expect(html).toContain('id="foutmeldingen"');
    expect(html).toContain('Controleer deze 3 velden');
    for (const name of ['foo', 'form[]', '&lt;b&gt;x']) expect(html).toContain(`Onbekend veld: „${name}”`);
    expect(html).not.toContain('<b>x');
  });

  it('names __proto__ too', () => {
    // As readBody gives it: an own field named __proto__, in an object without a prototype.
    const values = Object.assign(Object.create(null) as Record<string, unknown>, resident, JSON.parse('{"__proto__":"x"}'));
    expect(pageFor(values)).toContain('Onbekend veld: „__proto__”');
  });

  it('lists ten unknown fields and counts the rest; shortens a long name', () => {
    const extra = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`veld${i}`, 'x']));
    const html = pageFor({ ...resident, ...extra, ['x'.repeat(500)]: 'y' });
    expect(html.match(/Onbekend veld:/g)).toHaveLength(10);
    expect(html).toContain('En nog 3 onbekende velden.');
    const long = pageFor({ ...resident, ['x'.repeat(500)]: 'y' });
    expect(long).toContain(`„${'x'.repeat(60)}…”`);
  });

  it('takes unknown fields from the API problem pointers, as the page script gets them', () => {
    expect(
      unknownFieldsOf([
        { path: ['bsn'], message: 'Onbekend veld' },
        { path: ['description'], message: 'Te kort' },
      ]),
    ).toEqual(['bsn']);
  });
});
