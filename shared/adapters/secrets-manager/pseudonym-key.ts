import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { PseudonymKey, PseudonymKeyProvider } from '#domain/privacy/index.js';
import { parseKeyMaterial } from './key-material-format.js';

/**
 * The pseudonymisation key from a Secrets Manager secret, through Powertools Parameters' cache: a
 * rotated key (a new keyId and secret) is picked up within `maxAgeSeconds` without a redeploy.
 */
export class SecretsManagerPseudonymKeyProvider implements PseudonymKeyProvider {
  constructor(
    private readonly secrets: Pick<SecretsProvider, 'get'>,
    private readonly secretId: string,
    private readonly maxAgeSeconds = 300,
  ) {}

  private async material() {
    const value = await this.secrets.get(this.secretId, { maxAge: this.maxAgeSeconds });
    if (typeof value !== 'string') throw new Error(`secret ${this.secretId} has no string value`);
    return parseKeyMaterial(value, `secret ${this.secretId}`);
  }

  async current(): Promise<PseudonymKey> {
    const { keyId, secret } = await this.material();
    return { keyId, secret };
  }

  /** The keys the secret keeps in `previous` after a rotation (see docs/deploying.md). */
  async previous(): Promise<PseudonymKey[]> {
    return (await this.material()).previous ?? [];
  }
}
