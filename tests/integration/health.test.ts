import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const health = () => fetch(`${stack.ready.apiUrl}/v1/health`);

describe('GET /v1/health over the emulators', () => {
  it('answers 200 without a key while DynamoDB Local and the SQS emulator are up (the runner waited for it)', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok', checks: { signalsTable: 'ok', signalQueue: 'ok' } });
  });

  it('answers 503 naming the signals table, within its time limit, once DynamoDB Local is stopped', async () => {
    await stack.command('stop-dynamodb');
    const started = Date.now();
    const response = await health();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'unavailable', checks: { signalsTable: 'unavailable', signalQueue: 'ok' } });
    expect(stack.logs).toMatch(/"message":"health check failed".*"check":"signalsTable"/);
  });
});
