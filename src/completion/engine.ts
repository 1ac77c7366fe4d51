import { findSubcommand, type ArgSpec, type CommandSpec, type OptionSpec } from './tree.js';

export interface Candidate {
  value: string;
  description?: string | undefined;
}

/** How KEY arguments complete: management commands use the scope on the line, deployment commands resolve. */
export type KeyMode = 'at-scope' | 'deleted-at-scope' | 'elsewhere-in-org' | 'deployment';

/** What to offer for the word at the cursor. Only `projects`, `domains` and `keys` touch the store. */
export type Source =
  | { kind: 'none' }
  | { kind: 'static'; candidates: Candidate[] }
  | { kind: 'files' }
  /** The words from `at` on (after the line's `--`) are a command line of its own (`run -- CMD ARGS...`): the shell completes it. */
  | { kind: 'command'; at: number }
  | { kind: 'projects' }
  | { kind: 'domains' }
  | { kind: 'keys'; mode: KeyMode; exclude: string[] }
  /** `P/D` addresses (diff's DEPLOYMENT..., check's --deployment PROJECT/DOMAIN), less those already on the line. */
  | { kind: 'deployments'; exclude: string[] };

export interface LineAnalysis {
  source: Source;
  /** Text of the current word before the part being completed (`--output=`, `-o`): candidates carry it. */
  lead: string;
  /** The part being completed: candidates must start with it. */
  partial: string;
  /** Values of options typed on the line, by commander attribute (`org`, `endpointUrl`, `project`). */
  values: Record<string, string>;
  /** Command names from the root down, e.g. `['scoped', 'get', 'secret']`. */
  path: string[];
}

interface State {
  path: CommandSpec[];
  positionals: string[];
  used: Set<OptionSpec>;
  values: Record<string, string>;
  afterDashDash: boolean;
  /** Where the words after `--` start. */
  childAt?: number;
}

/** Options usable at the current command: its own, then its ancestors' (commander accepts those anywhere). */
function usable(path: CommandSpec[]): OptionSpec[] {
  const seen = new Set<string>();
  const out: OptionSpec[] = [];
  for (const cmd of [...path].reverse()) {
    for (const o of cmd.options) {
      const id = o.long ?? o.short ?? '';
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(o);
    }
  }
  return out;
}

const current = (s: State): CommandSpec => s.path[s.path.length - 1] as CommandSpec;
const byLong = (s: State, flag: string) => usable(s.path).find((o) => o.long === flag);
const byShort = (s: State, flag: string) => usable(s.path).find((o) => o.short === flag);

/** Reads the finished words; returns the option still waiting for its value, if any. */
function consume(s: State, words: string[]): OptionSpec | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const hasNext = i + 1 < words.length;
    if (s.afterDashDash || w === '-' || !w.startsWith('-')) {
      const sub = s.afterDashDash || s.positionals.length > 0 ? undefined : findSubcommand(current(s), w);
      if (sub) s.path.push(sub);
      else s.positionals.push(w);
      continue;
    }
    if (w === '--') {
      s.afterDashDash = true;
      s.childAt = i + 1;
      continue;
    }
    const inline = parseOptionWord(s, w);
    if (!inline) continue;
    s.used.add(inline.option);
    if (!inline.option.takesValue) continue;
    if (inline.value !== undefined) s.values[inline.option.attribute] = inline.value;
    else if (hasNext) s.values[inline.option.attribute] = words[++i] as string;
    else return inline.option;
  }
  return undefined;
}

/** `--org=x`, `--org`, `-o`, `-ojson`, `-qy`: the (last) option in the word and any value attached to it. */
function parseOptionWord(s: State, w: string): { option: OptionSpec; value?: string; lead: string } | undefined {
  if (w.startsWith('--')) {
    const eq = w.indexOf('=');
    const option = byLong(s, eq < 0 ? w : w.slice(0, eq));
    if (!option) return undefined;
    return eq < 0 ? { option, lead: w } : { option, value: w.slice(eq + 1), lead: w.slice(0, eq + 1) };
  }
  let found: { option: OptionSpec; value?: string; lead: string } | undefined;
  for (let j = 1; j < w.length; j++) {
    const option = byShort(s, `-${w[j]}`);
    if (!option) return found;
    if (found) s.used.add(found.option);
    if (j + 1 < w.length && option.takesValue) return { option, value: w.slice(j + 1), lead: w.slice(0, j + 1) };
    found = { option, lead: w };
  }
  return found;
}

/** Dynamic and file values are chosen by the name the help gives the value: `<project>`, `<path>`, `KEY`. */
function sourceFor(valueName: string | undefined, choices: readonly string[] | undefined, s: State): Source {
  if (choices) return { kind: 'static', candidates: choices.map((value) => ({ value })) };
  const name = (valueName ?? '').toLowerCase().replace(/\.\.\.$/, '');
  if (name === 'project') return { kind: 'projects' };
  if (name === 'domain') return { kind: 'domains' };
  if (name === 'deployment' || name === 'project/domain') return { kind: 'deployments', exclude: s.positionals };
  if (name === 'key' || name.startsWith('key[')) return { kind: 'keys', mode: keyMode(s), exclude: s.positionals };
  if (['path', 'file', 'dir', 'directory', 'template'].includes(name)) return { kind: 'files' };
  if (name === 'cmd') return s.afterDashDash ? { kind: 'command', at: s.childAt ?? 0 } : { kind: 'static', candidates: [DASH_DASH] };
  return { kind: 'none' };
}

