// Slack ids that the manifest, the listeners and the tests must agree on; one constant each so a
// rename cannot leave a stale literal behind.
export const ASANA_COMMAND = '/asana';
export const CREATE_TASK_SHORTCUT = 'create_task_from_message';
export const ADD_TO_TASK_SHORTCUT = 'add_to_task_from_message';
