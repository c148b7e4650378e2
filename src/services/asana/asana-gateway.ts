import * as Asana from 'asana';
import type { Logger } from 'winston';
import {
  AsanaError,
  AsanaForbiddenError,
  AsanaInvalidInputError,
  AsanaNetworkError,
  AsanaNotFoundError,
  AsanaPaymentRequiredError,
  AsanaRateLimitedError,
  AsanaServerError,
  AsanaTimeoutError,
  AsanaUnauthorizedError,
} from '../../errors';
import { type Clock, systemClock } from '../../clock';
import { type RequestKind, RequestLimiter, type RequestPriority } from './request-limiter';

const ASANA_DEFAULT_BASE_URL = 'https://app.asana.com/api/1.0';

/**
 * How long to wait for Asana. Reads feed Slack pickers and replies, so they give up early and retry;
 * writes wait longer because giving up on a write that is still landing is what creates duplicates.
 */
const READ_TIMEOUT_MS = 10_000;
const WRITE_TIMEOUT_MS = 20_000;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff delay for 5xx and network failures; doubles each time, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out; the caller hears "rate limited" instead. */
  maxRetryAfterMs: number;
  /**
   * Attempts for a request that timed out. Each costs a whole timeout, so one retry is plenty: a person
   * waiting on a hung Asana should hear so in tens of seconds, not minutes.
   */
  timeoutAttempts?: number;
}

/** Four attempts over roughly seven seconds, and up to a minute of Retry-After. */
const defaultRetryPolicy: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 60_000,
  timeoutAttempts: 2,
};

/** Near-zero delays so tests of failure paths run fast. */
export const rapidRetryPolicy: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 5,
  maxDelayMs: 20,
  maxRetryAfterMs: 5_000,
  timeoutAttempts: 2,
};

export interface AsanaApis {
  tasks: Asana.TasksApi;
  projects: Asana.ProjectsApi;
  sections: Asana.SectionsApi;
  stories: Asana.StoriesApi;
  users: Asana.UsersApi;
  workspaces: Asana.WorkspacesApi;
  typeahead: Asana.TypeaheadApi;
  userTaskLists: Asana.UserTaskListsApi;
}

export interface AsanaOperation {
  /** Short name for logs and errors, e.g. "create task". */
  name: string;
  kind: RequestKind;
  /**
   * Whether sending the request twice has the same effect as once. Failures that leave a write's
   * outcome unknown (timeouts, 5xx, dropped connections) are retried only when this holds.
   */
  idempotent?: boolean;
  priority?: RequestPriority;
}

export interface AsanaGatewayOptions {
  accessToken: string;
  baseUrl?: string;
  perMinute: number;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  clock?: Clock;
  readTimeoutMs?: number;
  writeTimeoutMs?: number;
}

/**
 * The one door to Asana. Owns its own `asana` ApiClient instances (never the module singleton), applies
 * the concurrency caps and minute budget, retries what is safe to retry, and turns every failure into
 * one of the typed errors in errors.ts.
 */
export class AsanaGateway {
  private readonly limiter: RequestLimiter;
  private readonly readApis: AsanaApis;
  private readonly writeApis: AsanaApis;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(options: AsanaGatewayOptions) {
    this.clock = options.clock ?? systemClock;
    this.policy = options.retryPolicy ?? defaultRetryPolicy;
    this.logger = options.logger.child({ component: 'asana' });
    this.limiter = new RequestLimiter({ perMinute: options.perMinute, clock: this.clock });

    const baseUrl = options.baseUrl ?? ASANA_DEFAULT_BASE_URL;
    // Two clients because the SDK's timeout is per client, and reads and writes want different ones.
    this.readApis = buildApis(baseUrl, options.accessToken, options.readTimeoutMs ?? READ_TIMEOUT_MS);
    this.writeApis = buildApis(baseUrl, options.accessToken, options.writeTimeoutMs ?? WRITE_TIMEOUT_MS);
  }

  /** Runs one Asana request under the limiter, retrying what is safe, and maps failures to typed errors. */
  async call<T>(operation: AsanaOperation, fn: (apis: AsanaApis) => Promise<T>): Promise<T> {
    const apis = operation.kind === 'read' ? this.readApis : this.writeApis;
    const priority = operation.priority ?? 'interactive';
    const mayRepeat = operation.kind === 'read' || operation.idempotent === true;

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.limiter.run(operation.kind, priority, () => fn(apis));
      } catch (raw) {
        const error = toAsanaError(raw, operation.name);
        const delay = this.retryDelay(error, attempt, mayRepeat);
        if (delay === undefined) throw error;
        this.logger.warn('asana request failed, retrying', {
          operation: operation.name,
          code: error.code,
          status: error.status,
          attempt,
          delayMs: delay,
        });
        await this.clock.sleep(delay);
      }
    }
  }

  /** How long to wait before the next attempt, or undefined when the error must go to the caller. */
  private retryDelay(error: AsanaError, attempt: number, mayRepeat: boolean): number | undefined {
    if (attempt >= this.policy.attempts) return undefined;

    // A 429 means Asana did not act on the request, so even a non-idempotent write may be repeated.
    if (error instanceof AsanaRateLimitedError) {
      const wait = error.retryAfterSeconds * 1000;
      return wait <= this.policy.maxRetryAfterMs ? wait : undefined;
    }

    if (error instanceof AsanaTimeoutError && attempt >= (this.policy.timeoutAttempts ?? 2)) return undefined;
    const transient =
      error instanceof AsanaServerError ||
      error instanceof AsanaTimeoutError ||
      error instanceof AsanaNetworkError;
    if (!transient) return undefined;
    // A refused connection never reached Asana; anything else may have, so only repeatable requests retry.
    const neverSent = error instanceof AsanaNetworkError && isConnectionRefused(error.cause);
    if (!mayRepeat && !neverSent) return undefined;

    const backoff = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(backoff * (0.75 + Math.random() * 0.5));
  }
}

