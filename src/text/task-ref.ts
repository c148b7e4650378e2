/**
 * Finds the Asana task a person means: a link in either of Asana's URL forms, with or without Slack's
 * `<…>` wrapping, or a bare gid.
 *
 *   https://app.asana.com/0/<project>/<task>[/f]
 *   https://app.asana.com/1/<workspace>/project/<project>/task/<task>
 *   https://app.asana.com/1/<workspace>/task/<task>
 */

const GID = /^\d{1,20}$/;
const LEGACY_PATH = /^\/0\/\d+\/(\d+)(?:\/f)?\/?$/;
const CURRENT_PATH = /^\/1\/\d+\/(?:project\/\d+\/)?task\/(\d+)(?:\/.*)?$/;

/** The task gid in one word (a link, a wrapped link, or a gid), or undefined. */
export function parseTaskRef(word: string): string | undefined {
  const unwrapped = word.trim().replace(/^<([^|>]+)(?:\|[^>]*)?>$/, '$1');
  if (GID.test(unwrapped)) return unwrapped;
  let url: URL;
  try {
    url = new URL(unwrapped.replace(/&amp;/g, '&'));
  } catch {
    return undefined;
  }
  if (url.hostname !== 'app.asana.com') return undefined;
  return LEGACY_PATH.exec(url.pathname)?.[1] ?? CURRENT_PATH.exec(url.pathname)?.[1];
}

/** Splits "<task> rest of the text" into the task gid and the rest; undefined when the first word is no task. */
export function splitTaskRef(text: string): { taskGid: string; rest: string } | undefined {
  const match = /^(<[^>]*>|\S+)\s*([\s\S]*)$/.exec(text.trim());
  if (!match) return undefined;
  const taskGid = parseTaskRef(match[1]);
  return taskGid ? { taskGid, rest: match[2].trim() } : undefined;
}
