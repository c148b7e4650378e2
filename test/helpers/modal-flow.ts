import { type Harness, eventually } from './bridge-harness';

/** Runs a message shortcut on `message` and returns the modal the app opened with views.open. */
export async function openShortcutModal(
  h: Harness,
  callbackId: string,
  message: Record<string, unknown>,
  options: { userId?: string; channelId?: string } = {},
) {
  const opensBefore = h.slack.callsTo('views.open').length;
  const ack = await h.driver.messageShortcut({
    callback_id: callbackId,
    message,
    user_id: options.userId ?? 'U_REQ',
    channel_id: options.channelId,
  });
  await eventually(() => h.slack.callsTo('views.open').length > opensBefore);
  const call = h.slack.callsTo('views.open')[opensBefore];
  return { ack, call, view: call.response.view };
}

/** An external_select's state as Slack reports a chosen option. */
export function externalSelection(value: string, text: string) {
  return { type: 'external_select', selected_option: { text: { type: 'plain_text', text }, value } };
}
