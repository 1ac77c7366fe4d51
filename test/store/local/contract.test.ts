import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { runStoreContract } from '../store-contract.js';

runStoreContract('local', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scoped-contract-'));
  return {
    store: new LocalStore({ home: join(dir, 'home') }),
    prefix: 'scoped/',
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
