import { escapeSlackText } from './slack-text';

/**
 * Asana rich text (`html_notes`, `html_text`) to Slack mrkdwn.
 *
 * Every piece of Asana text is Slack-escaped (`&`, `<`, `>`), so the only `<` in the result opens a
 * link token we built ourselves from an http(s) or mailto address: nothing Asana holds can become
 * `<!here>`, `<@U…>` or `<#C…>` and ping anyone. Asana mentions become plain "@Name" words.
 *
 * The parser is a small hand-written one: Asana promises well-formed XML, and anything else is not
 * worth a runtime dependency. It never throws; input it cannot read falls back to the plain text
 * the caller has, or to the text with the tags stripped.
 */

interface XmlElement {
  kind: 'element';
  name: string;
  attributes: Map<string, string>;
  children: XmlNode[];
}

type XmlNode = XmlElement | { kind: 'text'; text: string };

interface RenderContext {
  /** Markers already open around this node, so nested `<strong>` does not print `**`. */
  active: Set<string>;
}

/** Elements written without a closing tag in HTML; tolerated here in case Asana sends `<hr>`. */
const VOID_ELEMENTS = new Set(['hr', 'img', 'br']);

const BLOCK_ELEMENTS = new Set(['ul', 'ol', 'li', 'pre', 'blockquote', 'h1', 'h2', 'hr', 'img', 'table']);

const MARKERS = new Map([
  ['strong', '*'],
  ['b', '*'],
  ['em', '_'],
  ['i', '_'],
  ['s', '~'],
  ['strike', '~'],
  ['del', '~'],
]);

const NAME = '[A-Za-z_][\\w.:-]*';
const START_TAG = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const END_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');

/** Far deeper than anything Asana's editor produces. */
const MAX_DEPTH = 200;

const SAFE_URL = /^(?:https?:\/\/|mailto:)/i;

/** Stands in for `|` in a link label, so the label can never be mistaken for the token's separator. */
const LABEL_BAR = '¦';

const RULE = '———';

/**
 * Asana rich text as Slack mrkdwn. Missing, empty or unreadable rich text gives `fallbackPlain`
 * (Asana's plain `notes` / `text`) escaped for Slack; unreadable rich text with no fallback gives its
 * text with the tags stripped.
 */
export function asanaToSlackMrkdwn(html: string | undefined, fallbackPlain?: string): string {
  const fallback = fallbackPlain === undefined ? undefined : asanaPlainToSlack(fallbackPlain);
  if (html === undefined || html.trim() === '') return fallback ?? '';

  const nodes = parseXml(html);
  if (nodes === undefined) return fallback ?? stripTags(html);

  const mrkdwn = renderFlow(nodes, { active: new Set() });
  // Rich text that renders to nothing (an empty body, empty tags) says less than the plain text.
  return mrkdwn.trim() === '' && fallback !== undefined ? fallback : mrkdwn;
}

/** Asana plain text (`notes`, `name`, `text`) made safe to show in Slack: escaping only. */
export function asanaPlainToSlack(text: string): string {
  return escapeSlackText(text);
}

