import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsDataKeyProvider } from '#adapters/kms/data-key-provider.js';
import { decryptText, encryptText } from '#domain/privacy/index.js';

const kms = mockClient(KMSClient);
const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/abc';
// A fresh array per answer: encryptText wipes the plaintext key after use.
const plaintext = () => new Uint8Array(32).fill(7);
const wrapped = new Uint8Array([1, 2, 3]);
beforeEach(() => kms.reset());

describe('KmsDataKeyProvider', () => {
  it('asks KMS for an AES-256 data key bound to the description purpose', async () => {
    kms.on(GenerateDataKeyCommand).resolves({ KeyId: keyArn, Plaintext: plaintext(), CiphertextBlob: wrapped });
    const dataKey = await new KmsDataKeyProvider(new KMSClient({}), 'alias/envelope').generateDataKey();
    expect(dataKey).toEqual({ keyId: keyArn, plaintext: plaintext(), encrypted: wrapped });
    const input = kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: 'alias/envelope', KeySpec: 'AES_256', EncryptionContext: { purpose: 'meldroute:signal-description' } });
  });

  it('unwraps with the same key and encryption context, so sealed text opens again', async () => {
    kms.on(GenerateDataKeyCommand).callsFake(() => ({ KeyId: keyArn, Plaintext: plaintext(), CiphertextBlob: wrapped }));
    kms.on(DecryptCommand).callsFake(() => ({ Plaintext: plaintext() }));
    const keys = new KmsDataKeyProvider(new KMSClient({}), keyArn);
    const sealed = await encryptText('Signalen bij de buren in Emmen', keys);
    expect(await decryptText(sealed, keys)).toBe('Signalen bij de buren in Emmen');
    const input = kms.commandCalls(DecryptCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: keyArn, EncryptionContext: { purpose: 'meldroute:signal-description' } });
  });
});
