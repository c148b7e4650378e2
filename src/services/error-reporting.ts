import type { Logger } from 'winston';
import {
  AccessDeniedError,
  AppError,
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
  UserInputError,
  asAppError,
} from '../errors';

/** What to tell the person, and what an operator should do, for one failure. */
export interface ErrorReport {
  userMessage: string;
  /** Present when an operator has something to do; the log line says it. */
  operatorHint?: string;
  /** Failures caused by the person's input are routine: logged at info, not error. */
  level: 'info' | 'warn' | 'error';
}

/** Maps any failure to a short message for Slack and one actionable log line. Never shows a stack. */
export function describeError(error: unknown, action: string): ErrorReport {
  const e = asAppError(error);
  if (e instanceof UserInputError || e instanceof AccessDeniedError)
    return { userMessage: e.message, level: 'info' };
  if (e instanceof AsanaUnauthorizedError) {
    return {
      userMessage: `I couldn't ${action}: Asana refused the bridge's access token. Please tell whoever runs the bridge.`,
      operatorHint:
        'ASANA_ACCESS_TOKEN was rejected (401): create a new Personal Access Token in Asana and restart',
      level: 'error',
    };
  }
  if (e instanceof AsanaForbiddenError) {
    return {
      userMessage: `I couldn't ${action}: the bridge's Asana account has no access to that. Ask its owner to share it.`,
      level: 'warn',
    };
  }
  if (e instanceof AsanaNotFoundError) {
    return {
      userMessage: `I couldn't ${action}: Asana can't find it (deleted, or not shared with the bridge).`,
      level: 'warn',
    };
  }
  if (e instanceof AsanaInvalidInputError) {
    const why = e.asanaMessages.length > 0 ? ` Asana said: ${e.asanaMessages.join('; ')}` : '';
    return { userMessage: `I couldn't ${action}.${why}`, level: 'warn' };
  }
  if (e instanceof AsanaPaymentRequiredError) {
    return { userMessage: `I couldn't ${action}: that needs a paid Asana plan.`, level: 'info' };
  }
  if (e instanceof AsanaRateLimitedError) {
    return {
      userMessage: `Asana is busy right now, so I couldn't ${action}. Nothing was changed; try again in ${humanWait(e.retryAfterSeconds)}.`,
      operatorHint:
        'Asana rate limit outlasted retries: lower the load or raise ASANA_RATE_LIMIT_PER_MIN only on a paid plan',
      level: 'warn',
    };
  }
  if (e instanceof AsanaServerError) {
    const phrase = e.phrase ? ` (Asana error phrase “${e.phrase}”)` : '';
    return {
      userMessage: `Asana had a problem, so I couldn't ${action}${phrase}. Try again shortly.`,
      operatorHint: `Asana answered ${e.status}; quote the error phrase to Asana support if it persists`,
      level: 'warn',
    };
  }
  if (e instanceof AsanaTimeoutError || e instanceof AsanaNetworkError) {
    return {
      // After a timeout nobody can know whether a change landed; say so rather than promise either way.
      userMessage: `Asana didn't answer in time, so I couldn't ${action}. If you were changing something, check Asana before trying again: it may still have gone through.`,
      operatorHint: 'Asana unreachable or slow: check outbound network access to Asana (or ASANA_BASE_URL)',
      level: 'warn',
    };
  }
  const slack = slackPlatformError(error);
  if (slack) return slack;
  return {
    userMessage: `Something went wrong and I couldn't ${action}. The details are in the bridge's log.`,
    operatorHint: 'unexpected error: see the stack in this line',
    level: 'error',
  };
}

/** Seconds as a person would say them: "40 s", "3 minutes", "about an hour". */
function humanWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} s`;
  if (seconds < 50 * 60) return `${Math.ceil(seconds / 60)} minutes`;
  return seconds < 90 * 60 ? 'about an hour' : `${Math.round(seconds / 3600)} hours`;
}

/** Slack Web API refusals that are routine: each gets its own message, and no stack in the log. */
function slackPlatformError(error: unknown): ErrorReport | undefined {
  const e = error as { code?: string; data?: { error?: string } } | undefined;
  if (e?.code === 'slack_webapi_rate_limited_error') {
    return { userMessage: 'Slack is busy right now; please try again in a minute.', level: 'warn' };
  }
  if (e?.code !== 'slack_webapi_platform_error') return undefined;
  switch (e.data?.error) {
    case 'user_not_found':
    case 'users_not_found':
      return {
        userMessage: "I can't find that Slack user. Mention someone in this workspace with @.",
        level: 'info',
      };
    case 'expired_trigger_id':
    case 'exchanged_trigger_id':
    case 'invalid_trigger_id':
      return {
        userMessage: 'Slack closed the window for that form before it could open. Please try again.',
        level: 'info',
      };
    case 'not_in_channel':
    case 'channel_not_found':
    case 'is_archived':
      return {
        userMessage: "I can't post in that conversation. Invite me to it, or try from another channel.",
        level: 'info',
      };
    default:
      return {
        userMessage: 'Slack refused my reply. The details are in the bridge’s log.',
        operatorHint: `Slack Web API error ${e.data?.error ?? 'unknown'}: check the app's scopes in manifest.yml`,
        level: 'warn',
      };
  }
}

/** Logs one line for a handled failure, with the code and the operator's next step. */
export function logFailure(
  logger: Logger,
  error: unknown,
  action: string,
  fields: Record<string, unknown> = {},
): ErrorReport {
  const report = describeError(error, action);
  const e: AppError = asAppError(error);
  const asana = e instanceof AsanaError ? { operation: e.operation, status: e.status } : {};
  logger.log(report.level, `${action} failed`, {
    ...fields,
    code: e.code,
    ...asana,
    ...(report.operatorHint ? { hint: report.operatorHint } : {}),
    // Stacks help operators with the unexpected; routine refusals need none.
    ...(report.level === 'error' ? { error: e } : { reason: e.message }),
  });
  return report;
}
