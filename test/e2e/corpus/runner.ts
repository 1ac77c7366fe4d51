/**
 * The bad-input corpus's machinery: one seeded store, built once with the binary itself, copied per case
 * into a fresh HOME; the built binary run against it with bounded parallelism; the store and the working
 * folder hashed before and after. Independent of vitest, so `probe.ts` can print what the binary answers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN as BUILT } from '../../helpers/bin.js';

/** The binary under test: the checkout's build, or a copy of it (CORPUS_BIN) while others rebuild. */
const BIN = process.env.CORPUS_BIN ?? BUILT;

/** The distinctive text every seeded value carries: it must appear in no output of any case. */
export const MARKER = 'Mk7QzXv9-CORPUS-SECRET';

/** A file a case needs in its working folder (or anywhere under its HOME with `~/`). */
export type FileSpec =
  | string
  | Buffer
  | { symlink: string }
  | { fifo: true }
  | { dir: true }
  /** A sparse file of this many bytes (a "huge" file that costs nothing on disk). */
  | { sparse: number; head?: string }
  | { text: string; mode: number }
  /** The seed's pin of web/prod with these keys' version ids replaced. */
  | { pinEdit: Record<string, string> };

export interface Case {
  /** Unique label: `command: what is wrong`. */
  name: string;
  /** After `scoped`. `$CWD`, `$HOME`, `$STORE`, `$MARKER` and the seed's `$V_*` ids are replaced. */
  argv: string[];
  stdin?: string | Buffer;
  /** Relative to the working folder; `~/x` is under HOME. Text has the same replacements as argv. */
  files?: Record<string, FileSpec>;
  env?: Record<string, string>;
  /** The exit code DESIGN.md's table gives (a list where the issue allows either of two answers). */
  exit: number | readonly number[];
  /** What the one error line must say (checked only when given). */
  line?: RegExp;
  /** A documented warning line the command prints before failing (the only extra stderr line allowed). */
  warn?: RegExp;
  /** A success that writes to the store or the working folder on purpose (hostile but valid input). */
  writes?: boolean;
  /** For a success: what stdout must hold. */
  stdout?: RegExp;
  /** Run with --debug: debug lines and a stack trace may follow the one "scoped: ..." line (never a value). */
  debug?: boolean;
  /** Per-case time limit of the spawned process (default 20 s). */
  timeoutMs?: number;
}

export interface Seed {
  /** The seeded store, copied for every case. */
  store: string;
  /** Replacements for argv and file text: `$V_ORG_PREV` (an old version id of DB_PASS at org), ... */
  vars: Record<string, string>;
  root: string;
}

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  storeBefore: string;
  storeAfter: string;
  workBefore: string;
  workAfter: string;
  ms: number;
}

const BASE_ENV = (home: string, store: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  SCOPED_HOME: store,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_CACHE_HOME: join(home, '.cache'),
  // Never a real AWS account: a case that reaches for AWS gets these and a closed endpoint.
  AWS_ACCESS_KEY_ID: 'AKIDCORPUSTEST',
  AWS_SECRET_ACCESS_KEY: 'corpus-not-a-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: join(home, 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
});

