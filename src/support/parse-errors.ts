/**
 * Parse errors worded without quoting the text they are about: an import source holds secrets, and a
 * parser's own message often carries a stretch of it ("Unexpected token 'h', "{"A": hunter2}" is not
 * valid JSON", yaml's "Unexpected scalar ... "hunter2""). Only a place and what was expected are said.
 */
import { MAX_YAML_DEPTH, tooDeep } from './yaml-depth.js';

/** A place in a text, 1-based, as editors count (columns in UTF-16 units, as the yaml package counts). */
export interface TextPlace {
  line: number;
  col: number;
}

export function placeAt(text: string, offset: number): TextPlace {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, col: offset - lastBreak };
}

export function describePlace(p: TextPlace | undefined): string {
  return p === undefined ? '' : `line ${p.line}, column ${p.col}: `;
}

/** What each of the yaml package's error codes means, said without the text it was raised on. */
const YAML_PROBLEMS: Readonly<Record<string, string>> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an alias that names no anchor',
  BAD_DIRECTIVE: 'a directive this reader does not know',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'wrong indentation',
  BAD_PROP_ORDER: 'anchor and tag in the wrong order',
  BAD_SCALAR_START: 'a plain value cannot start with this character (quote the value)',
  BLOCK_AS_IMPLICIT_KEY: 'a nested mapping where a single-line key and value belong (a value with ": " needs quotes)',
  BLOCK_IN_FLOW: 'a block inside a flow collection',
  DUPLICATE_KEY: 'a key given twice',
  IMPOSSIBLE: 'text the reader cannot read',
  KEY_OVER_1024_CHARS: 'a key longer than 1,024 characters',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  MULTILINE_IMPLICIT_KEY: 'a key that runs over more than one line',
  MULTIPLE_ANCHORS: 'more than one anchor on a node',
  MULTIPLE_DOCS: 'a second document (one mapping per file)',
  MULTIPLE_TAGS: 'more than one tag on a node',
  NON_STRING_KEY: 'a key that is not a string',
  TAB_AS_INDENT: 'a tab used as indentation (indent with spaces)',
  TAG_RESOLVE_FAILED: 'a tag this reader does not know',
  UNEXPECTED_TOKEN: 'unexpected text',
  BAD_COLLECTION_TYPE: 'a collection of the wrong kind for its tag',
  RESOURCE_EXHAUSTION: 'collections nested too deep to read',
};

/** The shape of the yaml package's YAMLError, as far as it is used here. */
export interface YamlProblem {
  code: string;
  linePos?: [TextPlace] | [TextPlace, TextPlace] | undefined;
}

/** `line 2, column 1: a key given twice`, never the text. */
export function describeYamlProblem(e: YamlProblem): string {
  return `${describePlace(e.linePos?.[0])}${YAML_PROBLEMS[e.code] ?? 'text that is not valid YAML'}`;
}

/** In JSON, the yaml package's codes (its JSON schema reads the same text) mean something simpler. */
const JSON_PROBLEMS: Readonly<Record<string, string>> = {
  TAG_RESOLVE_FAILED: 'a value JSON does not have (text needs double quotes; true, false, null and numbers are written plainly)',
  MISSING_CHAR: 'a closing quote, bracket or brace is missing',
  UNEXPECTED_TOKEN: 'unexpected text after the value or a missing comma',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a string',
};

/** `line 1, column 70: collections nested more than 64 levels deep`, or undefined when the text is not (see yaml-depth.ts). */
export function describeTooDeep(text: string): string | undefined {
  const at = tooDeep(text);
  return at === undefined ? undefined : `${describePlace(placeAt(text, at))}collections nested more than ${MAX_YAML_DEPTH} levels deep`;
}

export function describeJsonProblem(e: YamlProblem): string {
  return `${describePlace(e.linePos?.[0])}${JSON_PROBLEMS[e.code] ?? 'text that is not valid JSON'}`;
}
