import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { counterUpdate, DynamoDbAggregationStore } from '#adapters/dynamodb/aggregation-store.js';
import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { SOURCE_TYPES } from '#domain/partners/index.js';
import { AGE_BANDS, CHANNELS, EXPLOITATION_FORMS, GENDERS, ROUTES, SECTORS, SIGNAL_TYPES } from '#domain/signal/index.js';
import {
  type Contribution,
  type ContributionV1,
  counterDeltas,
  NO_DECISION,
  PERSON_VALUES,
  type RouteValue,
  SIGNALLED_BEFORE_VALUES,
} from '#domain/statistics/index.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbAggregationStore(new DynamoDBClient({}), 'stats', () => new Date('2026-11-23T10:00:00Z'));
beforeEach(() => dynamo.reset());
const transaction = (n = 0) => dynamo.commandCalls(TransactWriteCommand)[n]!.args[0].input.TransactItems!;

/** A contribution as the aggregator stored it before dimensions version 2. */
const contribution: ContributionV1 = {
  year: 2023,
  month: '2023-05',
  region: 'r',
  province: 'p',
  municipality: 'm',
  form: 'arbeid',
  sourceType: 's',
  channel: 'api',
  signalType: 't',
};
const current: Contribution = {
  ...contribution,
  dimensionsVersion: 3,
  recordKey: 7,
  exploitationMunicipality: 'onbekend',
  minors: 'onbekend',
  sector: 'onbekend',
  ageBand: 'onbekend',
  gender: 'onbekend',
  status: 'ontvangen',
  additionalForms: [],
  routes: [NO_DECISION],
};

/** Every set of routes a signal can have: the 31 of the five routes, and no decision. */
const ROUTE_SETS: RouteValue[][] = [
  ...Array.from({ length: 2 ** ROUTES.length - 1 }, (_, i) => ROUTES.filter((_, bit) => ((i + 1) >> bit) & 1)),
  [NO_DECISION],
];

