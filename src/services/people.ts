import type { Logger } from 'winston';
import type { Store } from '../store/store';
import { extractMentionedUserIds } from '../text/slack-text';
import type { AsanaDirectory } from './asana/asana-directory';
import type { AsanaGateway } from './asana/asana-gateway';
import type { AsanaUser } from './asana/types';
import type { SlackProfile, SlackUsers } from './slack/slack-users';

/** How long a Slack->Asana link is trusted before it is checked again; emails and accounts change. */
const LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** A person without an Asana account may get one soon; look again sooner. */
const MISSING_LINK_TTL_MS = 60 * 60 * 1000;

/** Who a Slack person is in Asana, or why we could not tell. */
export type AsanaIdentity =
  | { kind: 'mapped'; gid: string; profile: SlackProfile }
  | { kind: 'unmapped'; profile: SlackProfile; reason: string };

/** How `asanaIdentity` may ask Asana when the stored link will not do. */
export interface AsanaIdentityOptions {
  /**
   * Find the email in the workspace's user list (one paged read, cached and shared by every caller)
   * instead of asking Asana about this one email; worth it when many people are linked at once, as in a
   * first reminder sweep. An email missing from the list is recorded as unmapped and so looked up again
   * after the missing-link TTL. If the list cannot be read, the person is looked up alone.
   */
  fromUserList?: boolean;
  /** The gateway for any request this needs; the reminder sweep passes its paced one. */
  gateway?: AsanaGateway;
}

/**
 * Maps Slack users to Asana users by email, the only identity the two share. Links are kept in the
 * store (so a restart or a reminder sweep does not repeat every lookup) and refreshed daily.
 */
export class People {
  private readonly logger: Logger;

  constructor(
    private readonly users: SlackUsers,
    private readonly directory: AsanaDirectory,
    private readonly store: Store,
    private readonly workspaceGid: string,
    logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.logger = logger.child({ component: 'people' });
  }

  /**
   * Names and Asana gids of the people mentioned in Slack text, for turning `<@U…>` into a readable
   * name and, where the person is in Asana, a real Asana mention. Lookups that fail are left out.
   */
  async mentions(text: string): Promise<{ userNames: Map<string, string>; asanaGids: Map<string, string> }> {
    const ids = extractMentionedUserIds(text);
    const userNames = await this.users.names(ids);
    const asanaGids = new Map<string, string>();
    await Promise.all(
      ids.map(async (id) => {
        try {
          const identity = await this.asanaIdentity(id);
          if (identity.kind === 'mapped') asanaGids.set(id, identity.gid);
        } catch {
          // The name alone still reads well; a mention is a bonus.
        }
      }),
    );
    return { userNames, asanaGids };
  }

  async asanaIdentity(slackUserId: string, options: AsanaIdentityOptions = {}): Promise<AsanaIdentity> {
    const profile = await this.users.profile(slackUserId);
    if (!profile.email) {
      return { kind: 'unmapped', profile, reason: `${profile.name}'s Slack profile shows no email` };
    }

    const link = await this.store.getUserLink(slackUserId);
    const age = link ? this.now().getTime() - Date.parse(link.checkedAt) : Infinity;
    const fresh =
      link && link.email === profile.email && age < (link.asanaUserGid ? LINK_TTL_MS : MISSING_LINK_TTL_MS);
    if (fresh && link) {
      return link.asanaUserGid
        ? { kind: 'mapped', gid: link.asanaUserGid, profile }
        : { kind: 'unmapped', profile, reason: noAccount(profile) };
    }

    const user = await this.findUser(profile.email, options);
    await this.store
      .setUserLink({
        slackUserId,
        asanaUserGid: user?.gid ?? null,
        email: profile.email,
        checkedAt: this.now().toISOString(),
      })
      .catch((error) =>
        this.logger.warn('could not save the user link', { reason: (error as Error).message }),
      );
    return user
      ? { kind: 'mapped', gid: user.gid, profile }
      : { kind: 'unmapped', profile, reason: noAccount(profile) };
  }

  private async findUser(email: string, options: AsanaIdentityOptions): Promise<AsanaUser | undefined> {
    const { gateway } = options;
    if (options.fromUserList) {
      try {
        const users = await this.directory.usersByEmail(this.workspaceGid, { gateway });
        // A list without a single email (a token that may not see them) cannot say who is missing.
        if (users.size > 0) return users.get(email.toLowerCase());
      } catch {
        // The directory has logged it once; this person is looked up alone.
      }
    }
    return this.directory.userByEmail(this.workspaceGid, email, { gateway });
  }
}

function noAccount(profile: SlackProfile): string {
  return `${profile.name} has no Asana account with their Slack email in this workspace`;
}
