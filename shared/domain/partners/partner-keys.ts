import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { geography } from '#domain/kernel/index.js';
import { LEGAL_BASES } from '#domain/signal/index.js';
import { hashApiKey } from './api-key-hash.js';
import { PERMISSIONS } from './permissions.js';
import type { Principal } from './ports.js';
import { SOURCE_TYPES } from './source-types.js';

/**
 * A partner key as an operator issues it; the organisation and source type are what its signals count under.
 * A key that files no signals (the table's, the privacy officer's) needs no source type: it is `overig`.
 */
const KeyRequestShape = z
  .strictObject({
    organisation: z.string().check(z.trim(), z.minLength(2), z.maxLength(200)),
    sourceType: z.optional(z.enum(SOURCE_TYPES)),
    scopes: z.array(z.enum(Object.values(PERMISSIONS) as [string, ...string[]])).check(z.minLength(1)),
    region: z._default(z.enum(geography.regionCodes() as [string, ...string[]]), geography.defaultRegion),
    /** The organisation's ground for sharing; its signals carry it unless a signal states its own. */
    legalBasis: z.optional(z.enum(LEGAL_BASES, { error: `Kies een grondslag: ${LEGAL_BASES.join(', ')}.` })),
    /** A triage key's area: one province of its region (absent: the whole region). Meaningless for other scopes, so refused there. */
    province: z.optional(z.string()),
  })
  .check(
    z.superRefine((key, ctx) => {
      if (key.sourceType === undefined && key.scopes.includes(PERMISSIONS.signalsWrite)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sourceType'],
          message: `Een sleutel met ${PERMISSIONS.signalsWrite} telt zijn signalen onder een brontype; kies er een: ${SOURCE_TYPES.join(', ')}.`,
        });
      }
      // Stating each signal's source is a way of filing signals: alone it would let a key do nothing.
      if (key.scopes.includes(PERMISSIONS.signalsSource) && !key.scopes.includes(PERMISSIONS.signalsWrite)) {
        ctx.addIssue({
          code: 'custom',
          path: ['scopes'],
          message: `${PERMISSIONS.signalsSource} hoort bij ${PERMISSIONS.signalsWrite}: geef de sleutel beide scopes.`,
        });
      }
      if (key.province === undefined) return;
      const province = geography.province(key.province);
      if (!province || province.region !== key.region) {
        const codes = geography.region(key.region)?.provinces.map((p) => p.code) ?? [];
        ctx.addIssue({ code: 'custom', path: ['province'], message: `Geen provincie van ${key.region}; kies ${codes.join(', ')}.` });
      } else if (!key.scopes.includes(PERMISSIONS.signalsTriage)) {
        ctx.addIssue({
          code: 'custom',
          path: ['province'],
          message: `Een provincie bindt alleen een sleutel met ${PERMISSIONS.signalsTriage} aan een gebied.`,
        });
      }
    }),
  );
export const PartnerKeyRequestSchema = z.pipe(
  KeyRequestShape,
  z.transform(({ sourceType, ...key }) => ({ ...key, sourceType: sourceType ?? ('overig' as const) })),
);
export type PartnerKeyRequest = z.input<typeof PartnerKeyRequestSchema>;

export interface PartnerKeyStore {
  put(keyHash: string, principal: Principal): Promise<void>;
  revoke(keyHash: string): Promise<void>;
}

/** 32 random bytes behind a readable prefix that says where the key belongs (local, dev, prod). */
export const newPartnerKey = (prefix: string) => `mr_${prefix}_${randomBytes(32).toString('base64url')}`;

/** Issues a key: only its SHA-256 is stored; the key itself is returned once, to hand to the partner. */
export async function issuePartnerKey(store: PartnerKeyStore, request: PartnerKeyRequest, prefix: string) {
  const principal = PartnerKeyRequestSchema.parse(request);
  const key = newPartnerKey(prefix);
  const keyHash = hashApiKey(key);
  await store.put(keyHash, principal);
  return { key, keyHash, principal };
}

/** Revokes by the key itself or by the hash printed when it was issued. */
export async function revokePartnerKey(store: PartnerKeyStore, keyOrHash: string): Promise<string> {
  const keyHash = /^[0-9a-f]{64}$/.test(keyOrHash) ? keyOrHash : hashApiKey(keyOrHash);
  await store.revoke(keyHash);
  return keyHash;
}
