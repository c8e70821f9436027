/**
 * The signals of the statistics benchmark: realistic, reproducible, and made by the intake's own code.
 * Each is a partner's (or the meldformulier's, or a mail's) input, taken in as the intake takes it in
 * (SignalInputSchema, buildSignalRecord: placed, pseudonymised, the description encrypted) and stored as
 * the consumer stores it (storeSignal), then moved along by the casework as far as its age makes likely
 * (a later status, a decision with routes, a raised version). Spread over the last five years (more each
 * year), the region's municipalities (the cities more), the forms, months, sources and channels.
 */

import { buildSignalRecord } from '#domain/intake/index.js';
import { geography, todayInNetherlands, UNKNOWN } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { encryptText } from '#domain/privacy/index.js';
import {
  EXPLOITATION_FORMS,
  type GENDERS,
  type Route,
  SECTORS,
  SignalInputSchema,
  type SignalRecord,
  type SignalStatus,
  type SignalStore,
  type StoredSignal,
  StoredSignalSchema,
  storeSignal,
} from '#domain/signal/index.js';
import { MemoryDataKeys, testKey } from '../support/in-memory-ports.js';

const DAY_MS = 86_400_000;
const REGION = geography.defaultRegion;

/** mulberry32: a small seeded generator, so that every run stores the same signals. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, weighted: readonly (readonly [T, number])[]): T => {
  let r = random() * weighted.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r < 0) return value;
  }
  return weighted.at(-1)![0];
};
const any = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const chance = (random: Random, p: number) => random() < p;
const pad = (n: number) => String(n).padStart(2, '0');

function uuidOf(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = any(random, ['8', '9', 'a', 'b']);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const municipalities = geography.region(REGION)!.provinces.flatMap((p) => p.municipalities.map((m) => m.code));
/** The four cities weigh most: Groningen, Leeuwarden, Assen, Emmen. */
const CITIES = ['GM0014', 'GM0080', 'GM0106', 'GM0114'];
const municipalityWeights = municipalities.map((code, i) => [code, CITIES.includes(code) ? 8 : 1 + (i % 3)] as const);
const FORM_WEIGHTS = [
  ['seksueel', 42],
  ['arbeid', 33],
  ['crimineel', 18],
  ['onbekend', 6],
  ['orgaanverwijdering', 1],
] as const satisfies readonly (readonly [(typeof EXPLOITATION_FORMS)[number], number])[];
const PARTNERS: readonly (readonly [{ organisation: string; sourceType: string }, number])[] = [
  [{ organisation: 'Gemeente', sourceType: 'gemeente' }, 30],
  [{ organisation: 'Politie Noord-Nederland', sourceType: 'politie' }, 25],
  [{ organisation: 'Koninklijke Marechaussee', sourceType: 'marechaussee' }, 6],
  [{ organisation: 'Nederlandse Arbeidsinspectie', sourceType: 'arbeidsinspectie' }, 8],
  [{ organisation: 'Veilig Thuis', sourceType: 'veilig-thuis' }, 8],
  [{ organisation: 'Fier', sourceType: 'zorg' }, 12],
  [{ organisation: 'COA', sourceType: 'asielopvang' }, 6],
  [{ organisation: 'OM Noord-Nederland', sourceType: 'openbaar-ministerie' }, 3],
  [{ organisation: 'Overig', sourceType: 'overig' }, 2],
];
const NATIONALITIES = ['NL', 'RO', 'PL', 'BG', 'NG', 'UA', 'ER', 'SY', 'HU', 'VN'] as const;
/** Where a signal stands by its age: recent ones are mostly still open, older ones mostly closed. */
const STATUS_BY_AGE: readonly (readonly (readonly [SignalStatus, number])[])[] = [
  [
    ['ontvangen', 35],
    ['te-verrijken', 8],
    ['in-beoordeling', 27],
    ['besproken', 18],
    ['afgesloten', 8],
    ['ingetrokken', 4],
  ],
  [
    ['ontvangen', 6],
    ['te-verrijken', 2],
    ['in-beoordeling', 12],
    ['besproken', 30],
    ['afgesloten', 46],
    ['ingetrokken', 4],
  ],
  [
    ['ontvangen', 2],
    ['in-beoordeling', 3],
    ['besproken', 20],
    ['afgesloten', 71],
    ['ingetrokken', 4],
  ],
];
const ROUTE_WEIGHTS = [
  ['zorg', 40],
  ['zorg-en-strafrecht', 25],
  ['riec', 15],
  ['advies', 10],
  ['geen-vervolg', 10],
] as const satisfies readonly (readonly [Route, number])[];
/** How many changes (each raising the version) the casework made to reach a status. */
const CHANGES_TO: Record<SignalStatus, number> = {
  ontvangen: 0,
  'te-verrijken': 0,
  'in-beoordeling': 1,
  besproken: 2,
  afgesloten: 3,
  ingetrokken: 1,
};
const DESCRIPTION =
  'Omschrijving zoals een melder die geeft, in de benchmark vervangen door deze tekst. Zij wordt versleuteld opgeslagen, zoals elke omschrijving. ';

