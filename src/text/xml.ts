/** Characters XML 1.0 forbids (control characters but tab and line breaks, lone surrogates, U+FFFE/F). */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text without the characters XML 1.0 forbids, which Asana would refuse with a 400. */
export function stripXmlForbidden(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

/** Text for an XML element: forbidden characters dropped, `& < >` escaped. */
export function escapeXmlText(text: string): string {
  return stripXmlForbidden(text).replace(/[&<>]/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;',
  );
}

/** Text for a double-quoted XML attribute. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;');
}

/** Adds already-escaped XML at the end of an Asana rich text `<body>`. */
export function appendToBody(html: string, xml: string): string {
  return html.replace(/<\/body>$/, `${xml}</body>`);
}
