import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { projectOption } from '../../blocks/create-task-modal';
import { logFailure } from '../../services/error-reporting';
import type { ListenerDeps } from '../index';

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
    const installed = deps.installedTeamId();
    const teamId = (body.user as { team_id?: string } | undefined)?.team_id ?? body.team?.id;
    if (installed && teamId && teamId !== installed) {
      await ack({ options: [] });
      return;
    }

    const query = (options.value ?? '').trim();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), OPTIONS_BUDGET_MS);
    });
    try {
      const projects = await Promise.race([
        deps.directory.searchProjects(deps.workspaceGid, query, MAX_OPTIONS),
        timedOut,
      ]);
      if (!projects) logger.warn('project search slower than Slack allows; answered empty', { query });
      await ack({ options: (projects ?? []).map(projectOption) });
    } catch (error) {
      logFailure(logger, error, 'search projects');
      await ack({ options: [] });
    } finally {
      clearTimeout(timer);
    }
  };
}
