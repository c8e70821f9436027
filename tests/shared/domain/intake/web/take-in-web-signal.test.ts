import { describe, expect, it } from 'vitest';
import { postedFields, referenceOf, takeInWebSignal, type WebIntakePorts } from '#domain/intake/web/index.js';
import { MemoryRateCounter, memoryIntakePorts } from '../../../../support/in-memory-ports.js';

function ports(limits = { perMinute: 5, perDay: 30 }) {
  const base = memoryIntakePorts();
  const queue = base.queue;
  const web: WebIntakePorts = {
    ...base,
    rates: new MemoryRateCounter(),
    limits,
    now: () => new Date('2026-11-23T10:00:30Z'),
  };
  return { queue, web };
}

const resident = {
  reporterType: 'burger',
  description: 'De arbeiders naast ons slapen met twaalf man in een garage.',
  municipality: 'GM0114',
  observedAt: '2026-11-20',
  form: 'arbeid',
  minorsSuspected: 'weet-niet',
  contactName: '',
  contactPhone: '06 12345678',
  contactEmail: 'buur@example.nl',
  website: '',
};

describe('takeInWebSignal', () => {
  it("queues a resident's report as a web signal from a burger, contact details only as pseudonyms", async () => {
    const { queue, web } = ports();
    const outcome = await takeInWebSignal(resident, '198.51.100.7', web);
    expect(outcome).toMatchObject({ outcome: 'accepted', reference: expect.stringMatching(/^MR-[0-9A-F]{4}-[0-9A-F]{4}$/) });
    expect(queue.sent[0]).toMatchObject({
      channel: 'web',
      sourceType: 'burger',
      organisation: 'meldformulier',
      municipality: 'GM0114',
      province: 'DR',
      form: 'arbeid',
      signalType: 'melding',
      minorsSuspected: 'weet-niet',
      reporter: { keyId: 'test-1', pseudonyms: { phone: expect.stringMatching(/^[0-9a-f]{64}$/), email: expect.stringMatching(/^[0-9a-f]{64}$/) } },
      description: { alg: 'AES-256-GCM' },
    });
    const stored = JSON.stringify(queue.sent[0]);
    for (const plain of ['12345678', 'buur@example.nl', 'garage', '198.51.100.7']) expect(stored).not.toContain(plain);
  });

  it("records a professional's organisation type as unverified", async () => {
    const { queue, web } = ports();
    await takeInWebSignal({ ...resident, reporterType: 'professional', organisationType: 'zorg' }, '198.51.100.7', web);
    expect(queue.sent[0]!.sourceType).toBe('web-onbevestigd:zorg');
  });

  it('asks a professional for the organisation type, and names each invalid field', async () => {
    const { queue, web } = ports();
    const outcome = await takeInWebSignal({ ...resident, reporterType: 'professional', description: 'kort', contactPhone: '12' }, '198.51.100.7', web);
    if (outcome.outcome !== 'invalid') throw new Error(outcome.outcome);
    expect(outcome.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['contactPhone', 'description', 'organisationType']);
    expect(outcome.error.issues.find((i) => i.path[0] === 'description')!.message).toMatch(/minstens 10 tekens/);
    expect(queue.sent).toHaveLength(0);
  });

  it('places "weet ik niet" of the municipality in the chosen province', async () => {
    const { queue, web } = ports();
    await takeInWebSignal({ ...resident, municipality: 'onbekend', province: 'FR' }, '198.51.100.7', web);
    expect(queue.sent[0]).toMatchObject({ municipality: 'onbekend', province: 'FR' });
  });

  it('drops a report whose honeypot is filled, without telling', async () => {
    const { queue, web } = ports();
    expect(await takeInWebSignal({ ...resident, website: 'http://spam.example' }, '198.51.100.7', web)).toEqual({ outcome: 'honeypot' });
    expect(queue.sent).toHaveLength(0);
  });

  it('refuses the sixth report of one address in a minute, and says when to try again', async () => {
    const { queue, web } = ports();
    for (let i = 0; i < 5; i++) expect((await takeInWebSignal(resident, '198.51.100.7', web)).outcome).toBe('accepted');
    expect(await takeInWebSignal(resident, '198.51.100.7', web)).toEqual({ outcome: 'rate-limited', window: 'minute', retryAfterSeconds: 40 });
    expect((await takeInWebSignal(resident, '203.0.113.9', web)).outcome).toBe('accepted');
    expect(queue.sent).toHaveLength(6);
  });

  it('applies the daily limit too, and keeps no address in the counters', async () => {
    const { web } = ports({ perMinute: 100, perDay: 2 });
    await takeInWebSignal(resident, '198.51.100.7', web);
    await takeInWebSignal(resident, '198.51.100.7', web);
    expect(await takeInWebSignal(resident, '198.51.100.7', web)).toMatchObject({ outcome: 'rate-limited', window: 'day' });
    expect(JSON.stringify([...(web.rates as MemoryRateCounter).counts.keys()])).not.toContain('198.51');
  });
});

