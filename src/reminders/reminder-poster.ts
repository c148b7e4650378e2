import { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/task-message';
import type { Clock } from '../clock';
import type { SendOutcome } from './reminder-ledger';

// @slack/web-api comes with Bolt; its runtime values are reached through Bolt's re-export.
const SlackErrorCode = webApi.ErrorCode;

/** Slack answers that mean "not now, nothing was posted". */
const RETRY_LATER = new Set(['ratelimited', 'rate_limited']);
/** Slack answers after which the message may or may not exist. */
const MAYBE_POSTED = new Set(['internal_error', 'fatal_error', 'request_timeout', 'service_unavailable']);
/** When Slack rate-limits without saying for how long. */
const DEFAULT_PAUSE_MS = 30_000;

interface SlackFailure {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  original?: { code?: string; cause?: { code?: string } };
}

/**
 * Decides what a failed chat.postMessage means for exactly-once delivery. Only failures that prove the
 * message was not posted allow a retry; a timeout or a dropped connection might have posted it.
 */
export function classifySlackFailure(error: unknown): Exclude<SendOutcome, 'sent'> {
  const e = (error ?? {}) as SlackFailure;
  switch (e.code) {
    case SlackErrorCode.RateLimitedError:
      return 'retry';
    case SlackErrorCode.PlatformError: {
      const answer = e.data?.error ?? '';
      if (RETRY_LATER.has(answer)) return 'retry';
      return MAYBE_POSTED.has(answer) ? 'unknown' : 'refused';
    }
    case SlackErrorCode.RequestError: {
      // A refused connection never carried the request; anything else may have.
      const code = e.original?.cause?.code ?? e.original?.code;
      return code === 'ECONNREFUSED' ? 'retry' : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/**
 * Posts reminder DMs and the messages around them (snoozes, in-place updates) through a Slack client
 * that never retries on its own: a hidden retry after a timeout is how one reminder becomes two. When
 * Slack rate-limits a post, every reminder waits out Retry-After.
 */
export class ReminderPoster {
  private pausedUntil = 0;

  constructor(
    private readonly client: WebClient,
    private readonly clock: Clock,
  ) {}

  /** Whether Slack asked us to hold off; sweeps skip sending (and claiming) until it passes. */
  get paused(): boolean {
    return this.clock.now() < this.pausedUntil;
  }

  /** A DM to the person (Slack opens the app's DM with them when the channel is their user id). */
  async postToUser(slackUserId: string, message: SlackMessage): Promise<{ channel: string; ts: string }> {
    try {
      const result = await this.client.chat.postMessage({
        channel: slackUserId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { channel: result.channel ?? slackUserId, ts: result.ts ?? '' };
    } catch (error) {
      const e = error as SlackFailure;
      if (classifySlackFailure(error) === 'retry' && e.code !== SlackErrorCode.RequestError) {
        this.pausedUntil = this.clock.now() + (e.retryAfter ? e.retryAfter * 1000 : DEFAULT_PAUSE_MS);
      }
      throw error;
    }
  }

  /** Schedules a message in a conversation; Slack keeps it, so a restart of the bridge cannot lose it. */
  async schedule(channel: string, postAt: number, message: SlackMessage): Promise<string | undefined> {
    const result = await this.client.chat.scheduleMessage({
      channel,
      post_at: Math.floor(postAt / 1000),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    return result.scheduled_message_id;
  }

  async update(channel: string, ts: string, text: string, blocks: KnownBlock[]): Promise<void> {
    await this.client.chat.update({ channel, ts, text, blocks });
  }
}
