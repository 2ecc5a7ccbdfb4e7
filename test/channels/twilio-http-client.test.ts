import { describe, expect, it } from 'vitest';
import { rebaseTwilioUrl } from '../../src/channels/twilio-http-client.js';

describe('rebaseTwilioUrl', () => {
  const uri = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=1';

  it('moves a twilio.com request onto the configured origin, keeping path and query', () => {
    expect(rebaseTwilioUrl(uri, new URL('http://127.0.0.1:4010'))).toBe('http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?PageSize=1');
  });

  it('keeps a path prefix of the base URL, with or without a trailing slash', () => {
    expect(rebaseTwilioUrl(uri, new URL('https://gw.example/twilio/'))).toBe('https://gw.example/twilio/2010-04-01/Accounts/AC1/Messages.json?PageSize=1');
    expect(rebaseTwilioUrl(uri, new URL('https://gw.example/twilio'))).toBe('https://gw.example/twilio/2010-04-01/Accounts/AC1/Messages.json?PageSize=1');
  });

  it('also catches the edge/region host names twilio-node builds', () => {
    expect(rebaseTwilioUrl('https://api.sydney.au1.twilio.com/2010-04-01/x', new URL('http://127.0.0.1:1'))).toBe('http://127.0.0.1:1/2010-04-01/x');
  });

  it('leaves other hosts alone', () => {
    expect(rebaseTwilioUrl('https://example.com/twilio.com', new URL('http://127.0.0.1:1'))).toBe('https://example.com/twilio.com');
    expect(rebaseTwilioUrl('https://eviltwilio.com/x', new URL('http://127.0.0.1:1'))).toBe('https://eviltwilio.com/x');
  });
});
