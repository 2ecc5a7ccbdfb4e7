/** Types for the parts of `http_ece` (RFC 8188 / RFC 8291 content coding) the test peers use. */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  interface EceParams {
    version?: 'aes128gcm' | 'aesgcm';
    /** Receiver's ECDH key pair when decrypting, sender's when encrypting. */
    privateKey?: ECDH;
    /** Web Push auth secret (16 bytes), raw or base64url. */
    authSecret?: Buffer | string;
    /** The other side's public key; for aes128gcm decryption it travels in the header instead. */
    dh?: Buffer | string;
    key?: Buffer | string;
    salt?: Buffer | string;
    keyid?: string | Buffer;
    rs?: number;
  }

  const ece: {
    decrypt(buffer: Buffer, params: EceParams): Buffer;
    encrypt(buffer: Buffer, params: EceParams): Buffer;
  };
  export = ece;
}
