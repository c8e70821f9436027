import type { LinkingPorts } from './ports.js';

/**
 * Takes a signal out of the link index: from under every key it is under, then its own entry (last, so a
 * run cut short can be repeated). For erasure: the person's other signals stay, and no longer link to it.
 */
export async function unlink(signalId: string, ports: LinkingPorts): Promise<{ keys: number }> {
  const own = await ports.links.indexed(signalId);
  if (!own) return { keys: 0 };
  await Promise.all(own.keys.map((key) => ports.links.remove(key, { signalId, observedAt: own.observedAt })));
  await ports.links.forget(signalId);
  return { keys: own.keys.length };
}
