// Composition: which sender resolver and which transport TODOKU_MAIL_MODE stands for.
import { ConfigError, type Config } from '../config/index.js';
import type { Secrets } from '../config/secrets.js';
import type { Clock } from '../core/clock.js';
import type { SenderResolver } from '../mail/outgoing.js';
import { captureTransport, type Transport } from '../mail/deliver/transport.js';
import { createRelayTransport } from '../mail/deliver/relay.js';
import { captureSenderResolver, domainSenderResolver } from '../domains/sender.js';
import type { Ports } from '../ports.js';

/** capture: the pool's From, unsigned, kept here; relay/direct: a verified identity, DKIM-signed. */
export function chooseSenders(config: Config, secrets: Secrets, clock: Clock): SenderResolver<Ports> {
  if (config.mailMode === 'capture') return captureSenderResolver;
  return domainSenderResolver({ keyEncryptionKey: secrets.keyEncryptionKey, clock, mailMode: config.mailMode });
}

export function chooseTransport(config: Config): Transport {
  switch (config.mailMode) {
    case 'capture':
      return captureTransport;
    case 'relay':
      return createRelayTransport({ relayUrl: config.smtpRelay!, localAddress: config.smtpLocalAddress, heloName: config.heloName });
    case 'direct':
      throw new ConfigError('TODOKU_MAIL_MODE', 'direct delivery to MX hosts is not built yet; use capture or relay');
  }
}
