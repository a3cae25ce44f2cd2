// Assembles todoku: config → secrets → database → ports → services → HTTP + delivery worker.
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { systemClock, type Clock } from './core/clock.js';
import { cryptoRandom, type Random } from './core/random.js';
import { silentLogger } from './core/logger.js';
import { openStore } from './storage/open.js';
import type { SqlStore } from './storage/store.js';
import { loadSecrets, type Secrets } from './config/secrets.js';
import { Keyring } from './tokens/keyring.js';
import { createTokenService } from './tokens/issuer.js';
import { argon2Hasher, type PasswordHasher } from './userpool/passwords.js';
import { createMailService, type SenderResolver } from './mail/outgoing.js';
import { DeliveryWorker } from './mail/deliver/worker.js';
import { mailBodies } from './mail/queue/bodies.js';
import type { Transport } from './mail/deliver/transport.js';
import type { Deps } from './userpool/actions/types.js';
import { buildApp } from './http/app.js';
import { createResolver, type DnsResolve } from './dns/resolver.js';
import { DomainService, domainSettings } from './domains/service.js';
import { poolSenderRules } from './domains/pool-sender.js';
import type { Ports } from './ports.js';
import { startDomainChecks } from './domains/scheduler.js';
import { identityDoctor } from './domains/doctor-input.js';
import { chooseSenders, chooseTransport } from './wiring/mail-mode.js';
import { ensureDemo, type DemoIds } from './wiring/demo.js';

export interface ServerOverrides {
  clock?: Clock;
  random?: Random;
  passwords?: PasswordHasher;
  /** Pino options or false; default: pino at config.logLevel. */
  logger?: boolean | object;
  /** PostgreSQL schema (tests isolate themselves one schema each). */
  pgSchema?: string;
  transport?: Transport;
  senders?: SenderResolver<Ports>;
  /** DNS for verification and the doctor; default: TODOKU_DNS_SERVERS or the system resolver. */
  resolve?: DnsResolve;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** The URL tokens name as issuer: TODOKU_PUBLIC_URL, or with TODOKU_PORT=0 the listener's `url`. */
  publicUrl: string;
  deps: Deps;
  /** The storage behind deps.store (tests and benchmarks reach the database through it). */
  store: SqlStore;
  secrets: Secrets;
  demo: DemoIds | undefined;
  worker: DeliveryWorker;
  domains: DomainService;
  close(): Promise<void>;
}

export async function startServer(config: Config, o: ServerOverrides = {}): Promise<RunningServer> {
  const clock = o.clock ?? systemClock;
  const random = o.random ?? cryptoRandom;
  // Refuse an unusable mail mode before anything is created.
  const transport = o.transport ?? chooseTransport(config);
  const secrets = loadSecrets(config);
  const store: SqlStore = await openStore({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    ...(o.pgSchema ? { pgSchema: o.pgSchema } : {}),
  });

  const keyring = new Keyring(store.keys, clock, random, secrets.keyEncryptionKey);
  // The config is frozen: the URL the server answers as is its own. With TODOKU_PORT=0 it is
  // known only once the listener has a port, so tokens and discovery read it per call.
  let publicUrl = config.publicUrl;
  const tokens = createTokenService({ keyring, publicUrl: () => publicUrl, random });

  // The worker is created after the app (it logs through the app's logger); mail
  // enqueued before then is delivered by its first pass.
  let worker: DeliveryWorker | undefined;
  const bodies = mailBodies(secrets.mailKey);
  const deps: Deps = {
    config,
    store,
    clock,
    random,
    passwords: o.passwords ?? argon2Hasher,
    tokens,
    mail: createMailService<Ports>({ clock, random, senders: o.senders ?? chooseSenders(config, secrets, clock), bodies, kick: () => worker?.kick() }),
    senderRules: poolSenderRules(config.mailMode),
    log: silentLogger,
    codeKey: secrets.codeKey,
  };
  // Create-if-missing, once per database: processes starting together on an empty one take
  // turns, and the later ones load the key and the demo pool the first one created.
  let demo: DemoIds | undefined;
  try {
    demo = await store.withStartupLock(async (locked) => {
      await keyring.load(locked.keys);
      return config.demo ? ensureDemo({ ...deps, store: locked }) : undefined;
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const resolve = o.resolve ?? createResolver({ servers: config.dnsServers });
  const sending = domainSettings(config);
  const domains = new DomainService({
    store,
    clock,
    random,
    keyEncryptionKey: secrets.keyEncryptionKey,
    resolve,
    ...sending,
  });
  const doctor = identityDoctor({
    domains: store.domains,
    keyEncryptionKey: secrets.keyEncryptionKey,
    sendingIps: sending.sendingIps,
    heloName: config.heloName,
    resolve,
    clock,
  });
  const app = await buildApp({
    deps,
    admin: { accessKeyId: secrets.adminAccessKeyId, secretAccessKey: secrets.adminSecretAccessKey },
    logger: o.logger ?? { level: config.logLevel },
    domains,
    doctor,
    keyring,
    mailBodies: bodies,
    publicUrl: () => publicUrl,
    wallClock: systemClock,
  });
  deps.log = app.log;
  worker = new DeliveryWorker({
    outbox: store.outbox,
    transport,
    bodies,
    retentionMs: config.mailRetentionMs,
    clock,
    log: app.log,
    owner: `${os.hostname()}:${process.pid}:${random.uuid().slice(0, 8)}`,
  });

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // TODOKU_PORT=0 (tests) picks a free port: the default public URL follows it.
  if (config.port === 0 && config.publicUrl === 'http://localhost:0') publicUrl = url;
  worker.start();
  const domainChecks = startDomainChecks(domains, app.log);

  return {
    app,
    url,
    publicUrl,
    deps,
    store,
    secrets,
    demo,
    worker,
    domains,
    async close() {
      await domainChecks.stop();
      await worker!.stop();
      await transport.close?.();
      await app.close();
      await store.close();
    },
  };
}
