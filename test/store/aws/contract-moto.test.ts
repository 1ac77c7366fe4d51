import { randomUUID } from 'node:crypto';
import { runStoreContract } from '../store-contract.js';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';

// The shared store contract, through the real SDK over real HTTP against moto's Secrets Manager.
describeWithMoto('aws store on moto', (moto) => {
  runStoreContract('aws (moto)', async () => ({
    store: await motoStore(moto().endpoint),
    prefix: `t${randomUUID().slice(0, 8)}/`,
    cleanup: async () => moto().reset(),
  }));
});
