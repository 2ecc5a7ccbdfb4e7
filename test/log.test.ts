import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactContacts } from '../src/log.js';

describe('log redaction', () => {
  it('masks e-mail addresses and E.164 numbers in free text', () => {
    expect(redactContacts('bounce from ana.garcia@example.com to +12125550142')).toBe('bounce from a***@example.com to +*******42');
  });

  it('censors contact and secret fields by name and scrubs messages', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger('info', sink);
    logger.info({ email: 'ana@example.com', recipient: { phone: '+12125550142' }, token: 'sekret' }, 'sent to ana@example.com');
    const line = lines.join('');
    expect(line).not.toContain('ana@example.com');
    expect(line).not.toContain('+12125550142');
    expect(line).not.toContain('sekret');
    expect(JSON.parse(line)).toMatchObject({ email: '[redacted]', recipient: { phone: '[redacted]' }, msg: 'sent to a***@example.com' });
  });
});
