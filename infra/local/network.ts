import { createServer } from 'node:net';

/** A port the operating system has free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class PortInUseError extends Error {}

/** Fails with a plain sentence when something else listens on the port. */
export function assertPortFree(port: number, what: string, envName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(`Port ${port} (${what}) is already in use. Stop the other process or choose another port with ${envName}=<port>.`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/**
 * The port a server of this process listens on: one asked for, checked free first so that a clash is said
 * plainly; or 0, left to the server itself, since a port found free now may be taken by the time it listens
 * (an outgoing connection's port comes from the same range).
 */
export async function resolvePort(requested: number, what: string, envName: string): Promise<number> {
  if (requested === 0) return 0;
  await assertPortFree(requested, what, envName);
  return requested;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
