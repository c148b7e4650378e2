/** The bridge's own view of Asana objects: only the fields it uses, in camelCase, gids as strings. */

/**
 * Longest task name the bridge sends. Asana documents no limit; this keeps names readable and a
 * pasted log from becoming a title. Longer names are refused with a hint to use a comment.
 */
export const TASK_NAME_MAX = 1024;

export interface AsanaRef {
  gid: string;
  name: string;
}

export interface Workspace extends AsanaRef {
  isOrganization: boolean;
}

export interface Project extends AsanaRef {
  workspaceGid: string;
}

export interface Section extends AsanaRef {
  projectGid: string;
}

export interface AsanaUser extends AsanaRef {
  email?: string;
}

export interface Task extends AsanaRef {
  notes: string;
  /** Rich-text notes, read only for single-task views (lists skip them to stay light). */
  htmlNotes?: string;
  completed: boolean;
  /** Calendar date, YYYY-MM-DD; exclusive with dueAt. */
  dueOn: string | null;
  /** UTC instant, ISO 8601; exclusive with dueOn. */
  dueAt: string | null;
  assignee: AsanaRef | null;
  projects: AsanaRef[];
  sections: AsanaRef[];
  permalinkUrl: string;
}

/** What a person asked for; the service turns it into one POST /tasks. */
export interface NewTask {
  name: string;
  notes?: string;
  htmlNotes?: string;
  dueOn?: string;
  dueAt?: string;
  /** Calendar date; Asana requires a due date in the same request. */
  startOn?: string;
  /** An Asana user gid or email address. */
  assignee?: string;
  projectGid?: string;
  sectionGid?: string;
  followers?: string[];
  workspaceGid: string;
}
