import { describe, expect, it } from 'vitest';
import { hashApiKey, type Principal } from '#domain/partners/index.js';
import { apiKeyFrom, authorize, principalFrom } from '../../../functions/lib/authorization.js';

const principal: Principal = { organisation: 'O', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };
const keys = { findByHash: async (hash: string) => (hash === hashApiKey('goed') ? principal : undefined) };

describe('apiKeyFrom', () => {
  it('takes the key from Authorization: Bearer or X-Api-Key', () => {
    expect(apiKeyFrom({ authorization: 'Bearer goed' })).toBe('goed');
    expect(apiKeyFrom({ authorization: 'bearer goed' })).toBe('goed');
    expect(apiKeyFrom({ 'x-api-key': 'goed' })).toBe('goed');
    expect(apiKeyFrom({ authorization: 'Basic Z29lZA==' })).toBeUndefined();
  });
});

describe('authorize (the authorizer side)', () => {
  it('allows a known key with the scope and passes its principal as flat strings', async () => {
    expect(await authorize('goed', 'signals:write', keys)).toEqual({
      verdict: 'allow',
      organisation: 'O',
      sourceType: 'gemeente',
      region: 'noord-nederland',
      scopes: 'signals:write',
      keyHash: hashApiKey('goed'),
    });
  });

  it('says unauthorized without a known key and forbidden without the scope', async () => {
    expect(await authorize(undefined, 'signals:write', keys)).toEqual({ verdict: 'unauthorized' });
    expect(await authorize('fout', 'signals:write', keys)).toEqual({ verdict: 'unauthorized' });
    expect(await authorize('goed', 'statistics:read', keys)).toEqual({ verdict: 'forbidden', scope: 'statistics:read' });
  });
});

describe('principalFrom (the handler side)', () => {
  it('rebuilds the principal from an allowing verdict', async () => {
    expect(principalFrom(await authorize('goed', 'signals:write', keys), 'signals:write')).toEqual({
      principal: { ...principal, keyHash: hashApiKey('goed') },
    });
  });

  it("carries a triage key's province and its hash from the authorizer to the handler, never the key", async () => {
    const drenthe: Principal = { organisation: 'ZVH Drenthe', sourceType: 'overig', scopes: ['signals:triage'], region: 'noord-nederland', province: 'DR' };
    const verdict = await authorize('drenthe', 'signals:triage', { findByHash: async () => drenthe });
    expect(verdict).toMatchObject({ verdict: 'allow', province: 'DR', keyHash: hashApiKey('drenthe') });
    expect(JSON.stringify(verdict)).not.toContain('"drenthe"');
    expect(principalFrom(verdict, 'signals:triage')).toEqual({ principal: { ...drenthe, keyHash: hashApiKey('drenthe') } });
  });

  it('answers 401 with a challenge for no verdict or an unauthorized one, and 403 for a forbidden one', () => {
    expect(principalFrom(undefined, 'signals:write')).toMatchObject({ problem: { status: 401 }, headers: { 'www-authenticate': expect.any(String) } });
    expect(principalFrom({ verdict: 'unauthorized' }, 'signals:write')).toMatchObject({ problem: { status: 401 } });
    expect(principalFrom({ verdict: 'forbidden', scope: 'statistics:read' }, 'statistics:read')).toMatchObject({ problem: { status: 403 } });
  });

  it('refuses an allowing verdict for another scope, should an authorizer be wired to the wrong route', () => {
    const verdict = { verdict: 'allow', organisation: 'O', sourceType: 'gemeente', region: 'noord-nederland', scopes: 'signals:write' };
    expect(principalFrom(verdict, 'statistics:read')).toMatchObject({ problem: { status: 403 } });
  });
});

describe('the legal basis of a key', () => {
  it('travels from the authorizer to the handler, and is absent for a key made without one', async () => {
    const emmen: Principal = { ...principal, legalBasis: 'meldcode' };
    const verdict = await authorize('emmen', 'signals:write', { findByHash: async () => emmen });
    expect(verdict).toMatchObject({ verdict: 'allow', legalBasis: 'meldcode' });
    expect(principalFrom(verdict, 'signals:write')).toEqual({ principal: { ...emmen, keyHash: hashApiKey('emmen') } });
    expect(await authorize('goed', 'signals:write', keys)).not.toHaveProperty('legalBasis');
  });
});