describe('DynamoDbAggregationStore', () => {
  it('writes the applied state and every counter in one transaction, adding with ADD', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const deltas = new Map([
      [
        'counter#region#r#2023',
        new Map([
          ['total', 1],
          ['form#arbeid', 1],
        ]),
      ],
    ]);
    expect(await store.apply('s1', undefined, { version: 1, contribution: null }, deltas, [])).toBe(true);
    const items = transaction();
    expect(items).toHaveLength(3);
    expect(items[0]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'applied#s1' },
      UpdateExpression: 'SET #version = :version, #contribution = :contribution',
      ConditionExpression: 'attribute_not_exists(#version)',
      ExpressionAttributeNames: { '#version': 'version', '#contribution': 'contribution' },
      ExpressionAttributeValues: { ':version': 1, ':contribution': null },
    });
    expect(items[1]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'counter#region#r#2023' },
      UpdateExpression: 'ADD #a0 :d0, #a1 :d1, #revision :one SET #updatedAt = :updatedAt',
      ExpressionAttributeNames: { '#a0': 'total', '#a1': 'form#arbeid', '#updatedAt': 'updatedAt', '#revision': 'revision' },
      ExpressionAttributeValues: { ':d0': 1, ':d1': 1, ':updatedAt': '2026-11-23T10:00:00.000Z', ':one': 1 },
    });
  });

  it("adds 1 to the region's change counter in the same transaction: one more item for each region whose counters change", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const changeOf = (items: ReturnType<typeof transaction>) => items.filter((i) => String(i.Update?.Key?.pk).startsWith('changes#')).map((i) => i.Update);
    const deltas = new Map([
      ['counter#region#r#2023', new Map([['total', 1]])],
      ['counter#province#p#2023', new Map([['total', 1]])],
    ]);
    await store.apply('s1', undefined, { version: 1, contribution: current }, deltas, []);
    expect(changeOf(transaction())).toEqual([
      {
        TableName: 'stats',
        Key: { pk: 'changes#r' },
        UpdateExpression: 'ADD #changes :one, #writes :one',
        ExpressionAttributeNames: { '#writes': 'writes', '#changes': 'changes' },
        ExpressionAttributeValues: { ':one': 1 },
      },
    ]);
    // A correction that moves a signal from one region to another changes both.
    const moved = new Map([
      ['counter#region#r#2023', new Map([['total', -1]])],
      ['counter#region#s#2023', new Map([['total', 1]])],
    ]);
    await store.apply('s1', { version: 1, contribution: current }, { version: 2, contribution: current }, moved, []);
    expect(changeOf(transaction(1)).map((u) => u!.Key)).toEqual([{ pk: 'changes#r' }, { pk: 'changes#s' }]);
    // A rebuild (same version, newer dimensions) changes no signal: it counts as a write only.
    await store.apply('s1', { version: 2, contribution }, { version: 2, contribution: current }, deltas, []);
    expect(changeOf(transaction(2))).toEqual([
      {
        TableName: 'stats',
        Key: { pk: 'changes#r' },
        UpdateExpression: 'ADD #writes :one',
        ExpressionAttributeNames: { '#writes': 'writes' },
        ExpressionAttributeValues: { ':one': 1 },
      },
    ]);
    // Nothing counted, nothing changed.
    await store.apply('s1', { version: 2, contribution: current }, { version: 3, contribution: current }, new Map(), []);
    expect(changeOf(transaction(3))).toEqual([]);
  });

  it('conditions on the version it read, so a concurrent writer cannot be overwritten', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.apply('s1', { version: 3, contribution: null }, { version: 4, contribution: null }, new Map(), []);
    expect(transaction()[0]!.Update).toMatchObject({
      ConditionExpression: '#version = :previous AND attribute_type(#contribution, :null)',
      ExpressionAttributeValues: { ':previous': 3, ':version': 4, ':null': 'NULL' },
    });
  });

  it("conditions on the contribution's dimensions version too, so that two rebuilds of one version cannot both apply", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.apply('s1', { version: 3, contribution }, { version: 3, contribution: current }, new Map(), []);
    expect(transaction()[0]!.Update).toMatchObject({
      ConditionExpression: '#version = :previous AND attribute_not_exists(#contribution.#dimensionsVersion)',
      ExpressionAttributeNames: { '#version': 'version', '#contribution': 'contribution', '#dimensionsVersion': 'dimensionsVersion' },
      ExpressionAttributeValues: { ':previous': 3, ':version': 3, ':contribution': current },
    });
    await store.apply('s1', { version: 3, contribution: current }, { version: 4, contribution: null }, new Map(), []);
    expect(transaction(1)[0]!.Update).toMatchObject({
      ConditionExpression: '#version = :previous AND #contribution.#dimensionsVersion = :previousDimensions',
      ExpressionAttributeValues: { ':previous': 3, ':previousDimensions': 3, ':version': 4, ':contribution': null },
    });
  });

  it('removes the markers of a marked signal in the same transaction: its map entry per region, and the regions from its set', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.apply('s1', undefined, { version: 2, contribution: null }, new Map(), ['noord-nederland']);
    const items = transaction();
    expect(items[0]!.Update).toMatchObject({
      UpdateExpression: 'SET #version = :version, #contribution = :contribution REMOVE uncountedVersion DELETE uncountedIn :unmark',
      ExpressionAttributeValues: { ':unmark': new Set(['noord-nederland']) },
    });
    expect(items[1]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'uncounted#noord-nederland' },
      UpdateExpression: 'REMOVE #signal ADD #revision :one',
      ExpressionAttributeNames: { '#signal': 's1', '#revision': 'revision' },
      ExpressionAttributeValues: { ':one': 1 },
    });
  });

  it('answers false when the condition failed, and rethrows any other cancellation', async () => {
    const cancelled = (code: string) =>
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: code }, { Code: 'None' }] });
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed')).rejectsOnce(cancelled('ThrottlingError'));
    const previous = { version: 1, contribution: null };
    expect(await store.apply('s1', previous, { version: 2, contribution: null }, new Map(), [])).toBe(false);
    await expect(store.apply('s1', previous, { version: 2, contribution: null }, new Map(), [])).rejects.toThrow('cancelled');
  });

  it('reads the bookkeeping consistently: applied state, markers, both or none', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: 'applied#s1', version: 2, contribution } })
      .resolvesOnce({})
      .resolvesOnce({ Item: { pk: 'applied#s3', uncountedIn: new Set(['r2', 'r1']), uncountedVersion: 1 } })
      .resolvesOnce({ Item: { pk: 'applied#s4', version: 1, contribution: null, uncountedIn: new Set(['r1']) } });
    expect(await store.bookkeeping('s1')).toEqual({ applied: { version: 2, contribution } });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'stats', Key: { pk: 'applied#s1' }, ConsistentRead: true });
    expect(await store.bookkeeping('s2')).toEqual({});
    expect(await store.bookkeeping('s3')).toEqual({ uncounted: { regions: ['r1', 'r2'], version: 1 } });
    expect(await store.bookkeeping('s4')).toEqual({ applied: { version: 1, contribution: null }, uncounted: { regions: ['r1'], version: 0 } });
  });

  it('marks in one transaction: the marker in each region item, and the regions and version on the applied item', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const marker = { signalId: 's1', markedAt: '2024-01-01T00:00:00.000Z', error: '$ZodError', year: 2023, province: 'DR' };
    await store.markUncounted(['r1', 'r2'], 3, marker);
    const items = transaction();
    expect(items[0]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'applied#s1' },
      UpdateExpression: 'ADD uncountedIn :regions SET uncountedVersion = :version',
      ExpressionAttributeValues: { ':regions': new Set(['r1', 'r2']), ':version': 3 },
    });
    expect(items.slice(1).map((i) => i.Update)).toEqual(
      ['r1', 'r2'].map((r) => ({
        TableName: 'stats',
        Key: { pk: `uncounted#${r}` },
        UpdateExpression: 'SET #signal = :marker ADD #revision :one',
        ExpressionAttributeNames: { '#signal': 's1', '#revision': 'revision' },
        ExpressionAttributeValues: { ':marker': { markedAt: '2024-01-01T00:00:00.000Z', error: '$ZodError', year: 2023, province: 'DR' }, ':one': 1 },
      })),
    );
  });

  it('unmarks in one transaction, and not at all when there is nothing to unmark', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.unmark('s1', []);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    await store.unmark('s1', ['r1']);
    expect(transaction().map((i) => i.Update!.UpdateExpression)).toEqual([
      'REMOVE uncountedVersion DELETE uncountedIn :regions',
      'REMOVE #signal ADD #revision :one',
    ]);
  });

  it("reads the counter item and the region's markers in one BatchGetItem", async () => {
    dynamo.on(BatchGetCommand).resolvesOnce({
      Responses: {
        stats: [
          { pk: 'uncounted#r', s9: { markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' } },
          { pk: 'counter#x', total: 3, 'form#arbeid': 2, updatedAt: '2026-11-23T10:00:00.000Z' },
        ],
      },
    });
    expect(await store.read('counter#x', 'r')).toEqual({
      counts: { total: 3, 'form#arbeid': 2 },
      uncounted: [{ signalId: 's9', markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' }],
    });
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input).toEqual({ RequestItems: { stats: { Keys: [{ pk: 'counter#x' }, { pk: 'uncounted#r' }] } } });
  });

  it('reads absent items as no counts and no markers, and asks again for keys left unprocessed', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { stats: [] }, UnprocessedKeys: { stats: { Keys: [{ pk: 'counter#y' }] } } })
      .resolvesOnce({ Responses: { stats: [{ pk: 'counter#y', total: 1 }] } });
    expect(await store.read('counter#y', 'r')).toEqual({ counts: { total: 1 }, uncounted: [] });
    expect(dynamo.commandCalls(BatchGetCommand)[1]!.args[0].input).toEqual({ RequestItems: { stats: { Keys: [{ pk: 'counter#y' }] } } });
  });
});

