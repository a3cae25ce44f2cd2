import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { doctorCommand } from '../../../src/cli/doctor.js';
import { ManualClock } from '../../../src/core/clock.js';
import { FROM, HELO, IP, publishGood, rsaKeys, type Keys } from '../../helpers/doctor-world.js';

let dns: DnsServer;
let keys: Keys;
beforeAll(async () => {
  dns = await startDnsServer();
  keys = rsaKeys();
});
afterAll(async () => {
  await dns.close();
});

function capture(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s), isTTY }, stderr: { write: (s: string) => err.push(s) }, clock: new ManualClock() },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('todoku doctor', () => {
  it('prints one line per receiver and the record to publish; exit 1', async () => {
    publishGood(dns, keys);
    dns.zone.set(FROM, 'TXT', []);
    const c = capture();
    const code = await doctorCommand([FROM, '--mail-from', 'bounce.example.test', '--ip', IP, '--dkim-selector', 'todoku', '--dns', dns.server], {}, c.io);
    expect(code).toBe(1);
    const text = c.out();
    expect(text).toMatch(/✗ docomo\s+reject/);
    expect(text).toMatch(/✓ au \(medium\)\s+accept/);
    expect(text).toContain(`${FROM}  TXT  "v=spf1 ip4:${IP} ~all"`);
    expect(text).not.toContain('\u001b['); // not a terminal → no colour
  });

  it('--json answers the report contract; all good → exit 0', async () => {
    publishGood(dns, keys);
    const c = capture();
    const code = await doctorCommand([FROM, '--mail-from', 'bounce.example.test', '--ip', IP, '--helo', 'out.example.test', '--dkim-selector', 'todoku', '--dns', dns.server, '--json'], {}, c.io);
    const report = JSON.parse(c.out());
    expect(Object.keys(report)).toEqual(['domain', 'sendingIps', 'checks', 'receivers']);
    expect(report.receivers.map((r: { id: string }) => r.id)).toEqual(['docomo', 'au-high', 'au-medium', 'softbank', 'rakuten', 'gmail', 'gmail-bulk', 'yahoo']);
    expect(report.checks[0]).toHaveProperty('evidence');
    expect(code).toBe(0);
  });

  it('colour on a terminal unless NO_COLOR', async () => {
    publishGood(dns, keys);
    const coloured = capture(true);
    await doctorCommand([FROM, '--ip', IP, '--dns', dns.server], {}, coloured.io);
    expect(coloured.out()).toContain('\u001b[');
    const plain = capture(true);
    await doctorCommand([FROM, '--ip', IP, '--dns', dns.server], { NO_COLOR: '1' }, plain.io);
    expect(plain.out()).not.toContain('\u001b[');
  });

  it('DNS server not answering → exit 2', async () => {
    publishGood(dns, keys);
    dns.zone.fail(FROM, 'REFUSED');
    const c = capture();
    expect(await doctorCommand([FROM, '--ip', IP, '--dns', dns.server], {}, c.io)).toBe(2);
  });

  it('usage errors → exit 2 with the usage', async () => {
    const c = capture();
    expect(await doctorCommand([FROM], {}, c.io)).toBe(2);
    expect(c.err()).toMatch(/--via/);
    expect(await doctorCommand([FROM, '--ip', 'not-an-ip'], {}, c.io)).toBe(2);
    expect(await doctorCommand(['--ip', IP], {}, c.io)).toBe(2);
  });

  it('TODOKU_SENDING_IPS and TODOKU_DNS_SERVERS are used when no flags are given', async () => {
    publishGood(dns, keys);
    const c = capture();
    await doctorCommand([FROM, '--json'], { TODOKU_SENDING_IPS: IP, TODOKU_DNS_SERVERS: dns.server }, c.io);
    expect(JSON.parse(c.out()).sendingIps).toEqual([IP]);
  });

  it('TODOKU_HELO_NAME is the HELO name checked when --helo is not given', async () => {
    publishGood(dns, keys);
    const c = capture();
    await doctorCommand([FROM, '--ip', IP, '--dns', dns.server, '--json'], { TODOKU_HELO_NAME: HELO }, c.io);
    expect(JSON.parse(c.out()).checks.find((f: { id: string }) => f.id === 'helo.resolves')).toMatchObject({ status: 'pass' });
    const none = capture();
    await doctorCommand([FROM, '--ip', IP, '--dns', dns.server, '--json'], {}, none.io);
    expect(JSON.parse(none.out()).checks.some((f: { id: string }) => f.id.startsWith('helo.'))).toBe(false);
  });

  it('an invalid TODOKU_DNS_SERVERS is a configuration error (exit 2), read through src/config', async () => {
    const c = capture();
    expect(await doctorCommand([FROM, '--ip', IP], { TODOKU_DNS_SERVERS: 'dns.example.test' }, c.io)).toBe(2);
    expect(c.err()).toContain('TODOKU_DNS_SERVERS: "dns.example.test" is not ip[:port]');
  });

  // issue 13 #18: flag errors in our words, one line naming the flag, exit 2.
  it.each([
    [['--x'], 'todoku doctor: unknown flag --x (see todoku doctor --help)'],
    [['-q'], 'todoku doctor: unknown flag -q (see todoku doctor --help)'],
    [['--ip'], 'todoku doctor: --ip needs a value (see todoku doctor --help)'],
    [['--from', '--json'], 'todoku doctor: --from needs a value (see todoku doctor --help)'],
    [['--json=yes'], 'todoku doctor: --json takes no value (see todoku doctor --help)'],
  ])('flag error %j → "%s", exit 2', async (flags, message) => {
    const c = capture();
    expect(await doctorCommand([FROM, '--ip', IP, ...flags], {}, c.io)).toBe(2);
    expect(c.err()).toBe(`${message}\n`);
    expect(c.out()).toBe('');
  });

  // issue 13 #18: --from at another domain than the one named. The positional domain is the
  // header-From domain checked; a --from elsewhere contradicts it and is refused, with the
  // command that checks the other domain (it used to check other.test in silence).
  it('--from at another domain is refused, naming both and the command to run', async () => {
    publishGood(dns, keys);
    const c = capture();
    expect(await doctorCommand([FROM, '--from', 'user@other.test', '--ip', IP, '--dns', dns.server], {}, c.io)).toBe(2);
    expect(c.err()).toContain(`--from "user@other.test" is not at ${FROM}`);
    expect(c.err()).toContain(`todoku doctor other.test --from user@other.test`);
    expect(c.out()).toBe('');
    // At the domain itself, in any case, it is the From address checked.
    const ok = capture();
    expect(await doctorCommand([FROM, '--from', `Hanako@${FROM.toUpperCase()}`, '--ip', IP, '--dns', dns.server, '--json'], {}, ok.io)).not.toBe(2);
    expect(JSON.parse(ok.out()).domain).toBe(FROM);
  });
});
