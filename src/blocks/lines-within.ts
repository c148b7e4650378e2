/**
 * Joins whole lines of mrkdwn until `max` characters, then says how many were left out. Cutting a joined
 * string instead could split a `<url|label>` link and break the message.
 */
export function linesWithin(lines: string[], max: number, more: (left: number) => string): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const footer = index < lines.length - 1 ? more(lines.length - index - 1).length + 1 : 0;
    if (length + line.length + 1 + footer > max) {
      kept.push(more(lines.length - index));
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}
