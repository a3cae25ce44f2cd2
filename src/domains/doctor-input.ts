// The doctor for a todoku sending identity: the input comes from what todoku itself sends with —
// the identity's MAIL FROM subdomain, the selectors of its active DKIM keys, and
// TODOKU_SENDING_IPS — so nobody has to repeat them as flags (issue: "with no flags for a domain
// that is a todoku sending identity, it uses that identity's MAIL FROM, selectors, keys").
//
// It lives with the identities, not in doctor/: the doctor is pure over DNS answers and is given
// plain data — selectors, the public keys we expect to find published, and a signer for its test
// message. The private keys are opened here and stay in the signer's closure, which signs with
// the same signer the identity's mail goes out with (mail/sign/dkim.ts); no finding's evidence
// carries a key, only selectors, record names and published records.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { DnsResolve } from '../dns/resolver.js';
import { firstAddressOf, spfTermsFor } from '../dns/spf-record.js';
import { runDoctor, type DkimKeyInput, type DoctorInput, type DoctorReport } from '../doctor/index.js';
import { normalizeDomain } from '../doctor/alignment.js';
import { signMessage } from '../mail/sign/dkim.js';
import type { DomainsPort } from './ports.js';
import { openPrivateKeyPem, publicKeyOf } from './keys.js';
import { isActiveKey } from './model.js';

export interface IdentityDoctorOptions {
  /** The key the DKIM private keys are sealed with (secrets.keyEncryptionKey). */
  keyEncryptionKey: Buffer;
  /** TODOKU_SENDING_IPS as domainSettings() gives it (the outgoing local address when unset). */
  sendingIps: string[];
  /** TODOKU_HELO_NAME. */
  heloName?: string | undefined;
}

/**
 * TODOKU_SENDING_IPS entries as the doctor evaluates them, read through the same SPF terms
 * `todoku domain add` publishes for them (dns/spf-record.ts spfTermsFor): an ip4: address stays,
 * an ip4: range is checked through its first host address, an ip6: term through its address,
 * an include: (a bare domain becomes one) is expanded like --via. Other mechanisms (`a:`,
 * `mx:`) name no address the doctor could connect from and are left out.
 */
export function doctorSendingIps(entries: string[]): string[] {
  const out: string[] = [];
  for (const term of spfTermsFor(entries)) {
    const colon = term.indexOf(':');
    const [name, value] = [term.slice(0, colon), term.slice(colon + 1)];
    let ip: string | undefined;
    if (name === 'ip4') ip = firstAddressOf(value);
    else if (name === 'ip6') ip = value.split('/')[0];
    else if (name === 'include') ip = `include:${normalizeDomain(value)}`;
    if (ip !== undefined && !out.includes(ip)) out.push(ip);
  }
  return out;
}

/** The doctor's input for `domain`, or undefined when it is not a todoku sending identity. */
export async function doctorInputForIdentity(
  store: { domains: Pick<DomainsPort, 'findDomain' | 'listDkimKeys'> },
  domain: string,
  o: IdentityDoctorOptions,
): Promise<DoctorInput | undefined> {
  const name = normalizeDomain(domain);
  const identity = await store.domains.findDomain(name);
  if (!identity) return undefined;
  // The keys mail is signed with now; a key published ahead of a rotation signs nothing yet.
  const keys = (await store.domains.listDkimKeys(name)).filter(isActiveKey);
  const dkim: DkimKeyInput[] = keys.map((key) => {
    const privateKey = createPrivateKey(openPrivateKeyPem(key, o.keyEncryptionKey));
    // The stored p= is what `domain add` printed; a private key that does not match its row is
    // a bug, not a DNS problem, and the doctor would misreport it as "not our key".
    if (publicKeyOf(privateKey) !== key.publicKey) {
      throw new Error(`DKIM key ${key.selector}._domainkey.${name} does not match its stored public key`);
    }
    const signingKey = { domain: name, selector: key.selector, algorithm: key.algorithm, privateKey };
    return {
      selector: key.selector,
      domain: name,
      publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
      signTestMessage: (message, signTime) => signMessage(message, [signingKey], signTime),
    };
  });
  return {
    domain: name,
    fromAddress: `no-reply@${name}`,
    // The MAIL FROM todoku puts on the envelope once it is verified (domains/sender.ts).
    mailFromDomain: identity.mailFromDomain ?? name,
    sendingIps: doctorSendingIps(o.sendingIps),
    ...(o.heloName ? { heloName: o.heloName } : {}),
    dkim,
  };
}

export interface IdentityDoctorDeps extends IdentityDoctorOptions {
  domains: DomainsPort;
  resolve: DnsResolve;
  clock: Clock;
}

/** Runs the doctor on an identity; undefined when the domain is not one. */
export type IdentityDoctor = (domain: string) => Promise<DoctorReport | undefined>;

export function identityDoctor(deps: IdentityDoctorDeps): IdentityDoctor {
  return async (domain) => {
    const input = await doctorInputForIdentity(deps, domain, deps);
    return input && runDoctor(input, { resolve: deps.resolve, clock: deps.clock });
  };
}
