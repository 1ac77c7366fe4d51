// Holds a lock for the lock tests: takes it, prints "held", keeps it for HOLD_MS (or until killed),
// writes DONE_FILE just before releasing.
import { writeFileSync } from 'node:fs';
import { acquireLock } from '../../dist/store/local/lock.js';

const [path, holdMs, doneFile] = process.argv.slice(2);
const lock = await acquireLock(path, { timeoutMs: 10_000, what: 'test' });
process.stdout.write('held\n');
await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
if (doneFile) writeFileSync(doneFile, 'done');
lock.release();
