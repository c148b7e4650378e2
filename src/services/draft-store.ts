import { randomUUID } from 'node:crypto';
import NodeCache from 'node-cache';

/** A modal may stay open a while; two hours covers a long lunch without keeping texts forever. */
const DRAFT_TTL_SECONDS = 2 * 60 * 60;

/** A message as the modal prefilled it, and as Slack sent it. */
export interface Draft {
  /** Slack's escaped text, with formatting and mentions, for Asana rich text. */
  raw: string;
  /** The decoded text the notes input was prefilled from (possibly cut to fit it). */
  plain: string;
}

/**
 * Message texts behind open "Create Asana task" modals. The notes input holds plain text of at most
 * 3,000 characters; when the person leaves it as prefilled, the task gets the whole message with its
 * formatting instead.
 *
 * TODO: drafts live in memory, so a restart while a modal is open loses the formatting and anything past
 * the first 3,000 characters of a long message; the task still gets what the input showed.
 */
export class DraftStore {
  private readonly cache = new NodeCache({ stdTTL: DRAFT_TTL_SECONDS, useClones: false });

  put(draft: Draft): string {
    const id = randomUUID();
    this.cache.set(id, draft);
    return id;
  }

  get(id: string | undefined): Draft | undefined {
    return id ? this.cache.get<Draft>(id) : undefined;
  }

  delete(id: string | undefined): void {
    if (id) this.cache.del(id);
  }
}
