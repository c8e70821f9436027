import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '#domain/partners/index.js';
import { provisionCredentials } from '../../../infra/local/provision.js';

const dynamo = mockClient(DynamoDBDocumentClient);
let dir: string;
beforeEach(() => {
  dynamo.reset();
  dynamo.on(PutCommand).resolves({});
  dir = mkdtempSync(join(tmpdir(), 'meldroute-credentials-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stored = () => dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Record<string, unknown>);

describe("npm start: the privacy officer's and the table's local keys", () => {
  it('are made on the first start, beside the partner and dashboard keys, and stored only as hashes', async () => {
    const path = join(dir, 'credentials.json');
    const credentials = await provisionCredentials(path, new DynamoDBClient({}));
    expect(credentials.keys.map((k) => k.scopes)).toEqual([['signals:write'], ['statistics:read'], ['audit:read', 'privacy:erase'], ['signals:triage']]);
    const [, , officer, triage] = credentials.keys;
    expect(officer).toMatchObject({ organisation: 'Lokale privacyfunctionaris', sourceType: 'overig', key: expect.stringMatching(/^mr_local_/) });
    // The triage key of the whole region: no province.
    expect(triage).toEqual({
      organisation: 'Lokale weeg- en monitortafel',
      sourceType: 'overig',
      scopes: ['signals:triage'],
      key: expect.stringMatching(/^mr_local_/),
    });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(credentials);
    expect(stored().find((item) => item.pk === `key#${hashApiKey(officer!.key)}`)).toMatchObject({ scopes: ['audit:read', 'privacy:erase'] });
    expect(stored().find((item) => item.pk === `key#${hashApiKey(triage!.key)}`)).toMatchObject({ scopes: ['signals:triage'], region: 'noord-nederland' });
    for (const { key } of credentials.keys) expect(JSON.stringify(stored())).not.toContain(key);
  });

  it('are added once to a data dir made before them, keeping the keys it had', async () => {
    const path = join(dir, 'credentials.json');
    const before = {
      keys: [
        { organisation: 'Lokale testpartner', sourceType: 'gemeente', scopes: ['signals:write'], key: 'mr_local_partner' },
        { organisation: 'Lokaal dashboard', sourceType: 'gemeente', scopes: ['statistics:read'], key: 'mr_local_dashboard' },
      ],
    };
    writeFileSync(path, JSON.stringify(before));
    const first = await provisionCredentials(path, new DynamoDBClient({}));
    expect(first.keys.slice(0, 2)).toEqual(before.keys);
    expect(first.keys.slice(2).map((k) => k.scopes)).toEqual([['audit:read', 'privacy:erase'], ['signals:triage']]);
    const again = await provisionCredentials(path, new DynamoDBClient({}));
    expect(again).toEqual(first);
    expect(JSON.parse(readFileSync(path, 'utf8')).keys).toHaveLength(4);
  });

  it('give an officer key made with audit:read alone privacy:erase too, keeping the key itself', async () => {
    const path = join(dir, 'credentials.json');
    const officer = { organisation: 'Lokale privacyfunctionaris', sourceType: 'overig', scopes: ['audit:read'], key: 'mr_local_officer' };
    writeFileSync(path, JSON.stringify({ keys: [officer] }));
    const credentials = await provisionCredentials(path, new DynamoDBClient({}));
    expect(credentials.keys[0]).toEqual({ ...officer, scopes: ['audit:read', 'privacy:erase'] });
    expect(JSON.parse(readFileSync(path, 'utf8')).keys[0].scopes).toEqual(['audit:read', 'privacy:erase']);
    expect(stored().find((item) => item.pk === `key#${hashApiKey(officer.key)}`)).toMatchObject({ scopes: ['audit:read', 'privacy:erase'] });
  });

  it('keep a triage key bound to a province, as written in the file', async () => {
    const path = join(dir, 'credentials.json');
    const drenthe = { organisation: 'Weegtafel Drenthe', sourceType: 'overig', scopes: ['signals:triage'], key: 'mr_local_drenthe', province: 'DR' };
    writeFileSync(path, JSON.stringify({ keys: [drenthe] }));
    await provisionCredentials(path, new DynamoDBClient({}));
    expect(stored().find((item) => item.pk === `key#${hashApiKey(drenthe.key)}`)).toMatchObject({ province: 'DR', region: 'noord-nederland' });
  });
});
