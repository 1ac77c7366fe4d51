import { analyseLine, type Candidate, type LineAnalysis, type Source } from './engine.js';
import type { NamesDeps } from './org-names.js';
import { commandDirective, FILES_DIRECTIVE, formatCandidates, joinBashWords, SHELLS, type Directive, type Shell } from './protocol.js';
import type { IO } from '../io.js';
import type { CommandSpec } from './tree.js';

/** How long a Tab may wait for the store before completing nothing. */
export const BUDGET_MS = 300;

export interface CompleteDeps extends NamesDeps {
  cwd: string;
  budgetMs: number;
}

/**
 * Config, names and the store only for these (commands and flags load none of it). Loading our own
 * code is not the store's time: the budget starts after it.
 */
async function storeCandidates(
  line: LineAnalysis,
  source: Extract<Source, { kind: 'projects' | 'domains' | 'keys' | 'deployments' }>,
  words: readonly string[],
  deps: CompleteDeps,
): Promise<Candidate[]> {
  const side = await import('./store-source.js');
  const deadline = deps.now() + deps.budgetMs;
  return within(deps.budgetMs, () => side.fromStore(line, source, words, deps, deadline));
}

/** The work, or nothing once the budget is spent or on any error: Tab never prints an error. */
async function within<T>(ms: number, work: () => Promise<T[]>): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T[]>((resolve) => {
    timer = setTimeout(resolve, ms, []);
  });
  const attempt = work().catch(() => [] as T[]);
  return Promise.race([attempt, timeout]).finally(() => clearTimeout(timer));
}

function candidates(line: LineAnalysis, words: readonly string[], deps: CompleteDeps): Promise<Candidate[]> {
  const source = line.source;
  switch (source.kind) {
    case 'static':
      return Promise.resolve(source.candidates);
    case 'none':
    case 'files':
    case 'command':
      return Promise.resolve([]);
    default:
      return storeCandidates(line, source, words, deps);
  }
}

/**
 * The answer to `scoped __complete <shell> -- <words...>`: what completes the last word. Commands, flags
 * and choices come from the tree alone; only project, domain, deployment and KEY values read the store's names.
 */
export async function completeWords(root: CommandSpec, shell: Shell, raw: readonly string[], deps: CompleteDeps): Promise<string> {
  const { words, cut, starts } = shell === 'bash' ? joinBashWords(raw) : { words: [...raw], cut: undefined, starts: undefined };
  if (words.length === 0) words.push('');
  const line = analyseLine(root, words);
  const matching = (await candidates(line, words, deps)).filter((c) => c.value.startsWith(line.partial)).map((c) => ({ ...c, value: line.lead + c.value }));
  const source = line.source;
  // The child's first word among the words as the script passed them (bash's may have been glued).
  const directive: Directive | undefined = source.kind === 'files' ? FILES_DIRECTIVE : source.kind === 'command' ? commandDirective(starts?.[source.at] ?? source.at) : undefined;
  return formatCandidates(shell, matching, directive, cut);
}

/** `__complete <shell|refresh> -- <words...>`; anything else is no request at all. */
export interface CompleteOptions {
  mode: Shell | 'refresh';
  words: string[];
}

export function buildCompleteOptions(args: string[]): CompleteOptions | undefined {
  const [mode, ...words] = args;
  if (mode !== 'refresh' && !SHELLS.includes(mode as Shell)) return undefined;
  return { mode: mode as CompleteOptions['mode'], words };
}

/**
 * Whatever goes wrong, a Tab prints nothing and succeeds: never garbage in the user's shell. `spec` is
 * the tree's data: cli/fast-path.ts answers a Tab from the build's JSON copy of it, without commander.
 */
export async function runComplete(io: IO, spec: CommandSpec, o: CompleteOptions | undefined, deps: CompleteDeps): Promise<void> {
  if (!o) return;
  try {
    if (o.mode === 'refresh') return await (await import('./store-source.js')).refreshForLine(spec, o.words, deps);
    io.stdout.write(await completeWords(spec, o.mode, o.words, deps));
  } catch {
    // Nothing: see above.
  }
}
