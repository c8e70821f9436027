import { describe, expect, it } from 'vitest';
import { appendAudit, changeAudited, verifyChain } from '#domain/casework/index.js';
import { storedSignal } from '../../../../support/stored-signal.js';
import { KEY_HASH, regionKey, triageWorld } from './memory-triage-write.js';

const id = storedSignal().signalId;
const enrichForm = async () =>
  ({ outcome: 'change', changes: { form: 'seksueel' }, action: 'enrichment', purpose: 'verrijking: form', result: 'done' }) as const;

describe('changeAudited', () => {
  it('writes the change and its entry together: the entry chained onto the head, the signal one version up', async () => {
    const world = triageWorld(storedSignal());
    const result = await changeAudited(id, regionKey, undefined, world.ports, enrichForm);
    expect(result).toMatchObject({ ok: true, written: true, result: 'done', signal: { form: 'seksueel', version: 2 } });
    expect(world.writer.writes).toBe(1);
    expect(world.log.entries).toHaveLength(1);
    expect(world.store.signals.get(id)).toMatchObject({ form: 'seksueel', version: 2 });
  });

  it('chains onto an entry another function appended meanwhile, and leaves no entry of its own failed try', async () => {
    const world = triageWorld(storedSignal());
    world.writer.beforeWrite = async () => {
      world.writer.beforeWrite = undefined;
      await appendAudit(
        { organisation: 'Privacyfunctionaris', keyHash: KEY_HASH, action: 'signal-read', signalId: id, purpose: 'Controle' },
        { log: world.log },
      );
    };
    const result = await changeAudited(id, regionKey, undefined, world.ports, enrichForm);
    expect(result).toMatchObject({ ok: true, written: true });
    expect(world.writer.writes).toBe(2);
    expect(world.log.entries.map((e) => e.action)).toEqual(['signal-read', 'enrichment']);
    expect(verifyChain(world.log.entries, await world.log.head())).toEqual({ intact: true, count: 2 });
  });

  it('writes neither the change nor an entry when the plan refuses', async () => {
    const world = triageWorld(storedSignal());
    const result = await changeAudited(id, regionKey, undefined, world.ports, async () => ({
      outcome: 'refused',
      problem: { type: 't', title: 't', status: 409 },
    }));
    expect(result).toEqual({ ok: false, problem: { type: 't', title: 't', status: 409 } });
    expect(world.writer.writes).toBe(0);
    expect(world.store.signals.get(id)?.version).toBe(1);
  });

  it('answers 409 when the signal keeps moving, and 503 when the log does, with nothing written', async () => {
    for (const [moving, status] of [
      ['signal', 409],
      ['log', 503],
    ] as const) {
      const world = triageWorld(storedSignal());
      world.writer.beforeWrite = async () => {
        if (moving === 'signal') {
          const s = world.store.signals.get(id)!;
          await world.store.update(id, s.version, { sector: 'horeca' });
        } else {
          await appendAudit({ organisation: 'Ander', keyHash: KEY_HASH, action: 'signal-read', signalId: id, purpose: 'Controle' }, { log: world.log });
        }
      };
      const result = await changeAudited(id, regionKey, undefined, { ...world.ports, maxAttempts: 3 }, enrichForm);
      expect(result).toMatchObject({ ok: false, problem: { status } });
      expect(world.log.entries.filter((e) => e.action === 'enrichment')).toHaveLength(0);
      expect(world.store.signals.get(id)?.form).toBe('arbeid');
    }
  });

  it('refuses to write for a principal the log cannot name (no key hash): a wiring fault, never an unaccounted change', async () => {
    const world = triageWorld(storedSignal());
    const { keyHash: _, ...nameless } = regionKey;
    await expect(changeAudited(id, nameless, undefined, world.ports, enrichForm)).rejects.toThrow(/keyHash/);
    expect(world.store.signals.get(id)?.version).toBe(1);
  });

  it('removes what the plan names, in the same write', async () => {
    const world = triageWorld(storedSignal({ reviewOn: '2026-06-01', routes: ['zorg'] }));
    await changeAudited(id, regionKey, undefined, world.ports, async () => ({
      outcome: 'change',
      changes: { routes: ['riec'] },
      remove: ['reviewOn'],
      action: 'decision',
      purpose: 'besluit van de tafel: riec',
      result: null,
    }));
    const stored = world.store.signals.get(id)!;
    expect(stored.routes).toEqual(['riec']);
    expect('reviewOn' in stored).toBe(false);
  });
});
