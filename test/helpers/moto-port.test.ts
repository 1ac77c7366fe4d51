/**
 * The moto helper never takes another server for its moto: a port taken between freePort() and moto's
 * bind (here, held on purpose by a server that answers 200 to everything, as moto's API does) is
 * PortTaken, and startMoto() starts again on another port.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMoto, PortTaken, startMotoOnce } from './moto.js';

describeWithMoto('the moto helper and a taken port', () => {
  let squatter: Server;
  let port: number;
  beforeAll(async () => {
    squatter = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    port = (squatter.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it('is PortTaken, not the other server taken for moto', { timeout: 60_000 }, async () => {
    await expect(startMotoOnce(port)).rejects.toBeInstanceOf(PortTaken);
  });
});
