import type { Logger } from 'winston';
import type { ListenerDeps } from '../index';
import type { MessagePlace } from '../message-replies';

/** The message's author by name: a person's current Slack name, or the app name kept in the metadata. */
export async function authorName(
  deps: ListenerDeps,
  author: { authorUserId?: string; authorName?: string },
): Promise<string | undefined> {
  if (!author.authorUserId) return author.authorName;
  return deps.users.profile(author.authorUserId).then(
    (profile) => profile.name,
    () => undefined,
  );
}

/**
 * Remembers that a task came from (or took in) a message, so a later "Add to Asana task" on it can
 * preselect the task. Losing this link costs a preselection, never the task: failures are only logged.
 */
export async function recordMessageTask(
  deps: ListenerDeps,
  place: MessagePlace,
  taskGid: string,
  userId: string,
  logger: Logger,
): Promise<void> {
  await deps.store
    .addMessageTask({
      channelId: place.channelId,
      messageTs: place.messageTs,
      taskGid,
      createdBy: userId,
      createdAt: new Date().toISOString(),
    })
    .catch((e) => logger.warn('could not record the message-task link', { reason: (e as Error).message }));
}
