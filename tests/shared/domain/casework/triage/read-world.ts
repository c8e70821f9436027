import { createHash } from 'node:crypto';
import { linkSignal } from '#domain/linking/index.js';
import type { Principal } from '#domain/partners/index.js';
import { type DataKeyProvider, encryptText } from '#domain/privacy/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { MemoryDataKeys } from '../../../../support/in-memory-ports.js';
import { storedSignal } from '../../../../support/stored-signal.js';
import { MemoryLinkIndex } from '../../linking/memory-link-index.js';
import { MemoryAuditLog } from '../audit/memory-audit-log.js';
import { MemorySignalStore } from './memory-triage-write.js';
import { MemoryWorklistIndex } from './memory-worklist-index.js';

/** A pseudonym-shaped value: what may never appear in a triage answer. */
export const pseudonymOf = (text: string) => createHash('sha256').update(text).digest('hex');

export const DRENTHE_KEY: Principal = {
  organisation: 'Zorg- en Veiligheidshuis Drenthe',
  sourceType: 'overig',
  scopes: ['signals:triage'],
  region: 'noord-nederland',
  province: 'DR',
  keyHash: pseudonymOf('the Drenthe key'),
};

/** The authorizer's verdict for DRENTHE_KEY, as a handler receives it (flat strings). */
export const DRENTHE_VERDICT = {
  verdict: 'allow',
  organisation: DRENTHE_KEY.organisation,
  sourceType: 'overig',
  region: 'noord-nederland',
  scopes: 'signals:triage',
  keyHash: DRENTHE_KEY.keyHash,
  province: 'DR',
};
const { province: _drenthe, ...regionWide } = DRENTHE_KEY;
export const REGION_KEY: Principal = { ...regionWide, organisation: 'Ketenregisseur Noord-Nederland', keyHash: pseudonymOf('the region key') };

export const FREE_TEXT = 'Woont boven de snackbar aan de Kerkstraat 12; paspoort ingenomen.';

let serial = 0;
/** A stored signal as the consumer leaves it: a person as pseudonyms and match keys, the text encrypted. */
export function personalSignal(person: string, extra: Partial<StoredSignal> = {}): StoredSignal {
  serial++;
  return storedSignal({
    signalId: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    receivedAt: new Date(Date.parse('2026-03-01T08:00:00.000Z') + serial * 3_600_000).toISOString(),
    externalRef: pseudonymOf(`ref ${person} ${serial}`),
    subject: {
      keyId: 'test-1',
      pseudonyms: { bsn: pseudonymOf(`bsn ${person}`), nameDateOfBirth: pseudonymOf(`name ${person}`), name: pseudonymOf(`n ${person}`) },
      matchKeys: [{ keyId: 'test-0', kind: 'bsn', pseudonym: pseudonymOf(`old bsn ${person}`) }],
      minor: false,
      ageBand: '23-29',
      gender: 'v',
      nationality: 'PL',
    },
    reporter: { keyId: 'test-1', pseudonyms: { email: pseudonymOf(`reporter of ${person}`) } },
    ...extra,
  });
}

/** The triage's ports in memory, with signals stored and linked as the consumer would have. */
export class ReadWorld {
  readonly signals = new MemorySignalStore();
  readonly worklist = new MemoryWorklistIndex(this.signals);
  readonly links = new MemoryLinkIndex();
  readonly audit = new MemoryAuditLog();
  readonly dataKeys = new MemoryDataKeys();
  readonly now = () => new Date('2026-03-20T10:00:00Z');

  async add(...signals: StoredSignal[]): Promise<StoredSignal[]> {
    for (const signal of signals) {
      this.signals.signals.set(signal.signalId, structuredClone(signal));
      await linkSignal(signal, { links: this.links }, 5 * 365);
    }
    return signals;
  }

  async withDescription(signal: StoredSignal, text = FREE_TEXT): Promise<StoredSignal> {
    return { ...signal, description: await encryptText(text, this.dataKeys) };
  }

  /**
   * The data keys, noting at each unwrapping how many audit entries there were: to show that nothing is
   * decrypted before its entry is in, or at all when none could be written.
   */
  watchedDataKeys(): { dataKeys: DataKeyProvider; entriesAtUnwrap: number[] } {
    const entriesAtUnwrap: number[] = [];
    const dataKeys: DataKeyProvider = {
      generateDataKey: () => this.dataKeys.generateDataKey(),
      decryptDataKey: (keyId, encrypted) => {
        entriesAtUnwrap.push(this.audit.entries.length);
        return this.dataKeys.decryptDataKey(keyId, encrypted);
      },
    };
    return { dataKeys, entriesAtUnwrap };
  }

  get ports() {
    return { signals: this.signals, worklist: this.worklist, links: this.links, audit: this.audit, dataKeys: this.dataKeys, now: this.now };
  }
}

/**
 * Every string and key anywhere in an answer, walked: a pseudonym-shaped value (64 hex), a field name of the
 * person or the text, or the free text itself is a leak.
 */
export function personalTraces(answer: unknown): string[] {
  const found: string[] = [];
  const FORBIDDEN_FIELDS =
    /^(subject|reporter|pseudonyms?|matchKeys|externalRef|description|note|ciphertext|encryptedDataKey|keyHash|purpose|nationality|name|bsn|email|phone|dateOfBirth)$/;
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (/[0-9a-f]{64}/i.test(value)) found.push(`${path}: pseudonym-shaped value`);
      if (value.includes('Kerkstraat')) found.push(`${path}: free text`);
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path}/${i}`);
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (FORBIDDEN_FIELDS.test(key)) found.push(`${path}/${key}: personal field`);
        walk(v, `${path}/${key}`);
      }
    }
  };
  walk(answer, '');
  return found;
}
