// The doctor's verdicts held to account: for configurations teams really ship, the doctor
// predicts each receiver's verdict from the DNS alone; then a real message is sent from the
// configuration's sending IP (127.0.0.x) to a loopback receiver per receiver profile, which
// authenticates it with mailauth against the same DNS and applies the same profile to what it
// saw (tests/helpers/live-receiver.ts) — refusing with 550 what the profile rejects. Live verdict must equal
// the prediction, for every profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver } from '../../../src/dns/resolver.js';
import { ManualClock } from '../../../src/core/clock.js';
import { runDoctor, type DoctorInput, type DoctorReport, type Verdict } from '../../../src/doctor/index.js';
import { receivers } from '../../../src/doctor/receivers/index.js';
import { composeMime } from '../../../src/mail/compose/mime.js';
import { signMessage, type SigningKey } from '../../../src/mail/sign/dkim.js';
import { createRelayTransport } from '../../../src/mail/deliver/relay.js';
import type { DeliveryOutcome, Transport } from '../../../src/mail/deliver/transport.js';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import * as world from '../../helpers/doctor-world.js';
import { FROM, HELO, MAIL_FROM, SELECTOR, rsaKeys, type Keys } from '../../helpers/doctor-world.js';
import { startSmtpReceiver, type ReceivedMessage, type SmtpReceiver } from '../../helpers/smtp-receiver.js';

/** The team's own sending address. */
const IP = '127.0.0.2';
/** A "provider" range (the Cognito/SES case): the doctor picks its first host, 127.0.0.17. */
const PROVIDER_RANGE = '127.0.0.16/28';
const PROVIDER_IP = '127.0.0.17';
const PROVIDER_HELO = 'a1.amazonses.test';

/** How the real message leaves: from which IP and HELO, which envelope, signed how. */
interface Mail {
  ip: string;
  helo: string;
  envelopeFrom: string;
  sign: SigningKey[];
  /** Extra header fields on top (a Sender: for the PRA). */
  extraHeaders?: string;
}

interface Configuration {
  name: string;
  publish(): void;
  input(): DoctorInput;
  mail(): Mail;
  /** The verdicts CARRIERS.md gives for it (so agreement is never agreement on nonsense). */
  expected: Partial<Record<string, Verdict>>;
}

type Verdicts = Record<'docomo' | 'au-high' | 'au-medium' | 'softbank' | 'rakuten' | 'gmail' | 'gmail-bulk' | 'yahoo', Verdict>;
const ALL_ACCEPT: Verdicts = {
  docomo: 'accept', 'au-high': 'accept', 'au-medium': 'accept', softbank: 'accept',
  rakuten: 'accept', gmail: 'accept', 'gmail-bulk': 'accept', yahoo: 'accept',
};

let dns: DnsServer;
let keys: Keys;
let otherKeys: Keys;
const receiverOf = new Map<string, SmtpReceiver>();
const transports = new Map<string, Transport>();

function publishGood(): void {
  world.publishGood(dns, keys, IP);
}

function goodInput(): DoctorInput {
  return world.goodInput(keys, IP);
}

function goodMail(): Mail {
  return { ip: IP, helo: HELO, envelopeFrom: `bounce@${MAIL_FROM}`, sign: [{ domain: FROM, selector: SELECTOR, algorithm: 'rsa', privateKey: keys.privateKeyPem }] };
}

/** Cognito's default path through SES: the provider's MAIL FROM, DKIM and IPs; nothing on From. */
function publishSes(): void {
  publishGood();
  const z = dns.zone;
  z.set(FROM, 'TXT', []);
  z.set(`_dmarc.${FROM}`, 'TXT', []);
  z.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', []);
  z.set('amazonses.test', 'TXT', [`v=spf1 ip4:${PROVIDER_RANGE} -all`]);
  z.set('amazonses.test', 'MX', ['10 feedback-smtp.amazonses.test']);
  z.set('ses._domainkey.amazonses.test', 'TXT', [`v=DKIM1; k=rsa; p=${otherKeys.p}`]);
  z.set('17.0.0.127.in-addr.arpa', 'PTR', [PROVIDER_HELO]);
  z.set(PROVIDER_HELO, 'A', [PROVIDER_IP]);
}
const sesInput = (): DoctorInput => ({ domain: FROM, mailFromDomain: 'amazonses.test', sendingIps: [], via: ['amazonses.test'], dkim: [{ selector: 'ses', domain: 'amazonses.test' }] });
const sesMail = (): Mail => ({
  ip: PROVIDER_IP,
  helo: PROVIDER_HELO,
  envelopeFrom: 'bounce@amazonses.test',
  sign: [{ domain: 'amazonses.test', selector: 'ses', algorithm: 'rsa', privateKey: otherKeys.privateKeyPem }],
});