function runSync(home: string, store: string, argv: string[], stdin = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: home, env: BASE_ENV(home, store), input: stdin, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`seeding: scoped ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/**
 * The seed: MARKER-carrying values at all four scopes of org `default` (deployment web/prod sees all four),
 * a second org, a JSON-object value, a binary value, two updates (old versions), one secret scheduled for
 * deletion, and a valid pin of web/prod.
 */
export function makeSeed(): Seed {
  const root = mkdtempSync(join(tmpdir(), 'scoped-corpus-'));
  try {
    return seedIn(root);
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

function seedIn(root: string): Seed {
  const home = join(root, 'seed-home');
  const store = join(root, 'seed-store');
  mkdirSync(home);
  const put = (args: string[], value: string): void => void runSync(home, store, ['create', 'secret', ...args], value);
  put(['DB_PASS'], `${MARKER}-org`);
  put(['DB_PASS', '-d', 'prod'], `${MARKER}-domain`);
  put(['DB_PASS', '-p', 'web'], `${MARKER}-project`);
  put(['DB_PASS', '-p', 'web', '-d', 'prod'], `${MARKER}-pd`);
  put(['API_KEY', '-p', 'web'], `${MARKER}-api`);
  put(['TOKEN', '-d', 'prod'], `${MARKER}-token`);
  put(['JSONV'], JSON.stringify({ user: `${MARKER}-user`, pass: `${MARKER}-pass`, port: 5432 }));
  put(['MULTI', '-p', 'web', '-d', 'prod'], `line1 ${MARKER}\nline2 ${MARKER}\n`);
  put(['GONE'], `${MARKER}-gone`);
  put(['OTHER', '--org', 'other'], `${MARKER}-other-org`);
  writeFileSync(join(home, 'bin.dat'), Buffer.concat([Buffer.from([0, 0xff, 0xfe, 1]), Buffer.from(MARKER)]));
  put(['BIN', '-p', 'web', '-d', 'dev', '--from-file', join(home, 'bin.dat')], '');
  runSync(home, store, ['delete', 'secret', 'GONE', '--yes']);
  // A pin of api/dev (org values only) taken before DB_PASS's two updates: pins outlive updates.
  const pinBeforeUpdates = runSync(home, store, ['pin', '-p', 'api', '-d', 'dev', '--out', '-']).stdout;
  runSync(home, store, ['update', 'secret', 'DB_PASS'], `${MARKER}-org-v2`);
  runSync(home, store, ['update', 'secret', 'DB_PASS'], `${MARKER}-org-v3`);
  const versions = JSON.parse(runSync(home, store, ['get', 'secret', 'DB_PASS', '--versions', '-o', 'json']).stdout) as unknown;
  const pin = runSync(home, store, ['pin', '-p', 'web', '-d', 'prod', '--out', '-']).stdout;
  const ids = versionIds(versions);
  const vars: Record<string, string> = { $PIN: pin, $OLD_PIN: pinBeforeUpdates, $V_ORG_CURRENT: ids.current ?? '', $V_ORG_PREV: ids.previous ?? '' };
  return { store, vars, root };
}

/** Version ids of `get secret --versions -o json`, whichever of the documented shapes it is. */
function versionIds(json: unknown): { current?: string; previous?: string } {
  const list: { versionId?: string; id?: string; stages?: string[] }[] = Array.isArray(json) ? json : (((json as { versions?: unknown[] }).versions as never) ?? []);
  const find = (stage: string): string | undefined => {
    const v = list.find((x) => x.stages?.includes(stage));
    return v?.versionId ?? v?.id;
  };
  return { current: find('AWSCURRENT'), previous: find('AWSPREVIOUS') };
}

export function substitute(text: string, vars: Record<string, string>): string {
  // Longest names first, so $V_ORG_PREV is not read as $V_ORG plus text.
  const names = Object.keys(vars).sort((a, b) => b.length - a.length);
  let out = text;
  for (const n of names) out = out.split(n).join(vars[n]!);
  return out;
}

function materialise(base: string, home: string, rel: string, spec: FileSpec, vars: Record<string, string>): void {
  const path = rel.startsWith('~/') ? join(home, rel.slice(2)) : join(base, rel);
  mkdirSync(dirname(path), { recursive: true });
  if (typeof spec === 'string') writeFileSync(path, substitute(spec, vars));
  else if (Buffer.isBuffer(spec)) writeFileSync(path, spec);
  else if ('symlink' in spec) symlinkSync(substitute(spec.symlink, vars), path);
  else if ('fifo' in spec) {
    const r = spawnSync('mkfifo', [path]);
    if (r.status !== 0) throw new Error(`mkfifo ${path} failed`);
  } else if ('dir' in spec) mkdirSync(path, { recursive: true });
  else if ('sparse' in spec) {
    writeFileSync(path, spec.head ?? '');
    truncateSync(path, spec.sparse);
  } else if ('pinEdit' in spec) {
    const pin = JSON.parse(vars.$PIN!) as { secrets: { key: string; versionId: string }[] };
    for (const s of pin.secrets) s.versionId = spec.pinEdit[s.key] ?? s.versionId;
    writeFileSync(path, JSON.stringify(pin, null, 2));
  } else {
    writeFileSync(path, substitute(spec.text, vars));
    chmodSync(path, spec.mode);
  }
}

/**
 * A tree's identity: every entry's path, type, mode and (for files up to 1 MiB) content; symlinks by
 * target, never followed; FIFOs and sockets by type alone.
 */
export function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      h.update(`unreadable ${rel}\n`);
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) h.update(`L ${r} -> ${readlinkSync(p)}\n`);
      else if (st.isDirectory()) {
        h.update(`D ${r} ${mode}\n`);
        walk(p, r);
      } else if (st.isFile()) {
        const body = st.size <= 1 << 20 ? createHash('sha256').update(readFileSync(p)).digest('hex') : `size ${st.size}`;
        h.update(`F ${r} ${mode} ${body}\n`);
      } else h.update(`S ${r} ${mode}\n`);
    }
  };
  walk(root, '');
  return h.digest('hex');
}

/** A listing of the same tree, for a readable failure message when two hashes differ. */
export function treeListing(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      out.push(`${st.isDirectory() ? 'D' : st.isSymbolicLink() ? 'L' : 'F'} ${r} ${st.size}`);
      if (st.isDirectory()) walk(p, r);
    }
  };
  walk(root, '');
  return out;
}

/** A copy with every mode kept (Node 22's cpSync creates folders with the default mode, and the store refuses 755). */
function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  const fix = (src: string, dst: string): void => {
    const st = lstatSync(src);
    if (st.isSymbolicLink()) return;
    chmodSync(dst, st.mode & 0o7777);
    if (st.isDirectory()) for (const name of readdirSync(src)) fix(join(src, name), join(dst, name));
  };
  fix(from, to);
}

/** One case in its own HOME (a copy of the seeded store), the binary spawned and awaited. */
export async function runCase(seed: Seed, c: Case, index: number): Promise<Outcome & { dir: string }> {
  const dir = join(seed.root, `case-${index}`);
  const home = join(dir, 'home');
  const work = join(dir, 'work');
  const store = join(home, 'store');
  mkdirSync(work, { recursive: true });
  copyTree(seed.store, store);
  const vars = { ...seed.vars, $CWD: work, $HOME: home, $STORE: store, $MARKER: MARKER };
  for (const [rel, spec] of Object.entries(c.files ?? {})) materialise(work, home, rel, spec, vars);
  const storeBefore = treeHash(store);
  const workBefore = treeHash(work);
  const argv = [...(c.debug ? ['--debug'] : []), ...c.argv.map((a) => substitute(a, vars))];
  const env = { ...BASE_ENV(home, store), ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, substitute(v, vars)])) };
  const started = Date.now();
  const r = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: Buffer; timedOut: boolean }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: work, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, c.timeoutMs ?? 20_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.stdin.end(typeof c.stdin === 'string' ? substitute(c.stdin, vars) : (c.stdin ?? ''));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut });
    });
  });
  return {
    dir,
    code: r.code,
    signal: r.signal,
    stdout: r.stdout.toString('latin1'),
    stderr: r.stderr.toString('utf8'),
    timedOut: r.timedOut,
    storeBefore,
    storeAfter: treeHash(store),
    workBefore,
    workAfter: treeHash(work),
    ms: Date.now() - started,
  };
}

/** Every case, `limit` at a time; each case's folder removed once its outcome is taken. */
export async function runAll(seed: Seed, cases: readonly Case[], limit: number): Promise<Outcome[]> {
  const results: Outcome[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const { dir, ...o } = await runCase(seed, cases[i]!, i);
      results[i] = o;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** What a case's outcome breaks, in words (empty: it passes). The one rule for every case. */
export function violations(c: Case, o: Outcome): string[] {
  const v: string[] = [];
  if (o.timedOut) v.push(`timed out after ${o.ms} ms`);
  const exits: readonly number[] = typeof c.exit === 'number' ? [c.exit] : c.exit;
  if (o.code === null || !exits.includes(o.code)) v.push(`exit ${o.code}${o.signal ? ` (signal ${o.signal})` : ''}, expected ${exits.join(' or ')}`);
  // Typed or stored text is escaped before it reaches a terminal: no control character but newline and tab.
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(o.stderr)) v.push(`a raw control character on stderr: ${JSON.stringify(o.stderr.slice(0, 300))}`);
  if (o.stdout.includes(MARKER) || o.stderr.includes(MARKER)) v.push('the MARKER value appears in the output');
  const lines = o.stderr.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  if (o.code !== 0) {
    if (o.stdout !== '') v.push(`stdout not empty on failure: ${JSON.stringify(o.stdout.slice(0, 200))}`);
    const errors = lines.filter((l) => !(c.warn && /^warning: /.test(l) && c.warn.test(l)) && !(c.debug && !l.startsWith('scoped: ')));
    if (errors.length !== 1)
      v.push(`${errors.length} stderr lines (expected one "scoped: ..." line${c.warn ? ' plus the documented warning' : ''}): ${JSON.stringify(o.stderr.slice(0, 600))}`);
    else {
      const line = errors[0]!;
      if (!line.startsWith('scoped: ')) v.push(`the error line does not start with "scoped: ": ${JSON.stringify(line.slice(0, 300))}`);
      if (line.length > 1000) v.push(`the error line is ${line.length} characters long`);
      if (/unexpected error/.test(line) && !exits.includes(1)) v.push(`an "unexpected error" line: ${JSON.stringify(line.slice(0, 300))}`);
      if (c.line && !c.line.test(line)) v.push(`the line does not match ${c.line}: ${JSON.stringify(line.slice(0, 400))}`);
    }
  } else {
    if (c.line && !c.line.test(o.stderr)) v.push(`stderr does not match ${c.line}: ${JSON.stringify(o.stderr.slice(0, 400))}`);
    if (c.stdout && !c.stdout.test(o.stdout)) v.push(`stdout does not match ${c.stdout}: ${JSON.stringify(o.stdout.slice(0, 400))}`);
  }
  if (!c.debug && /\n\s+at .+:\d+:\d+/.test(o.stderr)) v.push('a stack trace on stderr');
  if (!c.writes) {
    if (o.storeAfter !== o.storeBefore) v.push('the store changed');
    if (o.workAfter !== o.workBefore) v.push('the working folder changed');
  }
  return v;
}
