import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toAuthorizerEvent, toHttpApiEvent } from '../../../infra/local/http-gateway.js';
import { toS3Event } from '../../../infra/local/s3-notifier.js';
import { toSqsEvent } from '../../../infra/local/sqs-poller.js';
import { toStreamEvent } from '../../../infra/local/stream-poller.js';

function request(headers: Record<string, string | string[]>, url: string, method = 'POST'): IncomingMessage {
  return Object.assign(Readable.from([]), {
    headers,
    url,
    method,
    httpVersion: '1.1',
    socket: { remoteAddress: '::ffff:127.0.0.1' },
  }) as unknown as IncomingMessage;
}

describe('toHttpApiEvent', () => {
  it('builds an API Gateway HTTP API (payload 2.0) event', () => {
    const event = toHttpApiEvent(
      request({ 'content-type': 'application/json', 'x-multi': ['a', 'b'], cookie: 'a=1; b=2' }, '/v1/statistics?year=2023&year=2024&province=DR'),
      Buffer.from('{"a":1}'),
      'POST /v1/statistics',
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/statistics',
      rawPath: '/v1/statistics',
      rawQueryString: 'year=2023&year=2024&province=DR',
      cookies: ['a=1', 'b=2'],
      headers: { 'content-type': 'application/json', 'x-multi': 'a,b' },
      queryStringParameters: { year: '2023,2024', province: 'DR' },
      requestContext: { http: { method: 'POST', path: '/v1/statistics', sourceIp: '127.0.0.1' }, stage: '$default' },
      body: '{"a":1}',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes a binary body, as API Gateway does', () => {
    const event = toHttpApiEvent(request({ 'content-type': 'application/octet-stream' }, '/x'), Buffer.from([0, 1, 2]), 'POST /x');
    expect(event).toMatchObject({ body: 'AAEC', isBase64Encoded: true });
  });
});

describe('toAuthorizerEvent', () => {
  it('builds the REQUEST event an HTTP API hands its Lambda authorizer, with the route key and headers', () => {
    const request_ = toHttpApiEvent(request({ authorization: 'Bearer k' }, '/v1/signals/abc', 'GET'), Buffer.alloc(0), 'GET /v1/signals/{signalId}', {
      signalId: 'abc',
    });
    expect(toAuthorizerEvent(request_)).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:local:000000000000:local/$default/GET/v1/signals/abc',
      identitySource: [],
      routeKey: 'GET /v1/signals/{signalId}',
      headers: { authorization: 'Bearer k' },
      pathParameters: { signalId: 'abc' },
      requestContext: { http: { method: 'GET' } },
    });
  });
});

describe('toSqsEvent', () => {
  it('builds the records Lambda hands over for SQS', () => {
    const event = toSqsEvent(
      [
        {
          MessageId: 'm1',
          ReceiptHandle: 'r1',
          Body: '{}',
          MD5OfBody: 'md5',
          Attributes: { ApproximateReceiveCount: '3' },
          MessageAttributes: { channel: { DataType: 'String', StringValue: 'api' } },
        },
      ],
      'arn:aws:sqs:eu-central-1:000000000000:q',
      'eu-central-1',
    );
    expect(event.Records[0]).toMatchObject({
      messageId: 'm1',
      receiptHandle: 'r1',
      body: '{}',
      attributes: { ApproximateReceiveCount: '3' },
      messageAttributes: { channel: { dataType: 'String', stringValue: 'api', stringListValues: [], binaryListValues: [] } },
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:q',
    });
  });
});

describe('toStreamEvent', () => {
  it('builds the records Lambda hands over for a DynamoDB stream, times in epoch seconds', () => {
    const event = toStreamEvent(
      [
        {
          eventID: 'e1',
          eventName: 'MODIFY',
          dynamodb: {
            ApproximateCreationDateTime: new Date(1_700_000_000_500),
            SequenceNumber: '42',
            NewImage: { a: { S: 'x' } },
            OldImage: { a: { S: 'y' } },
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          },
        },
      ],
      'arn:stream',
      'eu-central-1',
    );
    expect(event.Records[0]).toMatchObject({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      eventSourceARN: 'arn:stream',
      dynamodb: { ApproximateCreationDateTime: 1_700_000_000, SequenceNumber: '42', NewImage: { a: { S: 'x' } }, OldImage: { a: { S: 'y' } } },
    });
  });
});

describe('matchRoute', () => {
  it('matches a route with a path parameter and gives its value', async () => {
    const { matchRoute } = await import('../../../infra/local/http-gateway.js');
    expect(matchRoute('/v1/signals/{signalId}', '/v1/signals/abc-1')).toEqual({ signalId: 'abc-1' });
    expect(matchRoute('/v1/signals/{signalId}', '/v1/signals')).toBeUndefined();
    expect(matchRoute('/v1/signals/{signalId}', '/v1/signals/a/b')).toBeUndefined();
    expect(matchRoute('/v1/openapi.json', '/v1/openapiXjson')).toBeUndefined();
  });
});

describe('toS3Event', () => {
  it('builds the ObjectCreated event S3 hands a function, with the key URL-encoded and "+" for a space', () => {
    const event = toS3Event({ bucket: 'meldroute-mail', key: 'inbound/a b', size: 42 }, 'eu-central-1', new Date('2026-11-23T10:00:00Z'));
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-central-1',
      eventTime: '2026-11-23T10:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: { s3SchemaVersion: '1.0', bucket: { name: 'meldroute-mail', arn: 'arn:aws:s3:::meldroute-mail' }, object: { key: 'inbound/a+b', size: 42 } },
    });
  });
});
