import { randomUUID } from 'node:crypto';
import NodeCache from 'node-cache';

/** A modal may stay open a while; two hours covers a long lunch without keeping texts forever. */
const DRAFT_TTL_SECONDS = 2 * 60 * 60;

/**
 * Full message texts too long for a modal's input (Slack caps them at 3,000 characters), kept until
 * the modal is submitted so the task still gets every character.
 */
export class DraftStore {
  private readonly cache = new NodeCache({ stdTTL: DRAFT_TTL_SECONDS, useClones: false });

  put(text: string): string {
    const id = randomUUID();
    this.cache.set(id, text);
    return id;
  }

  get(id: string | undefined): string | undefined {
    return id ? this.cache.get<string>(id) : undefined;
  }

  delete(id: string | undefined): void {
    if (id) this.cache.del(id);
  }
}
