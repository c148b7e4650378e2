import type { WebClient } from '@slack/web-api';
import type { Logger } from 'winston';

/** Where a shortcut's message lives: its channel, its own ts, and the thread it belongs to. */
export interface MessagePlace {
  channelId: string;
  messageTs: string;
  threadTs: string;
}

/** The message's permalink from Slack (right for thread replies and Enterprise Grid), or none. */
export async function getPermalink(
  client: WebClient,
  place: MessagePlace,
  logger: Logger,
): Promise<string | undefined> {
  try {
    const result = await client.chat.getPermalink({ channel: place.channelId, message_ts: place.messageTs });
    return result.permalink;
  } catch (error) {
    logger.warn('no permalink for the message', { reason: (error as Error).message });
    return undefined;
  }
}

/**
 * Tells the message's thread about a task. Where the bot may not post (a private channel it is not in,
 * a DM between others), the requester is told privately instead — ephemeral, else a DM — so the link
 * is never lost.
 */
export async function replyInThread(
  client: WebClient,
  place: MessagePlace,
  reply: { userId: string; text: string; privateText: string },
  logger: Logger,
): Promise<void> {
  try {
    await client.chat.postMessage({
      channel: place.channelId,
      thread_ts: place.threadTs,
      text: reply.text,
      unfurl_links: false,
    });
    return;
  } catch (error) {
    logger.info('cannot reply in the thread, telling the requester privately', {
      reason: (error as Error).message,
    });
  }
  try {
    await client.chat.postEphemeral({
      channel: place.channelId,
      user: reply.userId,
      text: reply.privateText,
    });
  } catch {
    await client.chat
      .postMessage({ channel: reply.userId, text: reply.privateText })
      .catch((e) =>
        logger.warn('could not tell the requester about the task', { reason: (e as Error).message }),
      );
  }
}
