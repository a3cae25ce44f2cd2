// The sending host the relay tests send from: a loopback address of its own (so SPF, DKIM
// and the PTR are checked for an IP that is not the receiver's), and its HELO name.
export const SENDING_IP = '127.0.0.2';
export const HELO = 'mta.todoku.test';

/** The TODOKU_* settings of a server relaying through `relayUrl` from SENDING_IP, resolving with `dnsServer`. */
export function relayEnv(relayUrl: string, dnsServer: string): Record<string, string> {
  return {
    TODOKU_MAIL_MODE: 'relay',
    TODOKU_SMTP_RELAY: relayUrl,
    TODOKU_SMTP_LOCAL_ADDRESS: SENDING_IP,
    TODOKU_SENDING_IPS: SENDING_IP,
    TODOKU_HELO_NAME: HELO,
    TODOKU_DNS_SERVERS: dnsServer,
  };
}
