/** What every hidden value is replaced with. */
export const REDACTED = '[redacted]';

/** Scrubs secrets out of log data; built once with the secret values the process holds. */
export interface Redactor {
  /** Returns a plain, acyclic, JSON-friendly copy of `input` with secrets replaced. Never throws. */
  value(input: unknown): unknown;
  /** Returns `input` with every registered secret and every token-shaped string replaced. */
  text(input: string): string;
}

// Keys whose values are hidden whatever they hold (Slack's own web-api redacts the same way).
const SENSITIVE_KEY = /token|secret|authorization|password|cookie|signature/i;

// Credentials recognisable by shape, caught even when nobody registered them (a user token pasted
// into a message, a token from another workspace echoed in an API error).
const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  // Slack bot, user, app-config, refresh and legacy tokens, then app-level tokens.
  [/xox[abposre]-[A-Za-z0-9-]+/g, REDACTED],
  [/xapp-[A-Za-z0-9-]+/g, REDACTED],
  // Asana personal access tokens: "<version>/<user gid>[/<app gid>]:<32 hex>".
  [/\b\d\/\d{8,}(?:\/\d{8,})?:[0-9a-f]{32}\b/g, REDACTED],
  // Slack response_urls and incoming-webhook URLs: anyone holding one can post for a while.
  [/https:\/\/hooks\.slack\.com\/[A-Za-z0-9/_.%-]+/g, `https://hooks.slack.com/${REDACTED}`],
  // Credentials in Authorization headers rendered as text.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // name=value pairs named like sensitive keys: ?token=... in a URL, token=...&... in a form body.
  // Names are word-like so a match cannot stretch back across a JSON line; values stop at quotes and
  // backslashes so replacing one inside a rendered JSON string keeps the JSON valid.
  [
    new RegExp(`((?:^|[?&;\\s"'])[\\w.[\\]-]*(?:${SENSITIVE_KEY.source})[\\w.[\\]-]*=)[^&#\\s"'\\\\]+`, 'gi'),
    `$1${REDACTED}`,
  ],
  // "name":"value" pairs in JSON that was stringified before it reached us (Bolt logs bodies that way).
  [
    new RegExp(`("[^"]*(?:${SENSITIVE_KEY.source})[^"]*"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, 'gi'),
    `$1${REDACTED}"`,
  ],
];

// Deep enough for any payload we log on purpose; deeper usually means an SDK object nobody needs to read.
const MAX_DEPTH = 10;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The forms a secret takes in text: as is, percent-encoded (inside a URL) and JSON-escaped (inside
 * a body some library stringified before logging).
 */
function secretForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

/** Builds a redactor that also hides the given secret values wherever they appear. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = [...new Set(secrets.filter((s) => s.length > 0).flatMap(secretForms))];
  // Longest first so a secret that contains another is replaced whole; one pass so a replacement is
  // never matched again.
  forms.sort((a, b) => b.length - a.length);
  const secretPattern = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;

  const text = (input: string): string => {
    let out = secretPattern ? input.replace(secretPattern, REDACTED) : input;
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };

  // `ancestors` holds only the objects on the current path, so an object referenced twice is
  // written twice and only a real cycle becomes a marker.
  const walk = (input: unknown, ancestors: Set<object>): unknown => {
    switch (typeof input) {
      case 'string':
        return text(input);
      case 'number':
      case 'boolean':
      case 'undefined':
        return input;
      case 'bigint':
      case 'symbol':
        return text(input.toString());
      case 'function':
        return `[function ${input.name || 'anonymous'}]`;
    }
    if (input === null) return null;

    const object = input as object;
    if (ancestors.has(object)) return '[circular]';
    if (ancestors.size >= MAX_DEPTH) return '[truncated]';
    ancestors.add(object);
    try {
      return walkObject(object, ancestors);
    } catch {
      // Only exotic objects get here (revoked proxies, throwing traps): lose this value, keep the line.
      return '[unloggable value]';
    } finally {
      ancestors.delete(object);
    }
  };

  const walkObject = (object: object, ancestors: Set<object>): unknown => {
    // Bytes are never worth a log line and may hold anything.
    if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
      return `[binary ${object.byteLength} bytes]`;
    }
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
    if (Array.isArray(object)) return object.map((item) => walk(item, ancestors));
    if (object instanceof Set) return [...object].map((item) => walk(item, ancestors));
    // As an object, so the key rules apply to string keys; other keys are rare enough to stringify.
    if (object instanceof Map) {
      return walk(Object.fromEntries([...object].map(([key, value]) => [String(key), value])), ancestors);
    }

    const out: Record<string, unknown> = {};
    if (object instanceof Error) {
      // name, message, stack and cause are not enumerable, so a plain copy would drop them.
      out.name = text(String(object.name));
      out.message = text(String(object.message));
      if (object.stack !== undefined) out.stack = text(String(object.stack));
      if ('cause' in object) out.cause = walk(object.cause, ancestors);
      if (object instanceof AggregateError) out.errors = walk(object.errors, ancestors);
    } else if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      // URL and similar classes say how they want to be written; their fields say nothing useful.
      return walk((object as { toJSON(): unknown }).toJSON(), ancestors);
    }

    for (const key of Object.keys(object)) {
      out[text(key)] = SENSITIVE_KEY.test(key) ? REDACTED : walk(readProperty(object, key), ancestors);
    }
    return out;
  };

  return { text, value: (input) => walk(input, new Set()) };
}

/** Reads a property that may be a throwing getter, so one bad field cannot lose the object around it. */
function readProperty(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}
