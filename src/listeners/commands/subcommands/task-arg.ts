import { UserInputError } from '../../../errors';
import { splitTaskRef } from '../../../text/task-ref';

/** The task named at the start of a subcommand's text, or a message saying how to name one. */
export function requireTask(args: string, example: string): { taskGid: string; rest: string } {
  const found = splitTaskRef(args);
  if (!found) {
    throw new UserInputError(`Which task? Start with its Asana link or id, e.g. ${example}`);
  }
  return found;
}

/** The one task a subcommand acts on; anything after it is refused rather than silently ignored. */
export function requireOnlyTask(args: string, example: string): string {
  const { taskGid, rest } = requireTask(args, example);
  if (rest) throw new UserInputError(`One task at a time, and nothing after it, e.g. ${example}`);
  return taskGid;
}
