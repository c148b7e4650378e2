import { DateTime } from 'luxon';

/**
 * Slack's date tokens (`<!date^1700000000^{date}|Nov 14>`) as ISO dates in the person's zone. The label
 * after `|` is only Slack's fallback wording; the timestamp is what the person picked.
 */
export function resolveDateTokens(text: string, timeZone: string): string {
  return text.replace(/<!date\^(\d{1,12})\^[^|>]*(?:\|[^>]*)?>/g, (token, seconds: string) => {
    const date = DateTime.fromSeconds(Number(seconds), { zone: timeZone });
    return date.isValid ? (date.toISODate() ?? token) : token;
  });
}