/** Parses well-formed XML into nodes; undefined when the tags are broken or unbalanced. */
function parseXml(xml: string): XmlNode[] | undefined {
  const root: XmlNode[] = [];
  const open: XmlElement[] = [];
  const children = (): XmlNode[] => (open.length > 0 ? open[open.length - 1].children : root);

  let index = 0;
  while (index < xml.length) {
    const next = xml.indexOf('<', index);
    const textEnd = next === -1 ? xml.length : next;
    if (textEnd > index)
      children().push({ kind: 'text', text: decodeXmlEntities(xml.slice(index, textEnd)) });
    if (next === -1) break;

    if (xml.startsWith('<!--', next)) {
      const end = xml.indexOf('-->', next + 4);
      if (end === -1) return undefined;
      index = end + 3;
    } else if (xml.startsWith('<![CDATA[', next)) {
      const end = xml.indexOf(']]>', next + 9);
      if (end === -1) return undefined;
      children().push({ kind: 'text', text: xml.slice(next + 9, end) });
      index = end + 3;
    } else if (xml.startsWith('<?', next)) {
      const end = xml.indexOf('?>', next + 2);
      if (end === -1) return undefined;
      index = end + 2;
    } else if (xml.startsWith('<!', next)) {
      // A doctype or similar declaration carries no text worth showing.
      const end = xml.indexOf('>', next + 2);
      if (end === -1) return undefined;
      index = end + 1;
    } else if (xml.startsWith('</', next)) {
      END_TAG.lastIndex = next;
      const match = END_TAG.exec(xml);
      if (!match) return undefined;
      index = END_TAG.lastIndex;
      const top = open[open.length - 1];
      if (top?.name === match[1]) open.pop();
      else if (!VOID_ELEMENTS.has(match[1].toLowerCase())) return undefined;
    } else {
      START_TAG.lastIndex = next;
      const match = START_TAG.exec(xml);
      if (!match) return undefined;
      index = START_TAG.lastIndex;
      const element: XmlElement = {
        kind: 'element',
        name: match[1],
        attributes: parseAttributes(match[2]),
        children: [],
      };
      children().push(element);
      if (match[3] !== '/' && !VOID_ELEMENTS.has(match[1].toLowerCase())) open.push(element);
      // Rendering recurses once per level; absurd nesting is treated as unreadable instead of
      // risking a stack overflow.
      if (open.length > MAX_DEPTH) return undefined;
    }
  }
  return open.length === 0 ? root : undefined;
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes.set(match[1].toLowerCase(), decodeXmlEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

/** The five XML entities and numeric references, in one pass; anything else is kept as written. */
function decodeXmlEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,8}|#x[0-9a-fA-F]{1,8}|amp|lt|gt|quot|apos);/g, (_entity, name: string) => {
    switch (name) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    const isXmlChar =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    // XML forbids these references; show a replacement character rather than invent a lone surrogate.
    return isXmlChar ? String.fromCodePoint(code) : '\uFFFD';
  });
}

/**
 * Renders a sequence of nodes. Block elements take whole lines: a line break is added before and
 * after them, the inverse of slackToAsanaRichText dropping the line breaks around the blocks it makes.
 */
function renderFlow(nodes: XmlNode[], context: RenderContext): string {
  let out = '';
  let afterBlock = false;
  for (const node of nodes) {
    const isBlock = node.kind === 'element' && BLOCK_ELEMENTS.has(node.name.toLowerCase());
    const rendered = node.kind === 'text' ? escapeSlackText(node.text) : renderElement(node, context);
    if (rendered === '') {
      // An empty block still ends the line, so the text around it does not run together.
      afterBlock ||= isBlock && out !== '';
      continue;
    }
    if (isBlock ? out !== '' : afterBlock) out += '\n';
    out += rendered;
    afterBlock = isBlock;
  }
  return out;
}

function renderElement(element: XmlElement, context: RenderContext): string {
  const name = element.name.toLowerCase();
  const marker = MARKERS.get(name);
  if (marker) return wrapFormatted(element.children, marker, context);

  switch (name) {
    case 'code':
      return wrapLines(escapeSlackText(textContent(element.children)), '`');
    case 'pre': {
      const code = escapeSlackText(textContent(element.children));
      return code === '' ? '' : '```' + code + '```';
    }
    case 'a':
      return renderLink(element);
    case 'ul':
    case 'ol':
      return renderList(element, name === 'ol', context);
    case 'li':
      // An item outside any list: still show it as one.
      return renderListItem('• ', element.children, context);
    case 'blockquote': {
      const quoted = renderFlow(element.children, context);
      if (quoted === '') return '';
      return quoted
        .split('\n')
        .map((line) => (line === '' ? '>' : '> ' + line))
        .join('\n');
    }
    case 'h1':
    case 'h2':
      return wrapFormatted(element.children, '*', context);
    case 'hr':
      return RULE;
    case 'img':
      // Attachment URLs are short-lived signed links; a marker tells the reader something was there.
      return '[image]';
    case 'br':
      return '\n';
    case 'table':
      return tableRows(element)
        .map((row) =>
          row.map((cell) => renderFlow(cell.children, context).replace(/\s*\n\s*/g, ' ')).join(' | '),
        )
        .join('\n');
    default:
      // body, u (Slack has no underline) and tags we do not know: their content.
      return renderFlow(element.children, context);
  }
}

function wrapFormatted(children: XmlNode[], marker: string, context: RenderContext): string {
  if (context.active.has(marker)) return renderFlow(children, context);
  const inner = renderFlow(children, { active: new Set([...context.active, marker]) });
  return wrapLines(inner, marker);
}

