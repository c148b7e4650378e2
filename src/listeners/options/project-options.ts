import { projectOption } from '../../blocks/create-task-modal';
import type { ListenerDeps } from '../index';
import { MAX_OPTIONS, optionsListener } from './options-listener';

/** Options for the project picker, from the cached directory (or Asana's typeahead while it loads). */
export function projectOptions(deps: ListenerDeps) {
  return optionsListener(
    deps,
    'project',
    (query) => deps.directory.searchProjects(deps.workspaceGid, query, MAX_OPTIONS),
    projectOption,
  );
}
