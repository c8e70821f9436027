import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { lambdaContext } from './lambda-context.js';

/**
 * An execution environment for one function events invoke (the consumer, the aggregator, mail or a schedule),
 * running one invocation at a time as Lambda does: their work does not wait behind the API's, nor the API's behind
 * theirs. The runner sends an invocation (function, entry, event) and gets its result or error back.
 */
export type Invocation = { id: number; name: string; entry: string; event: unknown };
export type Outcome = { id: number; result?: unknown; error?: { name: string; message: string; stack?: string } };

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const { region } = workerData as { region: string };
const loaded = new Map<string, Promise<Handler>>();

parentPort?.on('message', async ({ id, name, entry, event }: Invocation) => {
  try {
    let handler = loaded.get(name);
    if (!handler) {
      handler = import(pathToFileURL(entry).href).then((module: { handler: Handler }) => module.handler);
      loaded.set(name, handler);
    }
    const result = await (await handler)(event, lambdaContext(name, region));
    parentPort?.postMessage({ id, result } satisfies Outcome);
  } catch (thrown) {
    const { name: errorName = 'Error', message = String(thrown), stack } = (thrown ?? {}) as Partial<Error>;
    parentPort?.postMessage({ id, error: { name: errorName, message, ...(stack && { stack }) } } satisfies Outcome);
  }
});
