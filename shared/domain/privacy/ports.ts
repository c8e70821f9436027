/** The keyed-hash secret; it rotates, so every pseudonym is stored beside the id of the key that made it. */
export interface PseudonymKey {
  keyId: string;
  secret: Uint8Array;
}

export interface PseudonymKeyProvider {
  current(): Promise<PseudonymKey>;
  /**
   * Keys rotated out, kept for matching only (a retry sent before the rotation, a person signalled before):
   * nothing new is made with them. None when the provider keeps no history.
   */
  previous?(): Promise<PseudonymKey[]>;
}

/** A fresh data key for envelope encryption: its plaintext encrypts one text, its wrapped form is stored. */
export interface DataKey {
  keyId: string;
  plaintext: Uint8Array;
  encrypted: Uint8Array;
}

export interface DataKeyProvider {
  generateDataKey(): Promise<DataKey>;
  decryptDataKey(keyId: string, encrypted: Uint8Array): Promise<Uint8Array>;
}