const carriersRefuseFromSpf: Verdicts = { ...ALL_ACCEPT, docomo: 'reject', 'au-high': 'reject', softbank: 'reject' };

const configurations: Configuration[] = [
  { name: 'all good', publish: publishGood, input: goodInput, mail: goodMail, expected: ALL_ACCEPT },
  {
    name: "the article's Cognito/SES default sender: foreign MAIL FROM and DKIM, no SPF or DMARC on From",
    publish: publishSes,
    input: sesInput,
    mail: sesMail,
    expected: { ...carriersRefuseFromSpf, 'gmail-bulk': 'reject' },
  },
  {
    name: "the same SES sender after publishing the doctor's SPF fix on the From domain",
    publish: () => {
      publishSes();
      dns.zone.set(FROM, 'TXT', ['v=spf1 include:amazonses.test ~all']);
    },
    input: sesInput,
    mail: sesMail,
    // DKIM is still the provider's, so Gmail's bulk tier still wants alignment and a DMARC record.
    expected: { ...ALL_ACCEPT, 'gmail-bulk': 'reject' },
  },
  {
    name: 'custom MAIL FROM with SPF, no SPF on the From domain',
    publish: () => {
      publishGood();
      dns.zone.set(FROM, 'TXT', []);
    },
    input: goodInput,
    mail: goodMail,
    expected: carriersRefuseFromSpf,
  },
  {
    name: 'SPF of both domains not listing the sending IP',
    publish: () => {
      publishGood();
      dns.zone.set(FROM, 'TXT', ['v=spf1 ip4:127.0.0.99 ~all']);
      dns.zone.set(MAIL_FROM, 'TXT', ['v=spf1 ip4:127.0.0.99 ~all']);
    },
    input: goodInput,
    mail: goodMail,
    expected: { ...carriersRefuseFromSpf, 'au-medium': 'reject', 'gmail-bulk': 'reject' },
  },
  {
    name: 'DKIM key not ours',
    publish: () => {
      publishGood();
      dns.zone.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', [`v=DKIM1; k=rsa; p=${otherKeys.p}`]);
    },
    input: goodInput,
    mail: goodMail,
    expected: { ...ALL_ACCEPT, 'gmail-bulk': 'reject' },
  },
  {
    name: 'DMARC p=reject with nothing aligned (an ESP’s MAIL FROM and DKIM d=)',
    publish: () => {
      publishGood();
      const z = dns.zone;
      z.set(`_dmarc.${FROM}`, 'TXT', ['v=DMARC1; p=reject; rua=mailto:dmarc@example.test']);
      z.set('bounce.esp.test', 'TXT', [`v=spf1 ip4:${IP} -all`]);
      z.set('bounce.esp.test', 'MX', ['10 mx.esp.test']);
      z.set(`${SELECTOR}._domainkey.esp.test`, 'TXT', [`v=DKIM1; k=rsa; p=${keys.p}`]);
    },
    input: () => ({ ...goodInput(), mailFromDomain: 'bounce.esp.test', dkim: [{ selector: SELECTOR, domain: 'esp.test', signTestMessage: world.testSigner(keys, 'esp.test') }] }),
    mail: () => ({ ...goodMail(), envelopeFrom: 'bounce@bounce.esp.test', sign: [{ domain: 'esp.test', selector: SELECTOR, algorithm: 'rsa', privateKey: keys.privateKeyPem }] }),
    expected: { docomo: 'reject', 'au-high': 'accept', 'au-medium': 'accept', softbank: 'reject', rakuten: 'reject', gmail: 'reject', 'gmail-bulk': 'reject', yahoo: 'reject' },
  },
  {
    name: 'DMARC p=quarantine with nothing aligned, unsigned',
    publish: () => {
      publishGood();
      dns.zone.set('bounce.esp.test', 'TXT', [`v=spf1 ip4:${IP} -all`]);
      dns.zone.set('bounce.esp.test', 'MX', ['10 mx.esp.test']);
    },
    input: () => ({ ...goodInput(), mailFromDomain: 'bounce.esp.test', dkim: [] }),
    mail: () => ({ ...goodMail(), envelopeFrom: 'bounce@bounce.esp.test', sign: [] }),
    expected: { docomo: 'spam', 'au-high': 'accept', 'au-medium': 'accept', softbank: 'reject', rakuten: 'spam', gmail: 'spam', 'gmail-bulk': 'reject', yahoo: 'spam' },
  },
  {
    name: 'no PTR for the sending IP',
    publish: () => {
      publishGood();
      dns.zone.set('2.0.0.127.in-addr.arpa', 'PTR', []);
    },
    input: goodInput,
    mail: goodMail,
    expected: { ...ALL_ACCEPT, gmail: 'reject', 'gmail-bulk': 'reject', yahoo: 'reject' },
  },
  {
    name: 'a Sender header naming a domain without SPF (the PRA au high checks)',
    publish: publishGood,
    input: () => ({ ...goodInput(), headers: { sender: 'ops@partner.test' } }),
    mail: () => ({ ...goodMail(), extraHeaders: 'Sender: ops@partner.test\r\n' }),
    expected: { ...ALL_ACCEPT, 'au-high': 'reject' },
  },
];

