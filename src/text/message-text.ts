import { escapeSlackText } from './slack-text';

/**
 * The readable text of a Slack message, wherever it lives: `text`, rich-text or section blocks,
 * attachments, or only file names. Messages posted by other apps often have no `text` at all.
 */

interface RichElement {
  type?: string;
  text?: string | { text?: string };
  url?: string;
  user_id?: string;
  channel_id?: string;
  name?: string;
  range?: string;
  usergroup_id?: string;
  fallback?: string;
  elements?: RichElement[];
}

export interface SlackMessageLike {
  text?: string;
  blocks?: RichElement[];
  attachments?: Array<{ pretext?: string; title?: string; text?: string; fallback?: string }>;
  files?: Array<{ name?: string; title?: string }>;
}

/** The message's text in Slack's escaped form (tokens such as <@U1> kept), or '' when it has none. */
export function messageText(message: SlackMessageLike): string {
  if (message.text?.trim()) return message.text;

  const fromBlocks = (message.blocks ?? []).map(blockText).filter(Boolean).join('\n');
  if (fromBlocks.trim()) return fromBlocks;

  const fromAttachments = (message.attachments ?? [])
    .map((a) => [a.pretext, a.title, a.text].filter(Boolean).join('\n') || a.fallback || '')
    .filter(Boolean)
    .join('\n');
  return fromAttachments;
}

/** Names of the files a message carries, for naming a task made from a file-only message. */
export function fileNames(message: SlackMessageLike): string[] {
  return (message.files ?? []).map((f) => f.title || f.name || '').filter(Boolean);
}

function blockText(block: RichElement): string {
  if (typeof block.text === 'object' && block.text?.text) return block.text.text;
  if (block.type === 'rich_text') return (block.elements ?? []).map(richText).join('\n');
  return '';
}

/** Rich text back to Slack's escaped text form, so the same decoding applies to every source. */
function richText(element: RichElement): string {
  switch (element.type) {
    case 'text':
      return escapeSlackText(typeof element.text === 'string' ? element.text : '');
    case 'link': {
      // In Slack's wire form a URL is escaped like text, and a '|' would end it early.
      const url = escapeSlackText(element.url ?? '').replace(/\|/g, '%7C');
      return element.text ? `<${url}|${escapeSlackText(String(element.text))}>` : `<${url}>`;
    }
    case 'broadcast':
      return `<!${element.range ?? 'here'}>`;
    case 'usergroup':
      return `<!subteam^${element.usergroup_id}>`;
    case 'date':
      return escapeSlackText(element.fallback ?? '');
    case 'user':
      return `<@${element.user_id}>`;
    case 'channel':
      return `<#${element.channel_id}>`;
    case 'emoji':
      return `:${element.name}:`;
    case 'rich_text_list':
      return (element.elements ?? []).map((e) => `• ${richText(e)}`).join('\n');
    default:
      return (element.elements ?? []).map(richText).join('');
  }
}
