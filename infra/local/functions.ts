import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { entryPath, type FunctionName } from '../../functions/routes.js';
import type { Invocation, Outcome } from './function-worker.js';
import { lambdaContext } from './lambda-context.js';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/**
 * Invokes the real handler modules, loaded on first use as a cold start would, after the runner has
 * set the environment they read.
 */
export class LocalFunctions {
  private readonly loaded = new Map<FunctionName, Promise<Handler>>();
  private readonly apart: ReadonlySet<FunctionName>;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  /** `apart`: the functions run in a thread of their own (function-worker.ts), beside the API's. */
  constructor(
    private readonly root: string,
    private readonly region: string,
    options: { apart?: readonly FunctionName[] } = {},
  ) {
    this.apart = new Set(options.apart ?? []);
  }

  /** The thread, started on first use; it shares the environment, and does not keep the process alive. */
  private thread(): Worker {
    if (this.worker) return this.worker;
    // The runner runs its TypeScript through tsx, whose loader a worker thread does not inherit: it registers it first.
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const entry = JSON.stringify(new URL('./function-worker.ts', import.meta.url).href);
    const worker = new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); })`, {
      eval: true,
      workerData: { region: this.region },
      env: SHARE_ENV,
    });
    worker.unref();
    worker.on('message', ({ id, result, error }: Outcome) => {
      const call = this.waiting.get(id);
      this.waiting.delete(id);
      if (error) call?.reject(Object.assign(new Error(error.message), { name: error.name, stack: error.stack }));
      else call?.resolve(result);
    });
    // A thread that dies fails what it was running; the next invocation starts another, as Lambda would.
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const call of this.waiting.values()) call.reject(error);
      this.waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the function thread stopped (${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Stops the thread, once what invokes it has stopped. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private load(name: FunctionName): Promise<Handler> {
    let handler = this.loaded.get(name);
    if (!handler) {
      const url = pathToFileURL(this.entryOf(name)).href;
      handler = import(url).then((module: { handler: Handler }) => module.handler);
      this.loaded.set(name, handler);
    }
    return handler;
  }

  /** The source file this runner loads for a function. */
  entryOf(name: FunctionName): string {
    return entryPath(resolve(this.root), name);
  }

  async invoke<R>(name: FunctionName, event: unknown): Promise<R> {
    if (this.apart.has(name)) {
      const id = this.nextId++;
      return new Promise<R>((resolve, reject) => {
        this.waiting.set(id, { resolve: resolve as (result: unknown) => void, reject });
        this.thread().postMessage({ id, name, entry: this.entryOf(name), event } satisfies Invocation);
      });
    }
    const handler = await this.load(name);
    return (await handler(event, lambdaContext(name, this.region))) as R;
  }
}
