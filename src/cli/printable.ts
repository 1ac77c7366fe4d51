const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from the store (descriptions, tags: anyone with write access to a shared account sets them) made
 * safe for a terminal: control characters are shown escaped, never sent to it.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control and bidirectional-override characters, on purpose
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`);
  });
}
