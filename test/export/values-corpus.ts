/** Values that change type, break parsing or read back different in some reader. Keys are valid names. */
export const HARD: [string, string][] = [
  ['YES', 'yes'], ['OFF', 'off'], ['ON', 'On'], ['Y', 'y'], ['NO', 'NO'], ['TRUE', 'true'],
  ['TIME', '12:30'], ['SEXAGESIMAL', '190:20:30'], ['DATE', '2024-01-02'], ['DATETIME', '2001-12-14t21:59:43.10-05:00'],
  ['UNDERSCORE_INT', '1_000'], ['OCTAL', '0o17'], ['OLD_OCTAL', '017'], ['HEX', '0x1F'], ['FLOAT', '1e3'], ['INF', '.inf'], ['NAN', '.NaN'],
  ['TILDE', '~'], ['NULL', 'null'], ['EMPTY', ''], ['SPACE', ' '], ['SPACES', '  padded  '], ['TAB', '\tx\t'],
  ['NEWLINES', 'line 1\nline 2\n\nline 4\n'], ['CRLF', 'a\r\nb\r'], ['LONE_CR', 'a\rb'],
  ['HASH', 'value # not a comment'], ['HASH_START', '#start'], ['COLON', 'key: value'], ['DASH', '- item'], ['QMARK', '? x'],
  ['FLOW', '{a: 1, b: [2]}'], ['ANCHOR', '&a *b !tag |'], ['PERCENT', '%YAML 1.1'], ['DOC', '---'],
  ['SINGLE', "it's"], ['DOUBLE', 'say "hi"'], ['BACKTICK', 'run `id` now'], ['ALL_QUOTES', `one line: '"\``],
  ['DOLLAR', '$HOME $(whoami) $'], ['BRACE_VAR', '${HOME}'], ['BRACE_DEFAULT', 'x${NOPE:-fallback}y'], ['BRACE_OPEN', '${'],
  ['BACKSLASH', 'C:\\new\\table \\n \\\\'], ['DOUBLE_BACKSLASH', 'a\\\\b'], ['TRAILING_BACKSLASH', 'ends with \\'],
  ['EQUALS', 'a=b=c'], ['UNICODE', 'pässwörd ✓ 密码 🔑'], ['BOM', '\ufeffbom'],
  ['ESC', 'red \u001b[31m x \u001b]0;title\u0007'], ['C1', 'a\u0085b\u009bc\u007f'], ['LINE_SEP', 'a\u2028b\u2029c'],
  ['BIDI', 'abc\u202edcba'], ['NBSP', '\u00a0x\u00a0'], ['EXCLAIM', 'hi!there'], ['LONG', 'x'.repeat(5000)],
];
