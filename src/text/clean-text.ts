/**
 * Characters that have no business in an Asana task: C0 and C1 control characters (other than tab and
 * newline) and the bidirectional overrides and isolates that make `gnp.exe` read as `exe.png`.
 */
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Text for notes and comments: unwanted characters removed, line breaks kept. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNWANTED, '');
}

/** A task name: one line, unwanted characters removed, runs of space collapsed. */
export function cleanName(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}