/** DynamoDB's size of an item: each attribute's name in UTF-8 plus its value; a number 1 byte per two significant digits, plus 1. */
const itemSize = (item: Record<string, string | number>) =>
  Object.entries(item).reduce(
    (size, [name, value]) =>
      size +
      Buffer.byteLength(name) +
      (typeof value === 'number' ? Math.ceil(String(Math.abs(value)).replace(/^0+|0+$/g, '').length / 2) + 1 : Buffer.byteLength(value)),
    0,
  );

describe('counter updates within DynamoDB limits', () => {
  /** Every value each dimension can take in Noord-Nederland in one year, as the region's counter item would hold them. */
  function everyAttributeOfTheRegionItem(): string[] {
    const region = geography.region('noord-nederland')!;
    const values = {
      province: [...region.provinces.map((p) => p.code), UNKNOWN],
      municipality: [...region.provinces.flatMap((p) => p.municipalities.map((m) => m.code)), UNKNOWN],
      exploitationMunicipality: [...geography.municipalityCodes(), UNKNOWN],
      month: Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`),
      sourceType: SOURCE_TYPES,
      sector: [...SECTORS, UNKNOWN],
      ageBand: [...AGE_BANDS, UNKNOWN],
      minors: ['ja', 'nee', 'onbekend'],
      status: ['ontvangen', 'te-verrijken'],
    };
    const attributes = new Set<string>();
    const widest = Math.max(...Object.values(values).map((v) => v.length));
    // Each form with every value of every row dimension: all one-way values and all pairs.
    for (const form of EXPLOITATION_FORMS) {
      for (let i = 0; i < widest; i++) {
        const at = <T>(list: readonly T[]) => list[i % list.length]!;
        const c: Contribution = {
          ...current,
          region: 'noord-nederland',
          form,
          province: at(values.province),
          municipality: at(values.municipality),
          exploitationMunicipality: at(values.exploitationMunicipality),
          month: at(values.month),
          sourceType: at(values.sourceType),
          channel: at(CHANNELS),
          signalType: at(SIGNAL_TYPES),
          sector: at(values.sector),
          ageBand: at(values.ageBand),
          gender: at(GENDERS),
          minors: at(values.minors) as Contribution['minors'],
          status: at(values.status),
          additionalForms: [...EXPLOITATION_FORMS],
          routes: at(ROUTE_SETS),
          person: at(PERSON_VALUES),
          signalledBefore: at(SIGNALLED_BEFORE_VALUES),
        };
        for (const attribute of counterDeltas(null, c).get('counter#region#noord-nederland#2023')!.keys()) attributes.add(attribute);
      }
    }
    return [...attributes];
  }

  it('keeps the largest counter item, a region in a year with every value counted, far under the 400 KB an item may hold', () => {
    const attributes = everyAttributeOfTheRegionItem();
    // 700 counts and their key sums as under version 2; 6 routes, 3 persons and 3 signalled-before values and
    // their key sums; 32 route sets, counts only.
    expect(attributes).toHaveLength(1400 + 12 + 12 + 32);
    // 99 999 signals in every cell, each key sum at its most (record keys of 255).
    const item = { pk: 'counter#region#noord-nederland#2023', ...Object.fromEntries(attributes.map((a) => [a, a.startsWith('k:') ? 255 * 99_999 : 99_999])) };
    const size = itemSize(item);
    expect(size).toBeGreaterThan(50 * 1024);
    expect(size).toBeLessThan(60 * 1024); // the figure in aggregation-store.ts
  });

  it('writes the largest correction of one item in one update expression under 4 KB and 300 operations', () => {
    const everything: Contribution = {
      ...current,
      municipality: 'GM0114',
      province: 'DR',
      region: 'noord-nederland',
      additionalForms: ['arbeid', 'crimineel', 'onbekend', 'orgaanverwijdering', 'seksueel'],
      routes: [...ROUTES].sort(),
    };
    const otherwise: Contribution = {
      ...everything,
      month: '2023-06',
      form: 'seksueel',
      sourceType: 'politie',
      channel: 'web',
      signalType: 'casus',
      exploitationMunicipality: 'GM0106',
      minors: 'ja',
      sector: 'horeca',
      ageBand: '0-11',
      gender: 'v',
      status: 'te-verrijken',
      additionalForms: [],
      routes: [NO_DECISION],
      person: 'eerder-dit-jaar',
      signalledBefore: 'ja',
    };
    const item = counterDeltas(everything, otherwise).get('counter#region#noord-nederland#2023')!;
    expect(item.size).toBeGreaterThan(70);
    const update = counterUpdate(item, new Date().toISOString());
    expect(Buffer.byteLength(update.UpdateExpression)).toBeLessThan(4096 / 3);
    // Over 300 operations (the counts, the revision and updatedAt) it refuses, rather than write a part.
    const now = new Date().toISOString();
    expect(() => counterUpdate(new Map(Array.from({ length: 298 }, (_, i) => [`a${i}`, 1])), now)).not.toThrow();
    expect(() => counterUpdate(new Map(Array.from({ length: 299 }, (_, i) => [`a${i}`, 1])), now)).toThrow(RangeError);
  });
});

describe('applyAll: several signals counted in one transaction', () => {
  /** A first count of a signal of its own in one of the region's municipalities, with its own form and month. */
  const first = (i: number) => {
    const municipalities = geography
      .region('noord-nederland')!
      .provinces.flatMap((p) => p.municipalities.map((m) => ({ municipality: m.code, province: p.code })));
    const next = {
      version: 1,
      contribution: {
        ...current,
        region: 'noord-nederland',
        ...municipalities[i % municipalities.length]!,
        form: EXPLOITATION_FORMS[i % EXPLOITATION_FORMS.length]!,
        month: `2023-${String((i % 12) + 1).padStart(2, '0')}`,
        recordKey: i,
      },
    };
    return { signalId: `s${i}`, previous: undefined, next, deltas: counterDeltas(null, next.contribution) };
  };

  it('adds up the deltas per counter item and writes each item once, with each applied state on its condition and the change counter by the signals', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const applications = [first(0), first(0)].map((a, i) => ({ ...a, signalId: `s${i}` }));
    expect(await store.applyAll(applications)).toEqual(new Set());
    const items = transaction();
    const regionItem = items.filter((i) => i.Update?.Key?.pk === 'counter#region#noord-nederland#2023');
    expect(regionItem).toHaveLength(1);
    const { ExpressionAttributeNames: names, ExpressionAttributeValues: values } = regionItem[0]!.Update!;
    const total = Object.entries(names!)
      .find(([, name]) => name === 'total')![0]
      .replace('#a', ':d');
    expect(values![total]).toBe(2);
    expect(items.filter((i) => String(i.Update?.Key?.pk).startsWith('applied#')).map((i) => i.Update!.ConditionExpression)).toEqual([
      'attribute_not_exists(#version)',
      'attribute_not_exists(#version)',
    ]);
    expect(items.find((i) => i.Update?.Key?.pk === 'changes#noord-nederland')!.Update!.ExpressionAttributeValues).toEqual({ ':changes': 2, ':one': 1 });
  });

  it('splits 500 signals over transactions that DynamoDB takes: at most 100 items, every update under 4 KB and 300 operations', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const applications = Array.from({ length: 500 }, (_, i) => first(i));
    expect(await store.applyAll(applications)).toEqual(new Set());
    const transactions = dynamo.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(transactions.length).toBeLessThan(250);
    for (const items of transactions) {
      expect(items.length).toBeLessThanOrEqual(100);
      for (const { Update } of items) {
        expect(Buffer.byteLength(Update!.UpdateExpression!)).toBeLessThanOrEqual(4096);
        expect(Object.keys(Update!.ExpressionAttributeNames ?? {}).length).toBeLessThanOrEqual(300);
      }
    }
    const applied = transactions.flat().filter((i) => String(i.Update?.Key?.pk).startsWith('applied#'));
    expect(new Set(applied.map((i) => i.Update!.Key!.pk)).size).toBe(500);
  });

  it('answers the signals of a transaction whose condition failed, and rethrows any other cancellation', async () => {
    const cancelled = (code: string) =>
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: code }] });
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed'));
    expect(await store.applyAll([first(0), first(1)])).toEqual(new Set(['s0', 's1']));
    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict'));
    await expect(store.applyAll([first(0), first(1)])).rejects.toThrow(TransactionCanceledException);
  });

  it('reads the bookkeeping of many signals consistently in one BatchGetItem', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { stats: [{ pk: 'applied#s1', version: 2, contribution: null }] } });
    const books = await store.bookkeepings(['s1', 's2']);
    expect(books).toEqual(new Map([['s1', { applied: { version: 2, contribution: null } }]]));
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.stats!.ConsistentRead).toBe(true);
  });
});
