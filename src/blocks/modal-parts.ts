import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { THREAD_REPLY_ACTION, THREAD_REPLY_BLOCK, THREAD_REPLY_VALUE } from '../ids';
import { escapeWithin } from '../text/escape-within';
import { truncate } from '../text/truncate';

const threadReplyOption: PlainTextOption = {
  text: { type: 'plain_text', text: 'Reply in the thread with a link to the task' },
  value: THREAD_REPLY_VALUE,
};

/** "Let the thread know": on unless the person turned it off before a failed submission. */
export function threadReplyInput(checked: boolean | undefined): InputBlock {
  return {
    type: 'input',
    block_id: THREAD_REPLY_BLOCK,
    optional: true,
    label: { type: 'plain_text', text: 'Let the thread know' },
    element: {
      type: 'checkboxes',
      action_id: THREAD_REPLY_ACTION,
      options: [threadReplyOption],
      ...(checked === false ? {} : { initial_options: [threadReplyOption] }),
    },
  };
}

/** Why the last submission failed, above the form it brings back. */
export function bannerBlock(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escapeWithin(text, 2900)}` } };
}

/** A modal with one message and a Close button: work in progress, a refusal, or the result. */
export function statusView(callbackId: string, title: string, mrkdwn: string): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, 2900) } }],
  };
}
