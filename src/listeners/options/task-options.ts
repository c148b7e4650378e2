import { taskOption } from '../../blocks/add-to-task-modal';
import type { ListenerDeps } from '../index';
import { MAX_OPTIONS, optionsListener } from './options-listener';

/** Options for the task picker, from Asana's typeahead (fast, and on every plan). */
export function taskOptions(deps: ListenerDeps) {
  return optionsListener(
    deps,
    'task',
    (query) => deps.tasks.typeaheadTasks(deps.workspaceGid, query, MAX_OPTIONS),
    taskOption,
  );
}
