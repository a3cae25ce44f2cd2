// An authoritative DNS server on 127.0.0.1 (random UDP port) answering from an in-memory zone
// that each test sets. Absent names get NXDOMAIN, present names without the asked type get an
// empty NOERROR answer (node: ENODATA). CNAMEs are followed inside the zone, as a recursive
// resolver would return them. Names can also be made to fail (SERVFAIL, REFUSED) or to go
// unanswered (the client times out) to test "DNS could not be checked".
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// dns2 ships no types; this is the slice used here.
const dns2 = require('dns2') as {
  Packet: {
    TYPE: Record<string, number>;
    CLASS: { IN: number };
    createResponseFromRequest(request: unknown): DnsPacket;
  };
  UDPServer: new (options: { type: 'udp4' }) => UdpServer;
};

interface DnsPacket {
  header: { rcode: number; aa: number; ra: number };
  questions: { name: string; type: number }[];
  answers: Record<string, unknown>[];
}
interface UdpServer {
  on(event: 'request', listener: (request: DnsPacket, send: (response: DnsPacket) => Promise<unknown>) => void): void;
  on(event: 'requestError' | 'error', listener: (err: Error) => void): void;
  listen(port: number, address: string): Promise<void>;
  address(): { port: number; address: string };
  close(callback?: () => void): void;
}

export type RecordType = 'A' | 'AAAA' | 'TXT' | 'MX' | 'PTR' | 'CNAME';
/** TXT: a string (split into 255-byte character-strings automatically) or the character-strings;
 *  MX: "10 mx.example.test" or {priority, exchange}; others: the address or target name. */
export type RecordValue = string | string[] | { priority: number; exchange: string };
export type Failure = 'SERVFAIL' | 'REFUSED' | 'TIMEOUT';

export interface Zone {
  /** Replace the records of one type at a name (an empty list removes them). */
  set(name: string, type: RecordType, values: RecordValue[]): void;
  /** Add records of one type at a name. */
  add(name: string, type: RecordType, values: RecordValue[]): void;
  /** Make every question about this name fail in this way. */
  fail(name: string, failure: Failure): void;
  clear(): void;
  /** The questions received, in order ("name TYPE"), for asserting lookups. */
  queries: string[];
}

export interface DnsServer {
  address: string;
  port: number;
  /** `127.0.0.1:<port>`, the form TODOKU_DNS_SERVERS and createResolver take. */
  server: string;
  zone: Zone;
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

function norm(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function splitTxt(value: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += 255) chunks.push(value.slice(i, i + 255));
  return chunks.length > 0 ? chunks : [''];
}

export async function startDnsServer(): Promise<DnsServer> {
  const { Packet } = dns2;
  const records = new Map<string, Map<RecordType, RecordValue[]>>();
  const failures = new Map<string, Failure>();
  const queries: string[] = [];

  const zone: Zone = {
    set(name, type, values) {
      const key = norm(name);
      const byType = records.get(key) ?? new Map<RecordType, RecordValue[]>();
      if (values.length === 0) byType.delete(type);
      else byType.set(type, [...values]);
      if (byType.size === 0) records.delete(key);
      else records.set(key, byType);
    },
    add(name, type, values) {
      const existing = records.get(norm(name))?.get(type) ?? [];
      zone.set(name, type, [...existing, ...values]);
    },
    fail(name, failure) {
      failures.set(norm(name), failure);
    },
    clear() {
      records.clear();
      failures.clear();
      queries.length = 0;
    },
    queries,
  };

  const typeName = (code: number): string =>
    Object.keys(Packet.TYPE).find((k) => Packet.TYPE[k] === code) ?? String(code);

  function toAnswer(name: string, type: RecordType, value: RecordValue): Record<string, unknown> {
    const base = { name, type: Packet.TYPE[type], class: Packet.CLASS.IN, ttl: 60 };
    switch (type) {
      case 'A':
      case 'AAAA':
        return { ...base, address: String(value) };
      case 'TXT':
        return { ...base, data: Array.isArray(value) ? value : splitTxt(String(value)) };
      case 'MX': {
        if (typeof value === 'object' && !Array.isArray(value)) return { ...base, ...value };
        const [priority, exchange] = String(value).trim().split(/\s+/);
        return { ...base, priority: Number(priority), exchange: exchange ?? '' };
      }
      case 'PTR':
      case 'CNAME':
        return { ...base, domain: String(value) };
    }
  }

  const server = new dns2.UDPServer({ type: 'udp4' });
  server.on('requestError', () => {});
  server.on('error', () => {});
  server.on('request', (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    response.header.ra = 1;
    const question = request.questions[0];
    if (!question) {
      response.header.rcode = RCODE.REFUSED;
      void send(response).catch(() => {});
      return;
    }
    const qtype = typeName(question.type) as RecordType;
    queries.push(`${norm(question.name)} ${qtype}`);

    let name = norm(question.name);
    for (let hops = 0; hops < 8; hops++) {
      const failure = failures.get(name);
      if (failure === 'TIMEOUT') return; // never answer
      if (failure) {
        response.header.rcode = RCODE[failure];
        break;
      }
      const byType = records.get(name);
      if (!byType) {
        // NXDOMAIN only when the chain starts at an absent name; after a CNAME the target's
        // absence is still reported as NXDOMAIN, as real servers do.
        response.header.rcode = RCODE.NXDOMAIN;
        break;
      }
      const direct = byType.get(qtype);
      if (direct) {
        for (const v of direct) response.answers.push(toAnswer(name, qtype, v));
        break;
      }
      const cname = byType.get('CNAME');
      if (cname && cname[0] !== undefined && qtype !== 'CNAME') {
        response.answers.push(toAnswer(name, 'CNAME', cname[0]));
        name = norm(String(cname[0]));
        continue;
      }
      break; // NOERROR, no answer → ENODATA
    }
    void send(response).catch(() => {});
  });

  await server.listen(0, '127.0.0.1');
  const { port, address } = server.address();
  return {
    address,
    port,
    server: `${address}:${port}`,
    zone,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
