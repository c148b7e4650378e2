import type { Logger } from 'winston';
import { AsanaRateLimitedError } from '../errors';
import { type AsanaGateway, toAsanaError } from '../services/asana/asana-gateway';
import type { RequestPacer } from './request-pacer';

/**
 * The bridge's one gateway, seen through the reminder sweep's pacer: every request a sweep makes waits
 * for the pacer first and runs as background work, and a 429 pauses the whole sweep for Retry-After
 * while the gateway retries that one request. Everything else (limiter, budget, retries, typed errors)
 * is the shared gateway's, so the sweep and people's commands draw on one per-minute budget.
 *
 * The result is typed as the gateway so TaskService can use it unchanged; it inherits every member
 * from the real gateway and overrides only `call`.
 */
export function pacedGateway(gateway: AsanaGateway, pacer: RequestPacer, logger: Logger): AsanaGateway {
  const paced = Object.create(gateway) as AsanaGateway;
  paced.call = async (operation, fn) => {
    await pacer.take();
    return gateway.call({ ...operation, priority: 'background' }, async (apis) => {
      try {
        return await fn(apis);
      } catch (raw) {
        const error = toAsanaError(raw, operation.name);
        if (error instanceof AsanaRateLimitedError) {
          const resumeAt = pacer.pause(error.retryAfterSeconds * 1000);
          logger.warn('Asana asked to slow down; reminder reads paused', {
            operation: operation.name,
            retryAfterSeconds: error.retryAfterSeconds,
            resumeAt: new Date(resumeAt).toISOString(),
          });
        }
        throw raw;
      }
    });
  };
  return paced;
}
