import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { projectOption } from '../../blocks/create-task-modal';
import { logFailure } from '../../services/error-reporting';
import type { ListenerDeps } from '../index';
import { withinBudget } from '../within-budget';

/** Slack waits 3 s for options; answer with what we have well before that. */
const OPTIONS_BUDGET_MS = 2_000;
/** Slack's cap on options in one reply. */
const MAX_OPTIONS = 100;

/** Options for the project picker, from the cached directory (or Asana's typeahead while it loads). */
export function projectOptions(deps: ListenerDeps) {
  return async ({
    ack,
    body,
    options,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> => {
    const logger = deps.logger.child({ component: 'options', team: body.team?.id, user: body.user?.id });
    const userId = body.user?.id;
    if (!userId || deps.access.isOtherTeam(body.team?.id)) {
      await ack({ options: [] });
      return;
    }

    const query = (options.value ?? '').trim();
    // Project names are company data too: the person is checked like any other request.
    const search = (async () => {
      await deps.access.authorize({ teamId: body.team?.id, userId });
      return deps.directory.searchProjects(deps.workspaceGid, query, MAX_OPTIONS);
    })();
    try {
      const projects = await withinBudget(search, OPTIONS_BUDGET_MS);
      if (!projects) logger.warn('project search slower than Slack allows; answered empty', { query });
      await ack({ options: (projects ?? []).map(projectOption) });
    } catch (error) {
      logFailure(logger, error, 'search projects');
      await ack({ options: [] });
    }
  };
}