beforeAll(async () => {
  dns = await startDnsServer();
  keys = rsaKeys();
  otherKeys = rsaKeys();
  const resolve = createResolver({ servers: [dns.server], timeoutMs: 1000, tries: 2 });
  for (const profile of receivers) receiverOf.set(profile.id, await startSmtpReceiver(resolve, { profile, mta: `mx.${profile.id}.test` }));
});

afterAll(async () => {
  for (const t of transports.values()) await t.close?.();
  for (const r of receiverOf.values()) await r.close();
  await dns?.close();
});

function doctor(input: DoctorInput): Promise<DoctorReport> {
  return runDoctor(input, { resolve: createResolver({ servers: [dns.server], timeoutMs: 1000, tries: 2 }), clock: new ManualClock(Date.now()) });
}

let sequence = 0;

/** Sends one real message through the relay transport, bound to the configuration's IP. */
async function deliver(receiver: SmtpReceiver, mail: Mail): Promise<{ outcome: DeliveryOutcome; received: ReceivedMessage }> {
  const key = `${receiver.port} ${mail.ip} ${mail.helo}`;
  let transport = transports.get(key);
  if (!transport) {
    transport = createRelayTransport({ relayUrl: receiver.url, localAddress: mail.ip, heloName: mail.helo, connectionTimeoutMs: 5000 });
    transports.set(key, transport);
  }
  const id = `prediction-${++sequence}`;
  const messageId = `<${id}@${FROM}>`;
  const to = 'hanako@docomo.ne.jp';
  const composed = await composeMime({
    from: `Example <no-reply@${FROM}>`,
    to,
    subject: '確認コード',
    text: 'Your code is 123456',
    html: '<p>Your code is 123456</p>',
    messageId,
    date: new Date(),
    envelopeFrom: mail.envelopeFrom,
  });
  const raw = await signMessage((mail.extraHeaders ?? '') + composed, mail.sign, new Date());
  const before = receiver.messages.length;
  const outcome = await transport.send({
    id, poolId: null, kind: 'SIGN_UP', envelopeFrom: mail.envelopeFrom, recipient: to, fromHeader: `no-reply@${FROM}`,
    subject: 'code', textBody: '', htmlBody: null, raw, messageId, status: 'sending', attempts: 1, nextAttemptAtMs: 0,
    leaseOwner: null, leaseUntilMs: null, lastReply: null, createdAtMs: 0, updatedAtMs: 0,
  });
  const received = (await receiver.waitFor(before + 1))[before]!;
  return { outcome, received };
}

describe('doctor predictions against live receivers', () => {
  for (const c of configurations) {
    it(c.name, async () => {
      c.publish();
      const report = await doctor(c.input());
      const predicted = Object.fromEntries(report.receivers.map((r) => [r.id, r.verdict]));
      expect(predicted).toMatchObject(c.expected);

      const mail = c.mail();
      const live: Record<string, Verdict> = {};
      for (const profile of receivers) {
        const { outcome, received } = await deliver(receiverOf.get(profile.id)!, mail);
        expect(received.remoteAddress).toBe(mail.ip);
        live[profile.id] = received.verdict!.verdict;
        // A refusal is a real SMTP refusal; anything else is taken.
        if (received.verdict!.verdict === 'reject') {
          expect(outcome, profile.id).toMatchObject({ kind: 'permanent', reply: expect.stringMatching(/^550 /) });
        } else {
          expect(outcome, profile.id).toMatchObject({ kind: 'delivered' });
        }
      }
      expect(live).toEqual(predicted);
    });
  }
});
