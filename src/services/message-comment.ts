import { DateTime } from 'luxon';
import { slackToAsanaRichText } from '../text/slack-to-asana';
import { escapeXmlAttribute, stripXmlForbidden } from '../text/xml';

/** Everything a comment made from one Slack message says. */
export interface MessageCommentArgs {
  /** The message text in Slack's escaped wire form, tokens such as `<@U1>` still in it. */
  text: string;
  /** Who wrote the message; unknown for some app messages. */
  authorName?: string;
  /** When the message was posted; shown in `timeZone`. */
  postedAt?: Date;
  /** The requester's IANA zone: the time reads as they saw it in Slack. */
  timeZone: string;
  /** From chat.getPermalink, kept byte for byte (only XML-escaped inside the rich text). */
  permalink?: string;
  /** Who added the message; the comment itself is written by the bridge's Asana account. */
  requesterName: string;
  /** Names of files on the message; the files themselves stay in Slack. */
  fileNames?: string[];
  /** Current display names by Slack user id. */
  userNames?: Map<string, string>;
  /** Asana user gid by Slack user id; these mentions become real Asana mentions. */
  asanaGids?: Map<string, string>;
}

/** Asana's rich text and the same comment as plain text, for when Asana refuses the rich text. */
export interface MessageComment {
  text: string;
  html: string;
}

/** Characters XML 1.0 does not allow anywhere; Asana would refuse the whole comment over one. */

/** Tags that start and end their own line in Asana; a newline next to one shows as an empty line. */
const BLOCK_EDGE_START = /^<(?:ul|ol|pre|blockquote|h1|h2|hr)\b/;
const BLOCK_EDGE_END = /<\/(?:ul|ol|pre|blockquote|h1|h2)>$|<hr\/>$/;

/**
 * The Asana comment for a Slack message: who wrote it and when, the message in rich text (mentions of
 * people with an Asana account as Asana mentions), its files, who added it and the link back to Slack.
 */
export function messageComment(args: MessageCommentArgs): MessageComment {
  const rich = slackToAsanaRichText(args.text, { userNames: args.userNames, asanaGids: args.asanaGids });
  const body = rich.html.replace(/^<body>/, '').replace(/<\/body>$/, '');

  const author = args.authorName || 'Someone';
  const when = args.postedAt ? ` on ${formatPostedAt(args.postedAt, args.timeZone)}` : '';
  const wrote = ` wrote in Slack${when}:`;

  const files = (args.fileNames ?? []).filter(Boolean);
  const filesLine = files.length > 0 ? `Files (kept in Slack): ${files.join(', ')}` : undefined;

  const added = `Added by ${args.requesterName}`;
  const linkHtml = args.permalink
    ? // The address is also the link's text, so the plain text Asana derives from the comment keeps it.
      `<em>${escapeXmlAttribute(`${added}:`)}</em> <a href="${escapeXmlAttribute(args.permalink)}">${escapeXmlAttribute(args.permalink)}</a>`
    : `<em>${escapeXmlAttribute(added)}</em>`;

  const text = [
    `${author}${wrote}`,
    ...(rich.plain ? [rich.plain] : []),
    ...(filesLine ? ['', filesLine] : []),
    '',
    args.permalink ? `${added}: ${args.permalink}` : added,
  ].join('\n');
  const html = joinLines([
    `<strong>${escapeXmlAttribute(author)}</strong>${escapeXmlAttribute(wrote)}`,
    ...(body ? [body] : []),
    ...(filesLine ? ['', escapeXmlAttribute(filesLine)] : []),
    '',
    linkHtml,
  ]);
  return { text: stripXmlForbidden(text), html: `<body>${stripXmlForbidden(html)}</body>` };
}

/** "Tue, Nov 14, 2023 at 5:15 PM EST" in the given zone; UTC when the zone is unknown. */
export function formatPostedAt(postedAt: Date, timeZone: string): string {
  let local = DateTime.fromJSDate(postedAt, { zone: timeZone });
  if (!local.isValid) local = DateTime.fromJSDate(postedAt, { zone: 'utc' });
  return local.setLocale('en-US').toFormat("ccc, LLL d, yyyy 'at' h:mm a ZZZZ");
}

/** A Slack message ts ("1700000100.000200") as the time it was posted, or undefined when it is not one. */
export function tsToDate(ts: string): Date | undefined {
  const seconds = Number(ts);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(Math.round(seconds * 1000)) : undefined;
}

/** Lines joined by newlines, except where a block element already starts or ends the line. */
function joinLines(lines: string[]): string {
  return lines
    .map((line, index) =>
      index === 0 || BLOCK_EDGE_END.test(lines[index - 1]) || BLOCK_EDGE_START.test(line)
        ? line
        : `\n${line}`,
    )
    .join('');
}
