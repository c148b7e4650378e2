import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { Logger } from 'winston';
import type { SlackMessage } from '../../blocks/task-message';
import type { SlackProfile } from '../../services/slack/slack-users';
import type { ListenerDeps } from '../index';

/** Everything a subcommand gets: the text after its name, who asked, where, and the services. */
export interface SubcommandContext {
  /** The text after the subcommand's name, trimmed, still in Slack's escaped form. */
  args: string;
  command: SlashCommand;
  requester: SlackProfile;
  deps: ListenerDeps;
  logger: Logger;
  respond: RespondFn;
}

/** One `/asana <name> …` subcommand. */
export interface Subcommand {
  name: string;
  aliases?: string[];
  /** Lines for `/asana help`, in mrkdwn: the syntax, then an example. */
  help: string[];
  /** Runs after the ack; the returned message is sent (ephemeral unless it says otherwise) to response_url. */
  run(context: SubcommandContext): Promise<SlackMessage & { response_type?: 'ephemeral' | 'in_channel' }>;
}
