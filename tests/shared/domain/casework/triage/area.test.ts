import { describe, expect, it } from 'vitest';
import { findSignalInArea, inArea } from '#domain/casework/index.js';
import { storedSignal } from '../../../../support/stored-signal.js';
import { MemorySignalStore } from './memory-triage-write.js';
import { DRENTHE_KEY, REGION_KEY } from './read-world.js';

describe('inArea', () => {
  it("takes a region's key to every signal of the region, a province's key to its province only", () => {
    const emmen = storedSignal({ province: 'DR' });
    const groningen = storedSignal({ municipality: 'GM0014', province: 'GR' });
    expect(inArea(emmen, REGION_KEY)).toBe(true);
    expect(inArea(groningen, REGION_KEY)).toBe(true);
    expect(inArea(emmen, DRENTHE_KEY)).toBe(true);
    expect(inArea(groningen, DRENTHE_KEY)).toBe(false);
  });

  it("keeps a signal of unknown province for the region's key, and another region's signal from every key", () => {
    const unplaced = storedSignal({ municipality: 'onbekend', province: 'onbekend' });
    expect(inArea(unplaced, REGION_KEY)).toBe(true);
    expect(inArea(unplaced, DRENTHE_KEY)).toBe(false);
    expect(inArea(storedSignal({ region: 'elders' }), REGION_KEY)).toBe(false);
  });
});

describe('findSignalInArea', () => {
  it('finds a signal of the area, and none outside it', async () => {
    const store = new MemorySignalStore(storedSignal({ municipality: 'GM0014', province: 'GR' }));
    expect(await findSignalInArea(storedSignal().signalId, REGION_KEY, store)).toMatchObject({ province: 'GR' });
    expect(await findSignalInArea(storedSignal().signalId, DRENTHE_KEY, store)).toBeUndefined();
  });
});
