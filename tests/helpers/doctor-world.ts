// A correctly configured sender on the loopback DNS, and the ways teams break it.
// Names under .test and addresses from 192.0.2.0/24 and 198.51.100.0/24 are data only.
import { generateKeyPairSync } from 'node:crypto';
import type { DnsServer } from './dns-server.js';
import { createResolver } from '../../src/dns/resolver.js';
import { ManualClock } from '../../src/core/clock.js';
import { runDoctor, type DkimKeyInput, type DoctorInput, type DoctorReport } from '../../src/doctor/index.js';
import { signMessage } from '../../src/mail/sign/dkim.js';

export const IP = '192.0.2.10';
export const FROM = 'example.test';
export const MAIL_FROM = 'bounce.example.test';
export const HELO = 'out.example.test';
export const SELECTOR = 'todoku';

export interface Keys {
  publicKeyPem: string;
  privateKeyPem: string;
  /** The p= value of the DKIM record. */
  p: string;
}

export function rsaKeys(bits = 2048): Keys {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    p: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** The PTR name of an IPv4 address (RFC 1035 §3.5). */
export function ptrName(ip: string): string {
  return ip.split('.').reverse().join('.') + '.in-addr.arpa';
}

/** The doctor's test signer for `keys` as d=`domain`, s=`selector`: todoku's own DKIM signer, as domains/doctor-input.ts gives it. */
export function testSigner(keys: Keys, domain = FROM, selector = SELECTOR): NonNullable<DkimKeyInput['signTestMessage']> {
  return (message, signTime) => signMessage(message, [{ domain, selector, algorithm: 'rsa', privateKey: keys.privateKeyPem }], signTime);
}

/** Every record a careful team publishes, for mail sent from `ip`. */
export function publishGood(dns: DnsServer, keys: Keys, ip = IP): void {
  const z = dns.zone;
  z.clear();
  z.set(FROM, 'TXT', [`v=spf1 ip4:${ip} -all`]);
  z.set(FROM, 'MX', ['10 mx.example.test']);
  z.set('mx.example.test', 'A', ['192.0.2.25']);
  z.set(MAIL_FROM, 'TXT', [`v=spf1 ip4:${ip} -all`]);
  z.set(MAIL_FROM, 'MX', ['10 mx.example.test']);
  z.set(`_dmarc.${FROM}`, 'TXT', [`v=DMARC1; p=quarantine; rua=mailto:dmarc@${FROM}`]);
  z.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', [`v=DKIM1; k=rsa; p=${keys.p}`]);
  z.set(HELO, 'A', [ip]);
  z.set(ptrName(ip), 'PTR', [HELO]);
}

export function goodInput(keys: Keys, ip = IP): DoctorInput {
  return {
    domain: FROM,
    mailFromDomain: MAIL_FROM,
    heloName: HELO,
    sendingIps: [ip],
    dkim: [{ selector: SELECTOR, publicKeyPem: keys.publicKeyPem, signTestMessage: testSigner(keys) }],
  };
}

export function doctor(dns: DnsServer, input: DoctorInput): Promise<DoctorReport> {
  return runDoctor(input, { resolve: createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 }), clock: new ManualClock(Date.UTC(2026, 0, 1)) });
}

export type Verdicts = Record<'docomo' | 'au-high' | 'au-medium' | 'softbank' | 'rakuten' | 'gmail' | 'gmail-bulk' | 'yahoo', 'accept' | 'spam' | 'reject'>;

export function verdicts(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.receivers.map((r) => [r.id, r.verdict]));
}

export const ALL_ACCEPT: Verdicts = {
  docomo: 'accept', 'au-high': 'accept', 'au-medium': 'accept', softbank: 'accept',
  rakuten: 'accept', gmail: 'accept', 'gmail-bulk': 'accept', yahoo: 'accept',
};

export function status(report: DoctorReport, id: string): string[] {
  return report.checks.filter((c) => c.id === id).map((c) => c.status);
}

export function check(report: DoctorReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}