/**
 * Slack markers work within one line and only hug non-blank text, so each line is wrapped on its
 * own with its surrounding whitespace kept outside: `<strong>a \nb</strong>` gives `*a* \n*b*`.
 */
function wrapLines(text: string, marker: string): string {
  return text
    .split('\n')
    .map((line) => {
      // Index scans rather than a trimming regex, which backtracks badly on long runs of spaces.
      let start = 0;
      let end = line.length;
      while (start < end && /\s/.test(line[start])) start++;
      while (end > start && /\s/.test(line[end - 1])) end--;
      if (start === end) return line;
      return line.slice(0, start) + marker + line.slice(start, end) + marker + line.slice(end);
    })
    .join('\n');
}

function renderList(list: XmlElement, ordered: boolean, context: RenderContext): string {
  const lines: string[] = [];
  let number = 0;
  for (const child of list.children) {
    if (child.kind === 'element' && child.name.toLowerCase() === 'li') {
      number++;
      lines.push(renderListItem(ordered ? `${number}. ` : '• ', child.children, context));
    } else {
      // Stray content between items: keep it, on its own line.
      const stray =
        child.kind === 'text' ? escapeSlackText(child.text).trim() : renderElement(child, context);
      if (stray !== '') lines.push(stray);
    }
  }
  return lines.join('\n');
}

/** Continuation lines and nested lists are indented under the item's marker. */
function renderListItem(marker: string, children: XmlNode[], context: RenderContext): string {
  const [first, ...rest] = renderFlow(children, context).split('\n');
  const head = first === '' ? marker.trimEnd() : marker + first;
  return [head, ...rest.map((line) => (line === '' ? '' : '    ' + line))].join('\n');
}

function renderLink(link: XmlElement): string {
  const label = textContent(link.children).replace(/\s+/g, ' ').trim();
  const href = (link.attributes.get('href') ?? '').trim();
  const gid = link.attributes.get('data-asana-gid');
  const type = link.attributes.get('data-asana-type');

  // A person: their name as plain words, never a Slack mention.
  if (gid !== undefined && (type === undefined || type === 'user') && label !== '') {
    return escapeSlackText('@' + label.replace(/^@+/, ''));
  }
  if (!SAFE_URL.test(href)) return escapeSlackText(label);

  const url = slackSafeUrl(href);
  if (label === '' || label === href) return `<${url}>`;
  return `<${url}|${escapeSlackText(label.replace(/\|/g, LABEL_BAR))}>`;
}

/**
 * The address as Slack expects it inside `<…>`: `&` escaped, and every character that could end the
 * token or its address part (`<`, `>`, `|`, quotes, whitespace, controls) percent-encoded.
 */
function slackSafeUrl(href: string): string {
  return href
    .replace(/[\s<>|"\u0000-\u001f\u007f]|[\uD800-\uDFFF]/gu, (char) =>
      /[\uD800-\uDFFF]/u.test(char) ? '%EF%BF%BD' : encodeURIComponent(char),
    )
    .replace(/&/g, '&amp;');
}

/** All text below these nodes, tags ignored: for code, link labels and unreadable markup. */
function textContent(nodes: XmlNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (node.kind === 'text') text += node.text;
    else if (node.name.toLowerCase() === 'br') text += '\n';
    else text += textContent(node.children);
  }
  return text;
}

/** Rows of a table, looking through thead/tbody/tfoot; each row's td/th cells. */
function tableRows(table: XmlElement): XmlElement[][] {
  const rows: XmlElement[][] = [];
  const visit = (nodes: XmlNode[]): void => {
    for (const node of nodes) {
      if (node.kind !== 'element') continue;
      const name = node.name.toLowerCase();
      if (name === 'tr') {
        rows.push(
          node.children.filter(
            (cell): cell is XmlElement => cell.kind === 'element' && /^t[dh]$/i.test(cell.name),
          ),
        );
      } else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
        visit(node.children);
      }
    }
  };
  visit(table.children);
  return rows;
}

/** Last resort for markup we cannot parse: drop whatever looks like a tag, keep the words. */
function stripTags(html: string): string {
  const text = html.replace(/<[^<>]*>/g, (tag) =>
    /^<\/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|hr|br|tr|table)\b/i.test(tag) ? '\n' : '',
  );
  return escapeSlackText(decodeXmlEntities(text))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