/** What `run` wants before its command (commander reads the command's own flags as run's without it). */
const DASH_DASH: Candidate = { value: '--', description: 'then the command to run and its arguments' };

/**
 * Top-level commands with a KEY (`resolve`, `run --only`) work on a deployment; `<verb> secret KEY` works
 * on the scope its flags name (DESIGN: "Scope of management commands comes from their flags only").
 */
function keyMode(s: State): KeyMode {
  if (s.path.length <= 2) return 'deployment';
  const verb = s.path[1]?.name;
  if (verb === 'create') return 'elsewhere-in-org';
  if (verb === 'restore') return 'deleted-at-scope';
  return 'at-scope';
}

function optionCandidates(s: State): Candidate[] {
  const out: Candidate[] = [];
  for (const o of usable(s.path)) {
    if (s.used.has(o) && !o.repeatable) continue;
    for (const flag of [o.long, o.short]) if (flag) out.push({ value: flag, description: o.description });
  }
  return out;
}

function positionalSource(s: State): Source {
  const cmd = current(s);
  if (cmd.subcommands.length > 0 && s.positionals.length === 0) {
    return { kind: 'static', candidates: cmd.subcommands.map((c) => ({ value: c.name, description: c.description })) };
  }
  const last = cmd.args[cmd.args.length - 1];
  const arg: ArgSpec | undefined = cmd.args[s.positionals.length] ?? (last?.variadic ? last : undefined);
  return arg ? sourceFor(arg.name, arg.choices, s) : { kind: 'none' };
}

/**
 * What completes the last word of `words` (the words after the program name, the last one cut at the
 * cursor, possibly empty), read against the command tree. Pure: no store, no config, no I/O.
 */
export function analyseLine(root: CommandSpec, words: readonly string[]): LineAnalysis {
  const s: State = { path: [root], positionals: [], used: new Set(), values: {}, afterDashDash: false };
  const cur = words[words.length - 1] ?? '';
  const pending = consume(s, words.slice(0, -1));
  const result = (source: Source, lead = '', partial = cur): LineAnalysis => ({
    source,
    lead,
    partial,
    values: s.values,
    path: s.path.map((c) => c.name),
  });
  if (pending) return result(sourceFor(pending.valueName, pending.choices, s));
  if (!s.afterDashDash && cur.startsWith('-') && cur !== '-' && cur !== '--') {
    const inline = parseOptionWord(s, cur);
    if (inline?.value !== undefined) return result(sourceFor(inline.option.valueName, inline.option.choices, s), inline.lead, inline.value);
  }
  if (!s.afterDashDash && cur.startsWith('-')) return result({ kind: 'static', candidates: optionCandidates(s) });
  return result(positionalSource(s));
}

/**
 * `scoped get secret -p x --help`: the commands the help is for, when the line asks for help in a way
 * the data answers exactly as commander would: every word a subcommand, a known option (with its value)
 * or an expected positional, `-h`/`--help` among the options (not a value, not after `--`). Anything
 * else (an unknown word, `--version`) is undefined, and commander decides.
 */
export function helpRequest(root: CommandSpec, words: readonly string[]): CommandSpec[] | undefined {
  const s: State = { path: [root], positionals: [], used: new Set(), values: {}, afterDashDash: false };
  let help = words.length === 0;
  for (let i = 0; i < words.length && words[i] !== '--'; i++) {
    const w = words[i] as string;
    if (w === '--help' || w === '-h') help = true;
    else if (w === '--version' || w === '-V') return undefined;
    else if (w.startsWith('-') && w !== '-') {
      const found = knownOption(s, w);
      if (!found) return undefined;
      if (found.option.takesValue && found.value === undefined) {
        // `-p -h`: commander refuses a flag where a value belongs (options.ts), help or not.
        const value = words[++i];
        if (value === undefined || (value.startsWith('-') && value !== '-')) return undefined;
      }
    } else {
      const cmd = current(s);
      const sub = s.positionals.length === 0 ? findSubcommand(cmd, w) : undefined;
      // `get -h secret`: commander shows the help of the command the flag came with; left to it.
      if (sub && help) return undefined;
      if (sub) s.path.push(sub);
      else if (cmd.subcommands.length > 0 || !fitsArgs(cmd, s.positionals.length + 1)) return undefined;
      else s.positionals.push(w);
    }
  }
  return help ? s.path : undefined;
}

/** `--org`, `--org=x`, `-p`, `-pbilling`; clusters (`-qy`) and anything unknown are left to commander. */
function knownOption(s: State, w: string): { option: OptionSpec; value?: string } | undefined {
  if (w.startsWith('--')) {
    const eq = w.indexOf('=');
    const option = byLong(s, eq < 0 ? w : w.slice(0, eq));
    if (!option || (eq >= 0 && !option.takesValue)) return undefined;
    return eq < 0 ? { option } : { option, value: w.slice(eq + 1) };
  }
  const option = byShort(s, w.slice(0, 2));
  if (!option) return undefined;
  if (w.length === 2) return { option };
  return option.takesValue ? { option, value: w.slice(2) } : undefined;
}

function fitsArgs(cmd: CommandSpec, count: number): boolean {
  return count <= cmd.args.length || cmd.args[cmd.args.length - 1]?.variadic === true;
}
