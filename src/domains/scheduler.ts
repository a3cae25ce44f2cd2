// Runs the scheduled DNS re-checks of pending identities (verify.ts nextCheckAt decides
// when each is due); the server starts one of these beside the delivery worker.
import type { Logger } from '../core/logger.js';
import type { DomainService } from './service.js';

export interface DomainChecks {
  stop(): Promise<void>;
}

export function startDomainChecks(service: DomainService, log: Logger, pollMs = 60_000): DomainChecks {
  let running: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = service
      .runDueChecks()
      .then(
        () => undefined,
        (err: unknown) => log.error({ err }, 'scheduled domain verification failed'),
      )
      .finally(() => {
        running = undefined;
      });
  }, pollMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