describe('takeInWebSignal: strict about fields', () => {
  /** A form post as readBody reads it: a prototype-free object of its fields. */
  const formPost = (extra: string) => Object.fromEntries(new URLSearchParams(`${new URLSearchParams(resident)}&${extra}`)) as Record<string, unknown>;
  const prototypeFree = (values: Record<string, unknown>) => Object.assign(Object.create(null) as Record<string, unknown>, values);
  const unknownKeys = (outcome: Awaited<ReturnType<typeof takeInWebSignal>>) => {
    if (outcome.outcome !== 'invalid') throw new Error(`expected invalid, got ${outcome.outcome}`);
    return outcome.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
  };

  it('refuses a form post with a field the form has not got, naming it, whatever its name', async () => {
    for (const [extra, name] of [
      ['foo=bar', 'foo'],
      ['form[]=arbeid', 'form[]'],
      ['__proto__[x]=1', '__proto__[x]'],
      ['__proto__=x', '__proto__'],
      ['constructor=x', 'constructor'],
      ['foo=', 'foo'],
    ] as const) {
      const { queue, web } = ports();
      expect(unknownKeys(await takeInWebSignal(prototypeFree(formPost(extra)), '198.51.100.7', web))).toEqual([name]);
      expect(queue.sent).toHaveLength(0);
    }
  });

  it('refuses a JSON post with an unknown field of any type, __proto__ included', async () => {
    for (const [json, name] of [
      ['"foo":1', 'foo'],
      ['"foo":null', 'foo'],
      ['"foo":{}', 'foo'],
      ['"__proto__":{}', '__proto__'],
      ['"__proto__":"x"', '__proto__'],
    ] as const) {
      const { queue, web } = ports();
      const body = JSON.parse(`{${JSON.stringify(resident).slice(1, -1)},${json}}`) as Record<string, unknown>;
      expect(unknownKeys(await takeInWebSignal(body, '198.51.100.7', web))).toEqual([name]);
      expect(queue.sent).toHaveLength(0);
    }
  });

  it('judges a known field sent as something other than text, rather than dropping it', async () => {
    const { queue, web } = ports();
    const outcome = await takeInWebSignal({ ...resident, description: 12345678901, contactName: null }, '198.51.100.7', web);
    if (outcome.outcome !== 'invalid') throw new Error(outcome.outcome);
    expect(outcome.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['contactName', 'description']);
    expect(queue.sent).toHaveLength(0);
  });

  it('gives back only the texts, in a prototype-free object, to fill the form in again', async () => {
    const { web } = ports();
    const outcome = await takeInWebSignal({ ...resident, foo: 1, __proto__x: 'y', reporterType: 'professional' }, '198.51.100.7', web);
    if (outcome.outcome !== 'invalid') throw new Error(outcome.outcome);
    expect(Object.getPrototypeOf(outcome.values)).toBeNull();
    expect(outcome.values).toMatchObject({ reporterType: 'professional', __proto__x: 'y' });
    expect(Object.values(outcome.values).every((v) => typeof v === 'string')).toBe(true);
  });
});

describe('postedFields', () => {
  it('drops an empty field of the form as not given, keeps an empty unknown one, in an object without a prototype', () => {
    const fields = postedFields(Object.entries(JSON.parse('{"contactName":" ","website":"","foo":"","__proto__":"x","n":1}')));
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(Object.entries(fields)).toEqual([
      ['foo', ''],
      ['__proto__', 'x'],
      ['n', 1],
    ]);
  });
});

describe('referenceOf', () => {
  it('makes a short reference of the signal id', () => {
    expect(referenceOf('3f2a91c0-1111-4222-8333-444455556666')).toBe('MR-3F2A-91C0');
  });
});
