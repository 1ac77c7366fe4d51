import { GLOBAL_SETTINGS, SETTINGS, type GlobalSettingName } from '../config.js';

/**
 * A hint that suggests a command (`list this scope with: scoped get secret --project x`) must name the
 * same secrets the user was looking at: `--org other` or `--region eu-west-1` given on the command line
 * go into every suggested command. Only the command line's: a setting from the environment or a config
 * file applies to the suggested command by itself.
 */

/** The command tree's words as plain data: each command's names (and aliases) and the words below it. */
export interface CommandWords {
  readonly [word: string]: CommandWords;
}

/**
 * The command words of the tree as data (completion/tree.ts `CommandSpec`, which the build writes next to the bundle:
 * command-tree.json): what program.ts's commandWords reads from commander's tree, for the hot entry, which has no
 * commander. The data holds what help shows: a hidden command (`__complete`) is not in it, and no hint suggests one.
 */
export function specWords(spec: TreeNode): CommandWords {
  const words: Record<string, CommandWords> = Object.create(null) as Record<string, CommandWords>;
  for (const sub of spec.subcommands ?? []) {
    const below = specWords(sub);
    for (const name of [sub.name, ...(sub.aliases ?? [])]) words[name] = below;
  }
  return words;
}

/** The part of a `CommandSpec` that names commands. */
export interface TreeNode {
  readonly name?: string;
  readonly aliases?: readonly string[];
  readonly subcommands?: readonly (TreeNode & { readonly name: string })[];
}

/** What a hint needs: the flags as typed words, and the tree that says where a suggested command's words end. */
export interface GivenFlags {
  readonly words: string;
  readonly commands: CommandWords;
}

/**
 * The global settings that say where secrets are. Not those that say how to read them (--timeout, --cache,
 * --fallback, --max-age, --offline): a suggested command is often one they do not apply to (`scoped pin`), and
 * a switch would be written as `--cache true`, which no command takes.
 */
const HOW: readonly GlobalSettingName[] = ['timeout', 'cache', 'fallback', 'maxAge', 'offline'];
const WHERE: readonly GlobalSettingName[] = GLOBAL_SETTINGS.filter((s) => !HOW.includes(s));

/** A word a POSIX shell reads back as it is: quoted when it holds anything but plain characters. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `--org other --region eu-west-1`: the where-flags among the global flag values, in a stable order. */
export function givenWords(values: Readonly<Partial<Record<GlobalSettingName, unknown>>>): string {
  const words: string[] = [];
  for (const name of WHERE) {
    const v = values[name];
    if (typeof v === 'string') words.push(`${SETTINGS[name].flag} ${shellWord(v)}`);
  }
  return words.join(' ');
}

/**
 * `text` with the given flags in each suggested command (`scoped get secret NOPE` -> `scoped get secret
 * NOPE --org other`): after `scoped`, as many following words as name a command in the tree, and the
 * arguments after them (words up to the first flag, `--`, or punctuation that ends the command). A
 * `scoped` not followed by a command's name (`scoped will not overwrite it`) is left alone.
 */
export function withGivenFlags(text: string, given: GivenFlags | undefined): string {
  if (given === undefined || given.words === '') return text;
  return text.replace(/(?<![\w/-])scoped((?: [^\s`,;()'"-][^\s`,;()'"]*)+)/g, (whole, tail: string) => {
    const words = tail.slice(1).split(' ');
    let node: CommandWords | undefined = given.commands;
    let used = 0;
    while (used < words.length && node !== undefined && Object.hasOwn(node, words[used] as string)) {
      node = node[words[used] as string];
      used += 1;
    }
    return used === 0 ? whole : `${whole} ${given.words}`;
  });
}
