import { UserInputError } from '../errors';
import type { SlackProfile } from './slack/slack-users';

/**
 * Refuses people a task should not be given to from Slack: deactivated accounts, bots, and people from
 * outside the organisation (who may share an email domain with nobody here). The message says why.
 */
export function assertAssignable(profile: SlackProfile): void {
  if (profile.deleted)
    throw new UserInputError(`${profile.name}'s Slack account is deactivated; pick someone else.`);
  if (profile.isBot) throw new UserInputError(`${profile.name} is a bot; tasks go to people.`);
  if (profile.isExternal) {
    throw new UserInputError(
      `${profile.name} is from outside this organisation; tasks here go to its own members.`,
    );
  }
}
