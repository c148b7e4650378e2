import { escapeSlackText } from './slack-text';
import { truncate } from './truncate';

/**
 * `text` escaped for Slack and at most `max` characters long once escaped. Escaping can multiply the
 * length by five (`&` becomes `&amp;`), so the text is cut before escaping — at a grapheme boundary,
 * never through an entity — until the escaped result fits.
 */
export function escapeWithin(text: string, max: number): string {
  let limit = max;
  for (;;) {
    const escaped = escapeSlackText(truncate(text, limit));
    if (escaped.length <= max || limit <= 1) return escaped.length <= max ? escaped : '';
    limit = Math.max(1, Math.floor(limit * (max / escaped.length)) - 1);
  }
}
