/**
 * Turns a notification id into a token that is safe both as the left part of a Message-ID
 * (RFC 5322 dot-atom) and as a file name on any OS. Letters, digits, `_` and `-` stay as
 * they are; every other UTF-8 byte becomes `=XX`. The mapping is one-to-one (`=` itself is
 * encoded), so two ids never share a Message-ID or an outbox file.
 */
export function encodeIdentifier(id: string): string {
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
