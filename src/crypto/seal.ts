import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AEAD sealing (AES-256-GCM) of small server state that travels through clients (SRP secret blocks,
 * challenge sessions) or rests in the database (queued mail). Output: base64 of iv ‖ tag ‖ ciphertext.
 * The associated data binds a sealed value to its purpose, so one kind cannot be replayed as another.
 */
export class Sealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('sealing key must be 32 bytes');
  }

  seal(plaintext: Buffer | string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plaintext, or undefined when the value was not sealed by this key for this purpose. */
  open(sealed: string, purpose: string): Buffer | undefined {
    const raw = Buffer.from(sealed, 'base64');
    if (raw.length < 28) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}
