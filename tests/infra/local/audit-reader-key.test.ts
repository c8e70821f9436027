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

describe("npm start: the privacy officer's local key", () => {
  it('is made on the first start, beside the partner and dashboard keys, and stored only as its hash', async () => {
    const path = join(dir, 'credentials.json');
    const credentials = await provisionCredentials(path, new DynamoDBClient({}));
    expect(credentials.keys.map((k) => k.scopes)).toEqual([['signals:write'], ['statistics:read'], ['audit:read']]);
    const officer = credentials.keys[2]!;
    expect(officer).toMatchObject({ organisation: 'Lokale privacyfunctionaris', sourceType: 'overig', key: expect.stringMatching(/^mr_local_/) });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(credentials);
    expect(stored().find((item) => item.pk === `key#${hashApiKey(officer.key)}`)).toMatchObject({ scopes: ['audit:read'] });
    expect(JSON.stringify(stored())).not.toContain(officer.key);
  });

  it('is added once to a data dir made before the audit log, keeping the keys it had', async () => {
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
    expect(first.keys[2]).toMatchObject({ scopes: ['audit:read'] });
    const again = await provisionCredentials(path, new DynamoDBClient({}));
    expect(again).toEqual(first);
    expect(JSON.parse(readFileSync(path, 'utf8')).keys).toHaveLength(3);
  });
});
