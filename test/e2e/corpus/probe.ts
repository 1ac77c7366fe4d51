/**
 * `npx vite-node test/e2e/corpus/probe.ts [FILTER]`: runs the corpus (or the cases whose name contains
 * FILTER) against the built binary and prints each failing case with what it broke. Not a test.
 */
import { rmSync } from 'node:fs';
import { CASES } from './cases.js';
import { makeSeed, runAll, violations } from './runner.js';

const filter = process.argv[2] ?? '';
const cases = CASES.filter((c) => c.name.includes(filter));
const t0 = Date.now();
const seed = makeSeed();
const t1 = Date.now();
const outcomes = await runAll(seed, cases, Number(process.env.CORPUS_JOBS ?? 3));
let failed = 0;
cases.forEach((c, i) => {
  const o = outcomes[i]!;
  const v = violations(c, o);
  if (process.env.CORPUS_ALL || v.length) {
    if (v.length) failed++;
    console.log(
      `${v.length ? 'FAIL' : 'ok  '} ${c.name} [${o.ms} ms] exit ${o.code}\n     ${o.stderr.trim().split('\n').join('\n     ').slice(0, 700)}${v.length ? `\n  => ${v.join('\n  => ')}` : ''}`,
    );
  }
});
console.log(`${cases.length} cases, ${failed} failing; seed ${t1 - t0} ms, cases ${Date.now() - t1} ms`);
rmSync(seed.root, { recursive: true, force: true });
