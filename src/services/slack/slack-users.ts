import type { WebClient } from '@slack/web-api';
import NodeCache from 'node-cache';

/** What the bridge needs to know about a Slack user. */
export interface SlackProfile {
  id: string;
  teamId: string | undefined;
  /** The name people see: display name, else real name, else handle. */
  name: string;
  /** IANA zone from the profile; UTC when Slack has none. */
  timeZone: string;
  email: string | undefined;
  isBot: boolean;
  deleted: boolean;
  /** A Slack Connect user from another organisation, or one the workspace cannot see. */
  isExternal: boolean;
}

/** Profiles change rarely; ten minutes keeps commands fast without serving a stale name for long. */
const PROFILE_TTL_SECONDS = 10 * 60;

interface RawSlackUser {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_stranger?: boolean;
  enterprise_user?: { enterprise_id?: string };
  profile?: { display_name?: string; real_name?: string; email?: string };
}

/** Cached `users.info` lookups; concurrent lookups of one user share one call. */
export class SlackUsers {
  private readonly cache = new NodeCache({ useClones: false, stdTTL: PROFILE_TTL_SECONDS });
  private readonly inFlight = new Map<string, Promise<SlackProfile>>();

  constructor(
    private readonly client: WebClient,
    private readonly installedTeamId: () => string | undefined,
    /** On Enterprise Grid, members of the same organisation keep their own workspace's team id. */
    private readonly installedEnterpriseId: () => string | undefined = () => undefined,
  ) {}

  /** The profile if it is already in memory, without waiting on Slack. */
  peek(userId: string): SlackProfile | undefined {
    return this.cache.get<SlackProfile>(userId);
  }

  async profile(userId: string): Promise<SlackProfile> {
    const hit = this.peek(userId);
    if (hit) return hit;
    const pending = this.inFlight.get(userId);
    if (pending) return pending;

    const load = (async () => {
      const result = await this.client.users.info({ user: userId });
      const profile = this.toProfile(result.user as RawSlackUser);
      this.cache.set(userId, profile);
      return profile;
    })().finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, load);
    return load;
  }

  /** Display names of several users; ones Slack cannot find are left out. */
  async names(userIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    await Promise.all(
      userIds.map(async (id) => {
        try {
          names.set(id, (await this.profile(id)).name);
        } catch {
          // An unknown or deactivated id keeps its inline label (or the raw id) in the text.
        }
      }),
    );
    return names;
  }

  private toProfile(user: RawSlackUser): SlackProfile {
    const installed = this.installedTeamId();
    const enterprise = this.installedEnterpriseId();
    const sameOrganisation = !!enterprise && user.enterprise_user?.enterprise_id === enterprise;
    return {
      id: user.id,
      teamId: user.team_id,
      name: user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || user.id,
      timeZone: user.tz || 'UTC',
      email: user.profile?.email,
      isBot: user.is_bot === true,
      deleted: user.deleted === true,
      isExternal:
        user.is_stranger === true ||
        (!!installed && !!user.team_id && user.team_id !== installed && !sameOrganisation),
    };
  }
}
