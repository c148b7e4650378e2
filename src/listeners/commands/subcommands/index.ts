import type { Subcommand } from '../subcommand';
import { createSubcommand } from './create';

/** Every `/asana` subcommand, in the order `/asana help` lists them. */
export const subcommands: Subcommand[] = [createSubcommand];

/** The subcommand a word names (by name or alias), if any. */
export function findSubcommand(word: string): Subcommand | undefined {
  return subcommands.find((s) => s.name === word || s.aliases?.includes(word));
}
