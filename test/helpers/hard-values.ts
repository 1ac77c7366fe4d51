/** Values that break naive readers and writers. */
export const HARD_VALUES: Record<string, string> = {
  SINGLE_QUOTE: "it's",
  DOUBLE_QUOTE: 'say "hi"',
  BOTH_QUOTES: `it's "both"`,
  DOLLAR: '$HOME ${USER} $(whoami)',
  BACKTICKS: '`uname` and `id`',
  NEWLINES: 'line1\nline2\n',
  HASH: 'a # not a comment',
  EQUALS: 'k=v=w==',
  UNICODE: 'ünïcødé ☃ 日本語 🔑',
  SPACES: '  padded both sides  ',
  BACKSLASH: 'C:\\path\\n\\t not escapes',
  CR: 'carriage\rreturn',
  /** All three quote characters and a line break: no dotenv form holds it (export refuses it, named). */
  PEM: '-----BEGIN KEY-----\nMIIB$`"\'#=\n-----END KEY-----',
};
