/** The parts of a shortcut's message that say who wrote it and where it sits. */
export interface AuthoredMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  username?: string;
  bot_profile?: { name?: string };
}

/**
 * Who wrote the message: a person's id, looked up when the modal is submitted, or the name an app
 * posted under. A person may run a shortcut on a bot's message; the bot is then the author, the person
 * the requester.
 */
export function messageAuthor(message: AuthoredMessage): { authorUserId?: string; authorName?: string } {
  if (message.user) return { authorUserId: message.user };
  const appName = message.bot_profile?.name ?? message.username;
  return { authorName: appName ? `${appName} (app)` : 'an app' };
}
