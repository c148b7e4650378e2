// Slack ids that the manifest, the listeners and the tests must agree on; one constant each so a
// rename cannot leave a stale literal behind.
export const ASANA_COMMAND = '/asana';
export const CREATE_TASK_SHORTCUT = 'create_task_from_message';
export const ADD_TO_TASK_SHORTCUT = 'add_to_task_from_message';

// The "Create Asana task" modal: callback, and each input's block and action.
export const CREATE_TASK_MODAL = 'create_task_modal';
export const TASK_NAME_BLOCK = 'task_name';
export const TASK_NAME_ACTION = 'task_name_input';
export const NOTES_BLOCK = 'task_notes';
export const NOTES_INPUT_ACTION = 'task_notes_input';
export const PROJECT_BLOCK = 'task_project';
export const PROJECT_SELECT_ACTION = 'project_select';
export const ASSIGNEE_BLOCK = 'task_assignee';
export const ASSIGNEE_SELECT_ACTION = 'assignee_select';
export const DUE_BLOCK = 'task_due';
export const DUE_DATE_ACTION = 'due_date_picker';
export const THREAD_REPLY_BLOCK = 'thread_reply';
export const THREAD_REPLY_ACTION = 'thread_reply_toggle';
export const THREAD_REPLY_VALUE = 'reply_in_thread';

// Buttons on task messages.
export const OPEN_TASK_ACTION = 'open_task';

// Buttons and pickers on task cards and lists.
export const COMPLETE_TASK_ACTION = 'complete_task';
export const REOPEN_TASK_ACTION = 'reopen_task';
export const ASSIGN_TO_ME_ACTION = 'assign_to_me';
export const SET_DUE_DATE_ACTION = 'set_due_date';
export const SHARE_RESULT_ACTION = 'share_result';
export const MORE_TASKS_ACTION = 'more_tasks';

// The "Add to Asana task" modal: callback, and the task picker's block and action.
export const ADD_TO_TASK_MODAL = 'add_to_task_modal';
export const ADD_TO_TASK_BLOCK = 'add_to_task_task';
export const ADD_TO_TASK_SELECT_ACTION = 'add_to_task_select';

// Reminder DMs: each task's buttons, and the block ids that find a task's blocks in a reminder.
export const REMINDER_COMPLETE_ACTION = 'reminder_complete';
export const REMINDER_SNOOZE_ACTION = 'reminder_snooze';
export const REMINDER_TASK_BLOCK_PREFIX = 'reminder_task:';
export const REMINDER_ACTIONS_BLOCK_PREFIX = 'reminder_actions:';
