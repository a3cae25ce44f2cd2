// The relay URL's rules. Sending through a relay (a loopback SMTP server) is tests/e2e/mail/relay.test.ts.
import { describe, expect, it } from 'vitest';
import { parseRelayUrl } from '../../../src/mail/deliver/relay.js';

describe('parseRelayUrl', () => {
  it('requires STARTTLS except to loopback; smtps is implicit TLS; ?tls overrides', () => {
    expect(parseRelayUrl('smtp://user:p%40ss@relay.example:587')).toMatchObject({ host: 'relay.example', port: 587, tls: 'required', user: 'user', pass: 'p@ss' });
    expect(parseRelayUrl('smtp://127.0.0.1:2525')).toMatchObject({ tls: 'opportunistic' });
    expect(parseRelayUrl('smtps://relay.example')).toMatchObject({ port: 465, tls: 'implicit' });
    expect(parseRelayUrl('smtp://relay.example:25?tls=off')).toMatchObject({ tls: 'off' });
    expect(() => parseRelayUrl('smtp://relay.example?tls=maybe')).toThrow(/tls must be/);
  });
});
