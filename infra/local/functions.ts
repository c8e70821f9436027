import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { entryPath, type FunctionName } from '../../functions/routes.js';
import { lambdaContext } from './lambda-context.js';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/**
 * Invokes the real handler modules, loaded on first use as a cold start would, after the runner has
 * set the environment they read.
 */
export class LocalFunctions {
  private readonly loaded = new Map<FunctionName, Promise<Handler>>();

  constructor(
    private readonly root: string,
    private readonly region: string,
  ) {}

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
    const handler = await this.load(name);
    return (await handler(event, lambdaContext(name, this.region))) as R;
  }
}
