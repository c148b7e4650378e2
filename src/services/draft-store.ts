import { randomUUID } from 'node:crypto';
import type { Logger } from 'winston';
import type { Draft, Store } from '../store/store';

export type { Draft };

/** A modal may stay open a while; two hours covers a long lunch without keeping texts forever. */
const DRAFT_TTL_SECONDS = 2 * 60 * 60;

/**
 * Message texts behind open "Create Asana task" and "Add to Asana task" modals. The notes input holds
 * plain text of at most 3,000 characters; when the person leaves it as prefilled, the task gets the
 * whole message with its formatting instead. Drafts live in the store, so a restart while a modal is
 * open loses nothing.
 */
export class DraftStore {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** Keeps a draft and returns its id at once; a failed write only costs the formatting, so it is logged. */
  put(draft: Draft): string {
    const id = randomUUID();
    this.store
      .saveDraft(id, draft, DRAFT_TTL_SECONDS)
      .catch((error) =>
        this.logger.warn('could not keep the message draft', { reason: (error as Error).message }),
      );
    return id;
  }

  async get(id: string | undefined): Promise<Draft | undefined> {
    if (!id) return undefined;
    try {
      return await this.store.loadDraft(id);
    } catch (error) {
      this.logger.warn('could not read the message draft', { reason: (error as Error).message });
      return undefined;
    }
  }

  delete(id: string | undefined): void {
    if (!id) return;
    this.store
      .deleteDraft(id)
      .catch((error) =>
        this.logger.warn('could not drop the message draft', { reason: (error as Error).message }),
      );
  }
}
