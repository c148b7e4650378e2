import type { Logger } from 'winston';
import type { ListenerDeps } from '../index';

/** A modal's submission is handled once within this window. */
const SUBMISSION_DEDUPE_SECONDS = 24 * 60 * 60;

/**
 * Claims one modal submission, so a redelivery is acknowledged and dropped. If the store cannot answer,
 * the submission goes ahead: a rare duplicate is better than a person whose form never submits.
 */
export async function claimSubmission(
  deps: ListenerDeps,
  view: { id: string; hash: string },
  logger: Logger,
): Promise<boolean> {
  try {
    return await deps.store.claim(`submit:${view.id}:${view.hash}`, SUBMISSION_DEDUPE_SECONDS);
  } catch (error) {
    logger.warn('could not record the submission; handling it anyway', { reason: (error as Error).message });
    return true;
  }
}
