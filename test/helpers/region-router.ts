/**
 * One endpoint for several regions, for `--regions` tests: each request goes to the fault proxy of the
 * region its SigV4 signature names (`Credential=KEY/DATE/REGION/secretsmanager/aws4_request`), so every
 * region can fail on its own while all of them share one moto (which keeps each region's secrets apart).
 */
import { createServer, type Server } from 'node:http';
import { forward, startFaultProxy, type FaultProxy } from './fault-proxy.js';

export interface RegionRouter {
  endpoint: string;
  proxies: Record<string, FaultProxy>;
  close(): Promise<void>;
}

export async function startRegionRouter(upstream: string, regions: readonly string[]): Promise<RegionRouter> {
  const proxies: Record<string, FaultProxy> = {};
  for (const r of regions) proxies[r] = await startFaultProxy(upstream);
  const server: Server = createServer((req, res) => {
    const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const proxy = proxies[region];
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!proxy) {
        res.writeHead(599).end(`no proxy for region ${region}`);
        return;
      }
      forward(new URL(proxy.endpoint), req, Buffer.concat(chunks), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    proxies,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const p of Object.values(proxies)) await p.close();
    },
  };
}
