/**
 * Length limits for text shown in Slack. Slack counts characters against its limits; we count UTF-16
 * code units, which is never fewer than Slack's count, so staying under the limit here is safe there.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Shortens `text` to at most `maxLength` UTF-16 units including the ellipsis. The cut falls on a
 * grapheme boundary, so an emoji, a flag, a ZWJ sequence or a letter with its accents is kept whole
 * or dropped whole, never split into a lone surrogate. When the ellipsis alone does not fit, the
 * text is cut without one.
 */
export function truncate(text: string, maxLength: number, ellipsis = '…'): string {
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new RangeError(`maxLength must be a non-negative integer, got ${maxLength}`);
  }
  if (text.length <= maxLength) return text;

  const marker = ellipsis.length <= maxLength ? ellipsis : '';
  const budget = maxLength - marker.length;
  // End of the last kept grapheme that is not blank: "Fix the…" reads better than "Fix the …".
  let end = 0;
  // Segments are produced lazily, so a 40,000-character message costs only as much as the part kept.
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > budget) break;
    if (!/^\s+$/.test(segment)) end = index + segment.length;
  }
  return text.slice(0, end) + marker;
}

/** The first line with any content, trimmed: a fair title for a multi-line message. */
export function firstLine(text: string): string {
  for (const line of text.split(/\r\n|[\n\r\u2028\u2029]/)) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return '';
}
