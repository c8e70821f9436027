import type { CheckState } from './report.js';

/**
 * A probe of one dependency: it resolves when the dependency answers and rejects when it does not.
 * It is handed an AbortSignal, which fires when its time is up.
 */
export type HealthCheck = (signal: AbortSignal) => Promise<unknown>;

export interface HealthReport<Name extends string = string> {
  status: CheckState;
  checks: Record<Name, CheckState>;
}

class CheckTimeout extends Error {
  override name = 'TimeoutError';
}

/**
 * Runs every check at once, each within `timeoutMs`. A check that fails or is late is unavailable,
 * and so is the whole; the report names checks and states only, never an error's text.
 */
export async function checkHealth<Name extends string>(
  checks: Record<Name, HealthCheck>,
  timeoutMs: number,
  onFailure: (check: Name, error: unknown) => void = () => undefined,
): Promise<HealthReport<Name>> {
  const names = Object.keys(checks) as Name[];
  const states = await Promise.all(
    names.map(async (name): Promise<CheckState> => {
      try {
        await within(checks[name], timeoutMs);
        return 'ok';
      } catch (error) {
        onFailure(name, error);
        return 'unavailable';
      }
    }),
  );
  const report = Object.fromEntries(names.map((name, i) => [name, states[i]!])) as Record<Name, CheckState>;
  return { status: states.every((state) => state === 'ok') ? 'ok' : 'unavailable', checks: report };
}

/** Aborts the check when its time is up, and does not wait for it either, should it ignore the signal. */
async function within(check: HealthCheck, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const timeout = new CheckTimeout(`no answer within ${timeoutMs} ms`);
      controller.abort(timeout);
      reject(timeout);
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), late]);
  } finally {
    clearTimeout(timer);
  }
}
