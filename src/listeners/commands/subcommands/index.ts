import type { Subcommand } from '../subcommand';
import { assignSubcommand } from './assign';
import { channelSubcommand } from './channel';
import { commentSubcommand } from './comment';
import { doneSubcommand, reopenSubcommand } from './complete';
import { createSubcommand } from './create';
import { dueSubcommand } from './due';
import { findTasksSubcommand } from './find';
import { mineSubcommand } from './mine';
import { projectsSubcommand } from './projects';
import { remindSubcommand } from './remind';
import { showSubcommand } from './show';

/** Every `/asana` subcommand, in the order `/asana help` lists them. */
export const subcommands: Subcommand[] = [
  createSubcommand,
  mineSubcommand,
  showSubcommand,
  doneSubcommand,
  reopenSubcommand,
  assignSubcommand,
  dueSubcommand,
  commentSubcommand,
  findTasksSubcommand,
  projectsSubcommand,
  channelSubcommand,
  remindSubcommand,
];

/** The subcommand a word names (by name or alias), if any. */
export function findSubcommand(word: string): Subcommand | undefined {
  return subcommands.find((s) => s.name === word || s.aliases?.includes(word));
}
