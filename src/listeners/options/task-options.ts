import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { taskOption } from '../../blocks/add-to-task-modal';
import { logFailure } from '../../services/error-reporting';
import type { ListenerDeps } from '../index';
import { withinBudget } from '../within-budget';

/** Slack waits 3 s for options; answer with what we have well before that. */
const OPTIONS_BUDGET_MS = 2_000;
/** Slack's cap on options in one reply, which is also the most Asana's typeahead returns. */
const MAX_OPTIONS = 100;

/**
 * Options for the task picker, from Asana's typeahead (fast, and on every plan). Task names are the
 * company's data, so the person is checked like any other request before Asana is asked.
 */
export function taskOptions(deps: ListenerDeps) {
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
    const search = (async () => {
      await deps.access.authorize({ teamId: body.team?.id, userId });
      return deps.tasks.typeaheadTasks(deps.workspaceGid, query, MAX_OPTIONS);
    })();
    try {
      const tasks = await withinBudget(search, OPTIONS_BUDGET_MS);
      if (!tasks) logger.warn('task search slower than Slack allows; answered empty', { query });
      await ack({ options: (tasks ?? []).slice(0, MAX_OPTIONS).map(taskOption) });
    } catch (error) {
      logFailure(logger, error, 'search tasks');
      await ack({ options: [] });
    }
  };
}