/** One signal as it arrives: what was sent, by whom, over which channel, when, and how far the casework took it. */
export interface BenchSignal {
  signalId: string;
  /** The POST /v1/signals body (for a signal sent live), or what the form or the mail template gave. */
  body: Record<string, unknown>;
  channel: SignalRecord['channel'];
  principal: Principal;
  intakeStatus?: SignalRecord['status'];
  reporter?: { name: string };
  minorsSuspected?: SignalRecord['minorsSuspected'];
  receivedAt: Date;
  /** The status the casework took it to, and for `besproken` and `afgesloten` the table's decision. */
  status: SignalStatus;
  decision?: { decisionId: string; routes: Route[] };
}

/** The years the signals fall in: the last five, this one included. */
export function benchYears(today = todayInNetherlands()): number[] {
  const year = Number(today.slice(0, 4));
  return [year - 4, year - 3, year - 2, year - 1, year];
}

/**
 * Signal after signal, from one seed. `year` fixes the year (the live signals of the benchmark fall in the
 * year it measures). Dates never lie after today.
 */
export function* benchSignals(count: number, seed: number, options: { year?: number; today?: string } = {}): Generator<BenchSignal> {
  const random = randomSource(seed);
  const today = options.today ?? todayInNetherlands();
  const years = benchYears(today);
  const thisYear = years.at(-1)!;
  const [, thisMonth, thisDay] = today.split('-').map(Number) as [number, number, number];
  for (let i = 0; i < count; i++) {
    const year =
      options.year ??
      pick(
        random,
        years.map((y, k) => [y, 16 + 2 * k] as const),
      );
    const month = 1 + Math.floor(random() * (year === thisYear ? thisMonth : 12));
    const day = 1 + Math.floor(random() * (year === thisYear && month === thisMonth ? Math.min(28, thisDay) : 28));
    const observedAt = `${year}-${pad(month)}-${pad(day)}`;
    const now = Date.now();
    const receivedAt = new Date(Math.min(now - 60_000, Date.parse(`${observedAt}T09:00:00Z`) + Math.floor(random() * 21 * DAY_MS)));
    const known = !chance(random, 0.015);
    const municipality = known ? pick(random, municipalityWeights) : UNKNOWN;
    const form = pick(random, FORM_WEIGHTS);
    const body: Record<string, unknown> = { observedAt, municipality, form };
    if (!known) body.province = any(random, geography.provinceCodes());
    const channel = pick(random, [
      ['api', 65],
      ['email', 20],
      ['web', 15],
    ] as const);
    let principal: Principal;
    let intakeStatus: SignalRecord['status'] | undefined;
    const extra: Partial<BenchSignal> = {};
    if (channel === 'web') {
      const resident = chance(random, 0.7);
      principal = {
        organisation: 'meldformulier',
        sourceType: resident ? 'burger' : `web-onbevestigd:${any(random, ['zorg', 'gemeente', 'overig'])}`,
        scopes: [],
        region: REGION,
      };
      body.signalType = 'melding';
      extra.minorsSuspected = pick(random, [
        ['nee', 55],
        ['weet-niet', 35],
        ['ja', 10],
      ] as const);
      if (chance(random, 0.4)) extra.reporter = { name: `Melder ${i}` };
      body.description = DESCRIPTION.repeat(1 + Math.floor(random() * 4));
    } else {
      const partner = pick(random, PARTNERS);
      const organisation =
        partner.sourceType === 'gemeente' ? `Gemeente ${known ? geography.municipality(municipality)!.name : 'Onbekend'}` : partner.organisation;
      principal = { organisation, sourceType: partner.sourceType, scopes: ['signals:write'], region: REGION };
      if (channel === 'email' && chance(random, 0.3)) intakeStatus = 'te-verrijken';
      body.signalType = pick(random, [
        ['melding', 80],
        ['adviesvraag', 12],
        ['casus', 8],
      ] as const);
      if (channel === 'api' && chance(random, 0.5)) body.externalId = `ZAAK-${year}-${i}`;
      if (chance(random, 0.08))
        body.additionalForms = [
          any(
            random,
            EXPLOITATION_FORMS.filter((f) => f !== form),
          ),
        ];
      if (chance(random, 0.45)) body.sector = any(random, SECTORS);
      if (chance(random, 0.4)) body.exploitationMunicipality = chance(random, 0.65) && known ? municipality : any(random, municipalities);
      if (chance(random, 0.55)) {
        const age = chance(random, 0.15) ? 12 + Math.floor(random() * 6) : 18 + Math.floor(random() * 42);
        const subject: Record<string, unknown> = {
          dateOfBirth: `${year - age - 1}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
          gender: pick(random, [
            ['v', 60],
            ['m', 35],
            ['x', 2],
            ['onbekend', 3],
          ] as const satisfies readonly (readonly [(typeof GENDERS)[number], number])[]),
          nationality: any(random, NATIONALITIES),
        };
        if (chance(random, 0.4)) subject.name = `Persoon ${i}`;
        body.subject = subject;
      }
      if (chance(random, 0.6)) body.description = DESCRIPTION.repeat(1 + Math.floor(random() * 4));
    }
    const age = Math.min(2, thisYear - year);
    const status = intakeStatus && age === 0 && chance(random, 0.5) ? intakeStatus : pick(random, STATUS_BY_AGE[age]!);
    if (status === 'besproken' || status === 'afgesloten') {
      const route = pick(random, ROUTE_WEIGHTS);
      extra.decision = { decisionId: uuidOf(random), routes: route === 'zorg' && chance(random, 0.2) ? ['zorg', 'riec'] : [route] };
    }
    yield { signalId: uuidOf(random), body, channel, principal, ...(intakeStatus && { intakeStatus }), ...extra, receivedAt, status };
  }
}

/** Keeps what storeSignal stores, as the signals table would. */
class Kept implements SignalStore {
  signal?: StoredSignal;
  async putIfAbsent(signal: StoredSignal) {
    this.signal = signal;
    return 'stored' as const;
  }
  async get() {
    return this.signal;
  }
  async update() {
    return false;
  }
}

const dataKeys = new MemoryDataKeys();

/**
 * The stored signal, as the intake, the consumer and the casework would have left it: taken in by the
 * intake's code, stored as version 1, then each change of the casework raising the version (a decision
 * for `besproken` and `afgesloten`, with the routes beside it). Parsed as the aggregator parses it.
 */
export async function storedSignalOf(signal: BenchSignal): Promise<StoredSignal> {
  const input = SignalInputSchema.parse(signal.body);
  const record = buildSignalRecord(
    {
      input,
      principal: signal.principal,
      channel: signal.channel,
      ...(signal.intakeStatus && { status: signal.intakeStatus }),
      ...(signal.reporter && { reporter: signal.reporter }),
      ...(signal.minorsSuspected && { minorsSuspected: signal.minorsSuspected }),
    },
    signal.signalId,
    testKey,
    signal.receivedAt,
  );
  if (input.description) record.description = await encryptText(input.description, dataKeys);
  const kept = new Kept();
  await storeSignal(record, kept);
  const stored: StoredSignal = kept.signal!;
  const changes = CHANGES_TO[signal.status];
  if (changes === 0) return StoredSignalSchema.parse({ ...stored, status: signal.status });
  const changedAt = new Date(signal.receivedAt.getTime() + Math.min(changes * 14 * DAY_MS, Date.now() - signal.receivedAt.getTime()));
  const { decision } = signal;
  return StoredSignalSchema.parse({
    ...stored,
    status: signal.status,
    version: 1 + changes,
    changedAt: changedAt.toISOString(),
    ...(decision && {
      decisions: [
        {
          decisionId: decision.decisionId,
          routes: decision.routes,
          decidedOn: changedAt.toISOString().slice(0, 10),
          recordedAt: changedAt.toISOString(),
          organisation: 'Regionale tafel Noord-Nederland',
        },
      ],
      routes: decision.routes,
    }),
  });
}
