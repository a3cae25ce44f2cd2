import { describe, expect, it } from 'vitest';
import { doctorSendingIps } from '../../../src/domains/doctor-input.js';

describe('doctorSendingIps', () => {
  it('reads TODOKU_SENDING_IPS as the SPF terms todoku publishes: addresses, the first host of a range, includes', () => {
    expect(
      doctorSendingIps(['192.0.2.7', '192.0.2.0/24', '2001:DB8::1', 'include:Relay.Example.', 'relay2.example', 'ip4:198.51.100.9', 'a:mail.example', ' ', '192.0.2.7']),
    ).toEqual(['192.0.2.7', '192.0.2.1', '2001:db8::1', 'include:relay.example', 'include:relay2.example', '198.51.100.9']);
  });
});
