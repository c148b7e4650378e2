import type { App } from '@slack/bolt';
import type { Logger } from 'winston';
import {
  ADD_TO_TASK_MODAL,
  ADD_TO_TASK_SELECT_ACTION,
  ADD_TO_TASK_SHORTCUT,
  ASANA_COMMAND,
  ASSIGN_TO_ME_ACTION,
  COMPLETE_TASK_ACTION,
  CREATE_TASK_MODAL,
  CREATE_TASK_SHORTCUT,
  MORE_TASKS_ACTION,
  OPEN_TASK_ACTION,
  PROJECT_SELECT_ACTION,
  REOPEN_TASK_ACTION,
  SET_DUE_DATE_ACTION,
  SHARE_RESULT_ACTION,
} from '../ids';
import type { AccessPolicy } from '../services/access-policy';
import type { AsanaDirectory } from '../services/asana/asana-directory';
import type { TaskService } from '../services/asana/task-service';
import type { DraftStore } from '../services/draft-store';
import type { People } from '../services/people';
import type { SlackUsers } from '../services/slack/slack-users';
import type { TaskCreator } from '../services/task-creator';
import type { TaskViews } from '../services/task-views';
import type { Store } from '../store/store';
import {
  assignToMe,
  completeTask,
  moreTasks,
  reopenTask,
  setDueDate,
  shareResult,
  taskButton,
} from './actions/task-actions';
import { REMINDER_COMPLETE_ACTION, REMINDER_SNOOZE_ACTION } from '../ids';
import type { Reminders } from '../reminders/reminders';
import { reminderAction } from './actions/reminder-actions';
import { asanaCommand } from './commands/asana-command';
import { createTaskShortcut } from './shortcuts/create-task-shortcut';
import { addToTaskShortcut } from './shortcuts/add-to-task-shortcut';
import { addToTaskSubmission } from './views/add-to-task-submission';
import { taskOptions } from './options/task-options';
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
  views: TaskViews;
  workspaceGid: string;
  logger: Logger;
  /** Due-date reminders: settings for `/asana remind` and the reminder DMs' buttons. */
  reminders: Reminders;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(ASANA_COMMAND, asanaCommand(deps));
  app.shortcut({ type: 'message_action', callback_id: CREATE_TASK_SHORTCUT }, createTaskShortcut(deps));
  app.view({ type: 'view_submission', callback_id: CREATE_TASK_MODAL }, createTaskSubmission(deps));
  app.options(PROJECT_SELECT_ACTION, projectOptions(deps));
  app.shortcut({ type: 'message_action', callback_id: ADD_TO_TASK_SHORTCUT }, addToTaskShortcut(deps));
  app.view({ type: 'view_submission', callback_id: ADD_TO_TASK_MODAL }, addToTaskSubmission(deps));
  app.options(ADD_TO_TASK_SELECT_ACTION, taskOptions(deps));
  app.action(COMPLETE_TASK_ACTION, taskButton(deps, completeTask));
  app.action(REOPEN_TASK_ACTION, taskButton(deps, reopenTask));
  app.action(ASSIGN_TO_ME_ACTION, taskButton(deps, assignToMe));
  app.action(SET_DUE_DATE_ACTION, taskButton(deps, setDueDate));
  app.action(MORE_TASKS_ACTION, taskButton(deps, moreTasks));
  app.action(SHARE_RESULT_ACTION, taskButton(deps, shareResult));
  app.action(REMINDER_COMPLETE_ACTION, reminderAction(deps, 'complete'));
  app.action(REMINDER_SNOOZE_ACTION, reminderAction(deps, 'snooze'));
  // A link button still sends an action; acknowledging it keeps Slack from showing a warning.
  app.action(OPEN_TASK_ACTION, async ({ ack }) => ack());
}
