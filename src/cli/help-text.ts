import type { ArgSpec, CommandSpec, OptionSpec } from '../completion/tree.js';

/**
 * `--help` rendered from the command tree's data: the same text whether commander built the tree (the
 * full program) or the build wrote it as JSON (the fast path, which loads no commander at all).
 */

/** Help fits the terminal; piped, 80 columns (as commander does). */
export function helpWidth(stream: { isTTY?: boolean | undefined; columns?: number | undefined }): number {
  return stream.isTTY === true && stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
}

/** Greedy word wrap; a word longer than a line is cut into lines of `width`. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const whole of text.split(/\s+/).filter(Boolean)) {
    const chars = [...whole];
    for (let i = 0; i < chars.length; i += width) {
      const word = chars.slice(i, i + width).join('');
      if (line !== '' && [...line].length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

type Item = [term: string, description: string];

function optionDescription(o: OptionSpec): string {
  const extra = [o.choices && `choices: ${o.choices.join(', ')}`, o.defaultValue !== undefined && `default: ${o.defaultValue}`].filter(Boolean);
  return extra.length > 0 ? `${o.description} (${extra.join('; ')})` : o.description;
}

function argDescription(a: ArgSpec): string {
  return a.choices ? `${a.description} (choices: ${a.choices.join(', ')})` : a.description;
}

/** What a subcommand's line in its parent's list shows: `resolve [KEY...]`, `secret|secrets [KEY]`. */
function subcommandTerm(c: CommandSpec): string {
  const name = [c.name, ...c.aliases].join('|');
  const usage = c.usage.replace(/^\[options\]\s*/, '');
  return usage ? `${name} ${usage}` : name;
}

/** The ancestors' options (`--org`, `-o` ...), which commander accepts after the subcommand too. */
function globalOptions(path: readonly CommandSpec[]): OptionSpec[] {
  const own = new Set((path[path.length - 1]?.options ?? []).flatMap((o) => [o.long, o.short]).filter(Boolean));
  const out: OptionSpec[] = [];
  for (const cmd of path.slice(0, -1).reverse()) {
    for (const o of cmd.options) {
      if (o.long === '--help' || o.long === '--version' || own.has(o.long) || own.has(o.short)) continue;
      out.push(o);
      [o.long, o.short].forEach((f) => f && own.add(f));
    }
  }
  return out;
}

function section(title: string, items: Item[], pad: number, width: number): string[] {
  if (items.length === 0) return [];
  const room = width - pad - 4;
  const lines = [title];
  for (const [term, description] of items) {
    if (description === '') lines.push(`  ${term}`);
    else if (room < 24) {
      // Too narrow for two columns: the description under its term.
      lines.push(`  ${term}`, ...wrapWords(description, Math.max(width - 6, 20)).map((l) => `      ${l}`));
    } else {
      const [first, ...rest] = wrapWords(description, room);
      lines.push(`  ${term.padEnd(pad)}  ${first}`, ...rest.map((l) => `${' '.repeat(pad + 4)}${l}`));
    }
  }
  return [...lines, ''];
}

/** The help of the last command of `path` (root first), fitted to `width` columns. */
export function renderHelp(path: readonly CommandSpec[], width: number): string {
  const cmd = path[path.length - 1] as CommandSpec;
  const args: Item[] = cmd.args.some((a) => a.description) ? cmd.args.map((a) => [a.name, argDescription(a)]) : [];
  const options: Item[] = cmd.options.map((o) => [o.flags, optionDescription(o)]);
  const globals: Item[] = globalOptions(path).map((o) => [o.flags, optionDescription(o)]);
  const commands: Item[] = cmd.subcommands.map((c) => [subcommandTerm(c), c.description]);
  const pad = Math.max(...[...args, ...options, ...globals, ...commands].map(([t]) => t.length), 0);
  const usage = `Usage: ${[...path.map((c) => c.name), cmd.usage].filter(Boolean).join(' ')}`;
  const out = [usage, ''];
  if (cmd.description) out.push(...wrapWords(cmd.description, width), '');
  out.push(
    ...section('Arguments:', args, pad, width),
    ...section(cmd.subcommandsHeading ?? 'Commands:', commands, pad, width),
    ...section('Options:', options, pad, width),
    ...section('Global options:', globals, pad, width),
  );
  if (cmd.examples.length > 0) {
    out.push('Examples:', ...cmd.examples.map((e) => (e.startsWith('#') ? `  ${e}` : `  $ ${e}`)), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
