/**
 * A `--import` data URL that reports, on stderr, every module URL the process resolves: one line
 * `loaded <url>` each. It uses module.registerHooks (Node 22.15+ / 23.5+), whose hooks run on the main
 * thread and so write before the process exits; older Nodes fall back to module.register, whose hooks
 * run on a separate thread, and see only ES modules: there `require()` is reported from a wrapper around
 * CommonJS's resolver. (On Node 24 that thread's last writes were lost at exit, so a test saw some loads
 * and not others.)
 */
export function resolveReporterHook(): string {
  const report = `(url) => process.stderr.write('loaded ' + url + '\\n')`;
  const source = `
import * as m from 'node:module';
const report = ${report};
if (typeof m.registerHooks === 'function') {
  m.registerHooks({ resolve(s, c, next) { const r = next(s, c); report(r.url); return r; } });
} else {
  m.register('data:text/javascript,' + encodeURIComponent(
    'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("loaded " + r.url + "\\\\n"); return r; }',
  ));
  const cjs = m.default;
  const resolveFilename = cjs._resolveFilename;
  cjs._resolveFilename = function (...args) {
    const r = resolveFilename.apply(this, args);
    report(r.startsWith('/') ? 'file://' + r : r);
    return r;
  };
}
`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