function buildApis(baseUrl: string, accessToken: string, timeoutMs: number): AsanaApis {
  const client = new Asana.ApiClient();
  client.basePath = baseUrl;
  client.timeout = timeoutMs;
  // We page by hand with limit/offset, so plain `{data, next_page}` bodies are easier than Collections.
  client.RETURN_COLLECTION = false;
  client.authentications['token'].accessToken = accessToken;
  return {
    tasks: new Asana.TasksApi(client),
    projects: new Asana.ProjectsApi(client),
    sections: new Asana.SectionsApi(client),
    stories: new Asana.StoriesApi(client),
    users: new Asana.UsersApi(client),
    workspaces: new Asana.WorkspacesApi(client),
    typeahead: new Asana.TypeaheadApi(client),
    userTaskLists: new Asana.UserTaskListsApi(client),
  };
}

interface SuperagentLikeError {
  status?: number;
  code?: string;
  timeout?: number;
  message?: string;
  response?: { body?: unknown; headers?: Record<string, string | undefined> };
}

function isConnectionRefused(cause: unknown): boolean {
  return (cause as { code?: string } | undefined)?.code === 'ECONNREFUSED';
}

/**
 * Turns what the SDK rejects with (a superagent error, which holds the request and its Authorization
 * header) into our typed error. The cause we keep is a clean summary, so no log can reach the token.
 */
export function toAsanaError(raw: unknown, operation: string): AsanaError {
  if (raw instanceof AsanaError) return raw;
  const error = (raw ?? {}) as SuperagentLikeError;
  const status = typeof error.status === 'number' ? error.status : undefined;
  const body = error.response?.body as { errors?: Array<{ message?: string; phrase?: string }> } | undefined;
  const messages = (body?.errors ?? []).map((e) => e.message).filter((m): m is string => !!m);
  const phrase = body?.errors?.find((e) => e.phrase)?.phrase;
  const detail = messages.length > 0 ? `: ${messages.join('; ')}` : '';
  const cause = Object.assign(new Error(`${operation} failed (${status ?? error.code ?? 'no response'})`), {
    code: error.code,
  });

  if (status === undefined) {
    if (error.timeout !== undefined || error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
      return new AsanaTimeoutError(`Asana did not answer "${operation}" in time`, operation, undefined, [], {
        cause,
      });
    }
    if (error.code) {
      return new AsanaNetworkError(
        `Could not reach Asana for "${operation}" (${error.code})`,
        operation,
        undefined,
        [],
        {
          cause,
        },
      );
    }
    return new AsanaNetworkError(`"${operation}" failed before Asana answered`, operation, undefined, [], {
      cause,
    });
  }

  switch (status) {
    case 400:
      return new AsanaInvalidInputError(
        `Asana refused "${operation}"${detail}`,
        operation,
        status,
        messages,
        { cause },
      );
    case 401:
      return new AsanaUnauthorizedError(
        `Asana rejected the access token for "${operation}"`,
        operation,
        status,
        messages,
        {
          cause,
        },
      );
    case 402:
      return new AsanaPaymentRequiredError(
        `"${operation}" needs a paid Asana plan`,
        operation,
        status,
        messages,
        { cause },
      );
    case 403:
      return new AsanaForbiddenError(
        `No access in Asana for "${operation}"${detail}`,
        operation,
        status,
        messages,
        { cause },
      );
    case 404:
      return new AsanaNotFoundError(
        `Asana found nothing for "${operation}"${detail}`,
        operation,
        status,
        messages,
        { cause },
      );
    case 429: {
      const retryAfter = Number(error.response?.headers?.['retry-after']);
      const seconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 30;
      return new AsanaRateLimitedError(`Asana rate-limited "${operation}"`, operation, seconds, messages, {
        cause,
      });
    }
  }
  if (status >= 500) {
    const phraseNote = phrase ? ` (Asana error phrase: "${phrase}")` : '';
    return new AsanaServerError(
      `Asana failed on "${operation}" with ${status}${phraseNote}`,
      operation,
      status,
      phrase,
      messages,
      {
        cause,
      },
    );
  }
  return new AsanaInvalidInputError(
    `Asana answered "${operation}" with ${status}${detail}`,
    operation,
    status,
    messages,
    {
      cause,
    },
  );
}
