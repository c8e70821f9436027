import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { entryPath, type FunctionName } from '../../functions/routes.js';
import type { Invocation, Outcome } from './function-worker.js';
import { lambdaContext } from './lambda-context.js';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** One execution environment: a thread that runs one invocation at a time, as Lambda runs one per environment. */
interface Environment {
  worker: Worker;
  /** Handed to an invocation: set when handed over, before the invocation posts its event. */
  busy: boolean;
  call?: { resolve: (result: unknown) => void; reject: (error: Error) => void };
}

/**
 * Invokes the real handler modules, loaded on first use as a cold start would, after the runner has
 * set the environment they read.
 */
export class LocalFunctions {
  private readonly loaded = new Map<FunctionName, Promise<Handler>>();
  private readonly apart: ReadonlySet<FunctionName>;
  private readonly environmentsPerFunction: number;
  private readonly environments = new Map<FunctionName, Environment[]>();
  private readonly queued = new Map<FunctionName, Array<(environment: Environment) => void>>();
  private nextId = 1;
  private closed = false;

  /**
   * `apart`: these functions run in execution environments of their own (function-worker.ts), beside the
   * API's, each running one invocation at a time: module state such as Powertools' BatchProcessor is
   * per environment on Lambda, and two batches sharing it would report each other's failures.
   * `environmentsPerFunction`: how many environments a function may have at once, as its concurrency.
   */
  constructor(
    private readonly root: string,
    private readonly region: string,
    options: { apart?: readonly FunctionName[]; environmentsPerFunction?: number } = {},
  ) {
    this.apart = new Set(options.apart ?? []);
    this.environmentsPerFunction = options.environmentsPerFunction ?? 2;
  }

  /** A new environment for a function; it shares the process's environment variables, and does not keep the process alive. */
  private startEnvironment(name: FunctionName): Environment {
    // The runner runs its TypeScript through tsx, whose loader a worker thread does not inherit: it registers it first.
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const entry = JSON.stringify(new URL('./function-worker.ts', import.meta.url).href);
    const worker = new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); })`, {
      eval: true,
      workerData: { region: this.region },
      env: SHARE_ENV,
    });
    worker.unref();
    const environment: Environment = { worker, busy: false };
    worker.on('message', ({ result, error }: Outcome) => {
      const call = environment.call;
      environment.call = undefined;
      if (error) call?.reject(Object.assign(new Error(error.message), { name: error.name, stack: error.stack }));
      else call?.resolve(result);
      this.release(name, environment);
    });
    // An environment that dies fails what it was running and is dropped; the next invocation starts another, as Lambda would.
    const fail = (error: Error) => {
      const pool = this.environments.get(name) ?? [];
      // A dying thread says so twice ('error', then 'exit'): it is replaced once.
      if (!pool.includes(environment)) return;
      pool.splice(pool.indexOf(environment), 1);
      const call = environment.call;
      environment.call = undefined;
      call?.reject(error);
      const next = this.queued.get(name)?.shift();
      if (next && !this.closed) next(this.claimNew(name, true));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the function thread stopped (${code})`)));
    return environment;
  }

  private claimNew(name: FunctionName, busy: boolean): Environment {
    const environment = this.startEnvironment(name);
    environment.busy = busy;
    const pool = this.environments.get(name) ?? [];
    pool.push(environment);
    this.environments.set(name, pool);
    return environment;
  }

  /** An idle environment of the function, a new one while under the limit, or the next one to come free. */
  private acquire(name: FunctionName): Promise<Environment> {
    const pool = this.environments.get(name) ?? [];
    const idle = pool.find((e) => !e.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (pool.length < this.environmentsPerFunction) return Promise.resolve(this.claimNew(name, true));
    return new Promise((resolve) => {
      const queue = this.queued.get(name) ?? [];
      queue.push(resolve);
      this.queued.set(name, queue);
    });
  }

  private release(name: FunctionName, environment: Environment): void {
    const next = this.queued.get(name)?.shift();
    if (next) next(environment);
    else environment.busy = false;
  }

  /** Stops the environments, once what invokes them has stopped. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.environments.values()].flat();
    this.environments.clear();
    await Promise.all(all.map((e) => e.worker.terminate()));
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
      const environment = await this.acquire(name);
      const id = this.nextId++;
      return new Promise<R>((resolve, reject) => {
        environment.call = { resolve: resolve as (result: unknown) => void, reject };
        environment.worker.postMessage({ id, name, entry: this.entryOf(name), event } satisfies Invocation);
      });
    }
    const handler = await this.load(name);
    return (await handler(event, lambdaContext(name, this.region))) as R;
  }
}
