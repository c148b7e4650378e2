import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { PlainTextOption } from '@slack/types';
import { logFailure } from '../../services/error-reporting';
import type { ListenerDeps } from '../index';
import { withinBudget } from '../within-budget';

/** Slack waits 3 s for options; answer with what we have well before that. */
const OPTIONS_BUDGET_MS = 2_000;
/** Slack's cap on options in one reply, which is also the most Asana's typeahead returns. */
export const MAX_OPTIONS = 100;

/**
 * An options listener for an external_select: checks the person (names of projects and tasks are the
 * company's data), searches within Slack's budget, and answers empty rather than late or with an error.
 */
export function optionsListener<T>(
  deps: ListenerDeps,
  what: string,
  search: (query: string) => Promise<T[]>,
  toOption: (item: T) => PlainTextOption,
) {
  return async ({
    ack,
    body,
    options,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> => {
    const userId = body.user?.id;
    const logger = deps.logger.child({ component: 'options', team: body.team?.id, user: userId });
    if (!userId || deps.access.isOtherTeam(body.team?.id)) {
      await ack({ options: [] });
      return;
    }

    const query = (options.value ?? '').trim();
    const found = (async () => {
      await deps.access.authorize({ teamId: body.team?.id, userId });
      return search(query);
    })();
    try {
      const items = await withinBudget(found, OPTIONS_BUDGET_MS);
      if (!items) logger.warn(`${what} search slower than Slack allows; answered empty`, { query });
      await ack({ options: (items ?? []).slice(0, MAX_OPTIONS).map(toOption) });
    } catch (error) {
      logFailure(logger, error, `search ${what}s`);
      await ack({ options: [] });
    }
  };
}
