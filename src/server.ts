// Assembles todoku: config → secrets → database → ports → services → HTTP + delivery worker.
import path from 'node:path';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { systemClock, type Clock } from './core/clock.js';
import { cryptoRandom, type Random } from './core/random.js';
import { silentLogger } from './core/logger.js';
import { migrate, openDatabase } from './storage/database.js';
import { createStore, type Store } from './storage/store.js';
import { loadSecrets, type Secrets } from './secrets.js';
import { Keyring } from './tokens/keyring.js';
import { createTokenService } from './tokens/issuer.js';
import { argon2Hasher, type PasswordHasher } from './userpool/passwords.js';
import { captureSenderResolver, createMailService, type SenderResolver } from './mail/outgoing.js';
import { DeliveryWorker } from './mail/deliver/worker.js';
import { captureTransport, type Transport } from './mail/deliver/transport.js';
import type { Deps } from './userpool/actions/types.js';
import { actions } from './userpool/actions/registry.js';
import { buildApp } from './http/app.js';
import { createResolver, type DnsResolve } from './dns/resolver.js';
import { DomainService, domainSettings } from './domains/service.js';
import { domainSenderResolver } from './domains/sender.js';
import { startDomainChecks } from './domains/scheduler.js';
import { createRelayTransport } from './mail/deliver/relay.js';
import { ConfigError } from './config/index.js';
import { identityDoctor } from './doctor/identity.js';

export interface ServerOverrides {
  clock?: Clock;
  random?: Random;
  passwords?: PasswordHasher;
  /** Pino options or false; default: pino at config.logLevel. */
  logger?: boolean | object;
  /** PostgreSQL schema (tests isolate themselves one schema each). */
  pgSchema?: string;
  transport?: Transport;
  senders?: SenderResolver;
  /** DNS for verification and the doctor; default: TODOKU_DNS_SERVERS or the system resolver. */
  resolve?: DnsResolve;
}

export interface DemoIds {
  poolId: string;
  clientId: string;
  createdNow: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  deps: Deps;
  secrets: Secrets;
  demo: DemoIds | undefined;
  worker: DeliveryWorker;
  domains: DomainService;
  close(): Promise<void>;
}

/** capture: the pool's From, unsigned, kept here; relay/direct: a verified identity, DKIM-signed. */
function chooseSenders(config: Config, secrets: Secrets, clock: Clock): SenderResolver {
  if (config.mailMode === 'capture') return captureSenderResolver;
  return domainSenderResolver({ keyEncryptionKey: secrets.keyEncryptionKey, clock, mailMode: config.mailMode });
}

function chooseTransport(config: Config): Transport {
  switch (config.mailMode) {
    case 'capture':
      return captureTransport;
    case 'relay':
      return createRelayTransport({ relayUrl: config.smtpRelay!, localAddress: config.smtpLocalAddress, heloName: config.heloName });
    case 'direct':
      throw new ConfigError('TODOKU_MAIL_MODE', 'direct delivery to MX hosts is not built yet; use capture or relay');
  }
}

/**
 * Creates the demo pool and client once, through the same actions an operator would call.
 * Runs under the startup lock: the check and the creation cannot interleave with another
 * process's, so one demo pool exists and every process reports it.
 */
async function ensureDemo(deps: Deps): Promise<DemoIds | undefined> {
  const existingPool = await deps.store.settings.getSetting('demo_pool_id');
  const existingClient = await deps.store.settings.getSetting('demo_client_id');
  if (existingPool && existingClient && (await deps.store.pools.findPool(existingPool))) {
    return { poolId: existingPool, clientId: existingClient, createdNow: false };
  }
  const createPool = actions.get('CreateUserPool');
  const createClient = actions.get('CreateUserPoolClient');
  if (!createPool || !createClient) return undefined;
  const ctx = { sourceIp: '127.0.0.1', signedByAdmin: true };
  const pool = (await createPool.run(
    deps,
    {
      PoolName: 'todoku-demo',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    },
    ctx,
  )) as { UserPool: { Id: string } };
  const client = (await createClient.run(
    deps,
    {
      UserPoolId: pool.UserPool.Id,
      ClientName: 'demo-app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    },
    ctx,
  )) as { UserPoolClient: { ClientId: string } };
  const poolId = await deps.store.settings.putSettingIfAbsent('demo_pool_id', pool.UserPool.Id);
  const clientId = await deps.store.settings.putSettingIfAbsent('demo_client_id', client.UserPoolClient.ClientId);
  return { poolId, clientId, createdNow: true };
}

export async function startServer(config: Config, o: ServerOverrides = {}): Promise<RunningServer> {
  const clock = o.clock ?? systemClock;
  const random = o.random ?? cryptoRandom;
  // Refuse an unusable mail mode before anything is created.
  const transport = o.transport ?? chooseTransport(config);
  const secrets = loadSecrets(config);
  const opened = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, 'todoku.db'),
    ...(o.pgSchema ? { pgSchema: o.pgSchema } : {}),
  });
  const store: Store = createStore(opened);
  try {
    await migrate(store.db, store.schema);
  } catch (err) {
    await store.close();
    throw err;
  }

  const keyring = new Keyring(store.keys, clock, random, secrets.keyEncryptionKey);
  const tokens = createTokenService({ keyring, publicUrl: () => config.publicUrl, random });

  // The worker is created after the app (it logs through the app's logger); mail
  // enqueued before then is delivered by its first pass.
  let worker: DeliveryWorker | undefined;
  const deps: Deps = {
    config,
    store,
    clock,
    random,
    passwords: o.passwords ?? argon2Hasher,
    tokens,
    mail: createMailService({ clock, random, senders: o.senders ?? chooseSenders(config, secrets, clock), kick: () => worker?.kick() }),
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
    wallClock: systemClock,
  });
  deps.log = app.log;
  worker = new DeliveryWorker({
    outbox: store.outbox,
    transport,
    clock,
    log: app.log,
    owner: `${os.hostname()}:${process.pid}:${random.uuid().slice(0, 8)}`,
  });

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // TODOKU_PORT=0 (tests) picks a free port: the default public URL follows it.
  if (config.port === 0 && config.publicUrl === 'http://localhost:0') config.publicUrl = url;
  worker.start();
  const domainChecks = startDomainChecks(domains, app.log);

  return {
    app,
    url,
    deps,
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
