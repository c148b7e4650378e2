import { AccessDeniedError } from '../errors';
import type { SlackProfile, SlackUsers } from './slack/slack-users';

export const OTHER_TEAM_MESSAGE = 'This Asana bridge serves only the Slack workspace it is installed in.';
const EXTERNAL_USER_MESSAGE =
  'Sorry, people from outside this organisation cannot use the Asana bridge here. Ask a member to create the task.';
const BOT_USER_MESSAGE = 'The Asana bridge acts only for people, not for bots.';

/**
 * Who may use the bot: people of the installed Slack team. Checked on every request before any Asana
 * call, so a Slack Connect guest cannot read or change the company's Asana through a shared channel.
 */
export class AccessPolicy {
  constructor(
    private readonly users: SlackUsers,
    private readonly installedTeamId: () => string | undefined,
    /** Told about everyone let through (reminders enroll people on first use); must not throw. */
    private readonly onAuthorized?: (profile: SlackProfile) => void,
  ) {}

  /**
   * Whether a request comes from a Slack workspace other than the installed one: answered without any
   * call, so listeners can refuse before they acknowledge. Guests' own teams are the profile's business.
   */
  isOtherTeam(teamId: string | undefined): boolean {
    const installed = this.installedTeamId();
    return !!installed && !!teamId && teamId !== installed;
  }

  /** Resolves to the requester's profile, or rejects with AccessDeniedError carrying the message to show. */
  async authorize(request: { teamId: string | undefined; userId: string }): Promise<SlackProfile> {
    if (this.isOtherTeam(request.teamId)) {
      throw new AccessDeniedError(OTHER_TEAM_MESSAGE);
    }
    const profile = await this.users.profile(request.userId);
    if (profile.isExternal) throw new AccessDeniedError(EXTERNAL_USER_MESSAGE);
    if (profile.isBot) throw new AccessDeniedError(BOT_USER_MESSAGE);
    this.onAuthorized?.(profile);
    return profile;
  }
}
