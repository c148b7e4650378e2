/**
 * Error classes for the bridge. Every error we raise carries a namespaced `code` so handlers can branch
 * without string matching, and the original failure as `cause` so the log keeps the whole story.
 * Messages name the operation and the object, never a token.
 */
export enum ErrorCode {
  Config = 'asana_bridge_config_error',
  UserInput = 'asana_bridge_user_input_error',
  AccessDenied = 'asana_bridge_access_denied_error',
  AsanaUnauthorized = 'asana_bridge_asana_unauthorized_error',
  AsanaForbidden = 'asana_bridge_asana_forbidden_error',
  AsanaNotFound = 'asana_bridge_asana_not_found_error',
  AsanaInvalidInput = 'asana_bridge_asana_invalid_input_error',
  AsanaPaymentRequired = 'asana_bridge_asana_payment_required_error',
  AsanaRateLimited = 'asana_bridge_asana_rate_limited_error',
  AsanaServer = 'asana_bridge_asana_server_error',
  AsanaTimeout = 'asana_bridge_asana_timeout_error',
  AsanaNetwork = 'asana_bridge_asana_network_error',
  Unknown = 'asana_bridge_unknown_error',
}

/** Base of every error the bridge throws on purpose. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem with one setting, phrased for the operator who has to fix it. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown at start-up when settings are missing or malformed; carries one problem per setting. */
export class ConfigError extends AppError {
  readonly code = ErrorCode.Config;

  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.variable}: ${p.message}`).join('\n'));
  }
}

/**
 * Thrown when what a person typed cannot be used. The message is shown to them as is, so it says
 * what to type instead.
 */
export class UserInputError extends AppError {
  readonly code = ErrorCode.UserInput;
}

/** Thrown when a request comes from someone the bot must not serve (another team, an external user). */
export class AccessDeniedError extends AppError {
  readonly code = ErrorCode.AccessDenied;
}

/** What every Asana failure carries: the operation that failed and Asana's own words, when it sent any. */
export abstract class AsanaError extends AppError {
  constructor(
    message: string,
    readonly operation: string,
    readonly status: number | undefined,
    readonly asanaMessages: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 401: the PAT is wrong, revoked, or the app is disabled in the workspace. */
export class AsanaUnauthorizedError extends AsanaError {
  readonly code = ErrorCode.AsanaUnauthorized;
}

/** 403: the PAT's user cannot see or change this object. */
export class AsanaForbiddenError extends AsanaError {
  readonly code = ErrorCode.AsanaForbidden;
}

/** 404: the object does not exist or is not visible to the PAT's user. */
export class AsanaNotFoundError extends AsanaError {
  readonly code = ErrorCode.AsanaNotFound;
}

/** 400: Asana refused the input; `asanaMessages` holds its explanation. */
export class AsanaInvalidInputError extends AsanaError {
  readonly code = ErrorCode.AsanaInvalidInput;
}

/** 402: the feature (search, for one) needs a paid Asana plan. */
export class AsanaPaymentRequiredError extends AsanaError {
  readonly code = ErrorCode.AsanaPaymentRequired;
}

/** 429 that outlasted our retries; `retryAfterSeconds` is Asana's last Retry-After. */
export class AsanaRateLimitedError extends AsanaError {
  readonly code = ErrorCode.AsanaRateLimited;

  constructor(
    message: string,
    operation: string,
    readonly retryAfterSeconds: number,
    asanaMessages: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, operation, 429, asanaMessages, options);
  }
}

/** 5xx; `phrase` is the words Asana support asks for. */
export class AsanaServerError extends AsanaError {
  readonly code = ErrorCode.AsanaServer;

  constructor(
    message: string,
    operation: string,
    status: number,
    readonly phrase: string | undefined,
    asanaMessages: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, operation, status, asanaMessages, options);
  }
}

/** No answer in time. For a write, the write may or may not have happened. */
export class AsanaTimeoutError extends AsanaError {
  readonly code = ErrorCode.AsanaTimeout;
}

/** The connection failed before Asana answered (refused, reset, DNS). */
export class AsanaNetworkError extends AsanaError {
  readonly code = ErrorCode.AsanaNetwork;
}

/** Anything we did not expect, wrapped so downstream code only ever sees coded errors. */
export class UnknownError extends AppError {
  readonly code = ErrorCode.Unknown;
}

/** Wraps any thrown value as an AppError, keeping the original as `cause`. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnknownError(message, { cause: error });
}
