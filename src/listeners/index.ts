import type { App } from '@slack/bolt';
import type { Logger } from 'winston';
import {
  ASANA_COMMAND,
  CREATE_TASK_MODAL,
  CREATE_TASK_SHORTCUT,
  OPEN_TASK_ACTION,
  PROJECT_SELECT_ACTION,
} from '../ids';
import type { AccessPolicy } from '../services/access-policy';
import type { AsanaDirectory } from '../services/asana/asana-directory';
import type { TaskService } from '../services/asana/task-service';
import type { DraftStore } from '../services/draft-store';
import type { People } from '../services/people';
import type { SlackUsers } from '../services/slack/slack-users';
import type { TaskCreator } from '../services/task-creator';
import type { Store } from '../store/store';
import { asanaCommand } from './commands/asana-command';
import { createTaskShortcut } from './shortcuts/create-task-shortcut';
import { createTaskSubmission } from './views/create-task-submission';
import { projectOptions } from './options/project-options';

/** What listeners need; built once in app.ts. */
export interface ListenerDeps {
  access: AccessPolicy;
  creator: TaskCreator;
  directory: AsanaDirectory;
  users: SlackUsers;
  drafts: DraftStore;
  store: Store;
  tasks: TaskService;
  people: People;
  workspaceGid: string;
  installedTeamId: () => string | undefined;
  logger: Logger;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(ASANA_COMMAND, asanaCommand(deps));
  app.shortcut({ type: 'message_action', callback_id: CREATE_TASK_SHORTCUT }, createTaskShortcut(deps));
  app.view({ type: 'view_submission', callback_id: CREATE_TASK_MODAL }, createTaskSubmission(deps));
  app.options(PROJECT_SELECT_ACTION, projectOptions(deps));
  // A link button still sends an action; acknowledging it keeps Slack from showing a warning.
  app.action(OPEN_TASK_ACTION, async ({ ack }) => ack());
}
