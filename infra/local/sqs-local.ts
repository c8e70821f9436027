import type { AddressInfo } from 'node:net';
import { createSqsServer } from 'local-aws-sqs';

export interface RunningSqs {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the SQS emulator in this process, on the port given or (0) on one the system picks. Its queues live in memory. */
export async function startSqsLocal(port: number, region: string): Promise<RunningSqs> {
  const server = await createSqsServer({ port, hostname: '127.0.0.1', region, accountId: '000000000000', emulateQueueCreationLifecycle: false });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}
