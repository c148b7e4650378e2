/**
 * Helpers for the text Slack sends us and the text we send back.
 *
 * Slack escapes only `&`, `<` and `>` in message and command text, and uses `<…>` for its control
 * tokens (mentions, channels, links, broadcasts). A literal `<` can therefore only reach us as `&lt;`,
 * which is why tokens are recognised on the raw text first and entities are decoded afterwards, once.
 */

/** Raw Slack text: a `<…>` control token, or a run of text without brackets. */
const TOKEN_PATTERN = /<([^<>]*)>/g;

/** User mention ids: `U…` for regular users, `W…` for Enterprise Grid users. */
const USER_MENTION_PATTERN = /<@([UW][A-Z0-9_]+)(?:\|[^<>]*)?>/gi;

const BROADCASTS = new Set(['here', 'channel', 'everyone']);

/** Single pass, so `&amp;lt;` becomes `&lt;` and is not decoded a second time into `<`. */
function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_match, name: string) => {
    if (name === 'lt') return '<';
    if (name === 'gt') return '>';
    return '&';
  });
}

/** Splits `value|label` at the first bar; Slack never puts a raw bar in the value part. */
function splitLabel(body: string): { value: string; label: string | undefined } {
  const bar = body.indexOf('|');
  if (bar === -1) return { value: body, label: undefined };
  return { value: body.slice(0, bar), label: body.slice(bar + 1) };
}

/** The ids of the people mentioned with `<@U…>`, `<@W…>` or `<@U…|label>`, each once, in order. */
export function extractMentionedUserIds(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(USER_MENTION_PATTERN)) {
    const id = match[1];
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export interface SlackToPlainTextOptions {
  /** Current display names by user id; they win over the label Slack put in the token, which can be stale. */
  userNames?: Map<string, string>;
}

/**
 * What the person typed, as plain text: control tokens rendered as readable words and entities
 * decoded. Broadcasts become the plain words `@here` etc., so the result can never ping anyone.
 */
export function slackToPlainText(text: string, options: SlackToPlainTextOptions = {}): string {
  let result = '';
  let last = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const index = match.index ?? 0;
    result += decodeEntities(text.slice(last, index));
    result += renderToken(match[1], options);
    last = index + match[0].length;
  }
  return result + decodeEntities(text.slice(last));
}

/** Renders the inside of one `<…>` token; every part is decoded here, so nothing is decoded twice. */
function renderToken(body: string, options: SlackToPlainTextOptions): string {
  const { value, label: rawLabel } = splitLabel(body);
  const label = rawLabel === undefined ? undefined : decodeEntities(rawLabel);

  if (value.startsWith('@')) {
    const id = value.slice(1);
    return '@' + (options.userNames?.get(id) ?? (label || id));
  }
  if (value.startsWith('#')) {
    return '#' + (label || value.slice(1));
  }
  if (value.startsWith('!')) {
    return renderSpecial(value.slice(1), label);
  }
  if (value === '') {
    // Not a token Slack would send; keep the brackets so nothing the person typed disappears.
    return `<${label === undefined ? '' : '|' + label}>`;
  }
  return renderLink(decodeEntities(value), label);
}

/** `<!here>`, `<!subteam^S…|@team>`, `<!date^…|fallback>` and any future `<!command>`. */
function renderSpecial(command: string, label: string | undefined): string {
  const [name, ...args] = command.split('^');
  if (BROADCASTS.has(name)) return '@' + name;
  if (name === 'subteam') {
    if (label) return label.startsWith('@') ? label : '@' + label;
    return '@' + decodeEntities(args[0] ?? 'subteam');
  }
  if (name === 'date') {
    if (label) return label;
    // Slack requires a fallback, but if one is missing the timestamp is still better than nothing.
    const seconds = Number(args[0]);
    return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : 'date';
  }
  return label || decodeEntities(name);
}

/**
 * `<url|label>` keeps both, since a task outlives the Slack message the label pointed from.
 * When the label just repeats the address (also the case for `mailto:` links and for bare domains
 * Slack auto-linked, where the label is what the person typed) one copy is enough.
 */
function renderLink(url: string, label: string | undefined): string {
  const shown = url.toLowerCase().startsWith('mailto:') ? url.slice('mailto:'.length) : url;
  if (!label || label === url || label === shown) return shown;
  const withoutScheme = url.replace(/^https?:\/\//i, '');
  if (withoutScheme !== url && (label === withoutScheme || label + '/' === withoutScheme)) return label;
  return `${label} (${shown})`;
}

/**
 * Escapes text for sending to Slack (mrkdwn or plain_text). Only `&`, `<` and `>` are special; once
 * escaped, a `<!here>` that came from Asana is shown as text and pings nobody.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

/**
 * Slash-command text as we want to parse it: a missing `text` field is empty, and the spaces phones
 * and pasted text bring in (no-break, thin, ideographic…) count as ordinary spaces. Line breaks stay.
 */
export function normalizeCommandText(text: string | undefined): string {
  if (text === undefined) return '';
  return text.replace(/[\p{Zs}\t\uFEFF]/gu, ' ').trim();
}
