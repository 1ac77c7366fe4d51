/**
 * Resolve over moto's Secrets Manager server behind the fault proxy (adding latency to every request):
 * scoped's strategy (one filtered ListSecrets chain + BatchGetSecretValue by 20) against a naive one
 * written here (GetSecretValue per key per scope, most specific first, until found), same SDK client.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../src/config.js';
import { scopePrefix, scopeTags, secretName } from '../src/core/naming.js';
import { deploymentScopes, type Scope } from '../src/core/scope.js';
import { readWinners, resolveKeys } from '../src/service/deployment.js';
import { awsSettings, buildClient, retryPolicy } from '../src/store/aws/client.js';
import { AwsStore } from '../src/store/aws/aws-store.js';
import { startFaultProxy } from '../test/helpers/fault-proxy.js';

export interface AwsFigures {
  keys: number;
  listed: number;
  latencyMs: number;
  scopedRequests: number;
  scopedMs: number;
  naiveRequests: number;
  naiveMs: number;
}

const LATENCY_MS = 5;
const RUNS = Number(process.env.BENCH_AWS_RUNS ?? 5);
const quiet = { debug: () => undefined };

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export async function startMoto(): Promise<{ endpoint: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return { endpoint, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error('moto did not start (is python3 -m moto.server available?)');
}

export async function storeFor(endpoint: string, org: string): Promise<{ store: AwsStore; client: SecretsManagerClient }> {
  const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint };
  Object.assign(process.env, env);
  delete process.env.AWS_PROFILE;
  const config = await loadConfig({ backend: 'aws', org }, env, process.cwd());
  const settings = awsSettings(config, env);
  const policy = retryPolicy(settings);
  const client = await buildClient(settings, quiet, policy);
  return { store: new AwsStore(client, quiet, { target: endpoint, policy }), client };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * One CLI job's own cost on AWS: moto with a deployment of `keys` keys over its four scopes (no added
 * latency), and the environment a `scoped` process needs to read it; `measure` times commands in it.
 */
export async function withAwsDeployment(keys: number, measure: (env: Record<string, string | undefined>) => void): Promise<void> {
  const moto = await startMoto();
  try {
    const org = 'benchcli';
    const scopes = deploymentScopes({ org, project: 'billing', domain: 'production' });
    const { store } = await storeFor(moto.endpoint, org);
    for (let i = 0; i < keys; i++) {
      const scope = scopes[i % 4] as Scope;
      await store.create({ name: secretName('scoped/', scope, `KEY_${i}`), value: `v${i}`, tags: scopeTags(scope, `KEY_${i}`) });
    }
    measure({
      ...process.env,
      AWS_PROFILE: undefined,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
      SCOPED_BACKEND: 'aws',
      SCOPED_ORG: org,
      // For MOTO_FLOOR: the names scoped lists.
      BENCH_PREFIXES: JSON.stringify(scopes.map((scope) => scopePrefix('scoped/', scope))),
    });
  } finally {
    moto.stop();
  }
}

/**
 * The floor of an AWS `export` on moto: a Node process that sends the same two requests over plain HTTP
 * (no SDK, no signing, no CLI): ListSecrets filtered by the deployment's four prefixes, then BatchGetSecretValue of what it
 * listed (20 ids). What is left above it is scoped's own; what it adds to `node -e 0` is mostly moto's answers.
 */
export const MOTO_FLOOR = `
const http = require('node:http');
const u = new URL(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER);
const agent = new http.Agent({ keepAlive: true });
const call = (target, body) => new Promise((resolve, reject) => {
  const data = JSON.stringify(body);
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.' + target, 'content-length': Buffer.byteLength(data),
    authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0' };
  const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/', agent, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(target + ' ' + res.statusCode))));
  });
  req.on('error', reject);
  req.end(data);
});
(async () => {
  const listed = await call('ListSecrets', { Filters: [{ Key: 'name', Values: JSON.parse(process.env.BENCH_PREFIXES) }], MaxResults: 100 });
  const read = await call('BatchGetSecretValue', { SecretIdList: listed.SecretList.slice(0, 20).map((s) => s.ARN) });
  if (read.SecretValues.length === 0) throw new Error('nothing read');
  agent.destroy();
})().catch((err) => { console.error(err.message); process.exitCode = 1; });
`;

/**
 * CPU time (user + sys, the kernel's accounting of the finished process) of each command, run alternately
 * as \`pair\` runs them: python3's os.wait4 reports a child's rusage in microseconds (Node has no wait4).
 * Medians in ms, after \`warmup\` runs of each.
 */
export function cpuPair(
  base: [string, string[]],
  subject: [string, string[]],
  env: Record<string, string | undefined>,
  runs: number,
  warmup: number,
): { base: number; subject: number } {
  const script = [
    'import json, os, sys',
    'cmds = json.loads(sys.argv[1]); runs, warmup = int(sys.argv[2]), int(sys.argv[3]); out = [[], []]',
    'null = os.open(os.devnull, os.O_WRONLY)',
    'for i in range(warmup + runs):',
    '  for k, (cmd, args) in enumerate(cmds):',
    '    pid = os.posix_spawn(cmd, [cmd] + args, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])',
    '    _, status, ru = os.wait4(pid, 0)',
    '    if status != 0: sys.exit(cmd + " " + " ".join(args) + " failed: " + str(status))',
    '    if i >= warmup: out[k].append((ru.ru_utime + ru.ru_stime) * 1000)',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, JSON.stringify([base, subject]), String(runs), String(warmup)], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CPU time: ${r.stderr}`);
  const [b, t] = JSON.parse(r.stdout) as [number[], number[]];
  return { base: median(b), subject: median(t) };
}

export async function benchAws(sizes: number[]): Promise<AwsFigures[]> {
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint);
  const out: AwsFigures[] = [];
  try {
    for (const n of sizes) {
      const org = `bench${n}`;
      const deployment: Scope = { org, project: 'billing', domain: 'production' };
      const scopes = deploymentScopes(deployment);
      const seed = await storeFor(moto.endpoint, org);
      let listed = 0;
      // Key i lives at scope i % 4; every third key also at org scope, so there is shadowing to resolve.
      for (let i = 0; i < n; i++) {
        const homes = [scopes[i % 4] as Scope, ...(i % 3 === 0 && i % 4 !== 3 ? [{ org }] : [])];
        for (const scope of homes) {
          await seed.store.create({ name: secretName('scoped/', scope, `KEY_${i}`), value: `v${i}`, tags: scopeTags(scope, `KEY_${i}`) });
          listed++;
        }
      }
      const viaProxy = await storeFor(proxy.endpoint, org);
      proxy.inject({ kind: 'latency', ms: LATENCY_MS });

      const scopedTimes: number[] = [];
      let scopedRequests = 0;
      for (let r = 0; r < RUNS; r++) {
        proxy.counts.clear();
        const t0 = performance.now();
        const values = await readWinners(viaProxy.store, await resolveKeys(viaProxy.store, 'scoped/', deployment));
        scopedTimes.push(performance.now() - t0);
        scopedRequests = proxy.total();
        if (values.size !== n) throw new Error(`scoped resolved ${values.size} of ${n} keys`);
      }

      const naiveTimes: number[] = [];
      let naiveRequests = 0;
      for (let r = 0; r < Math.min(RUNS, n > 100 ? 1 : RUNS); r++) {
        proxy.counts.clear();
        const t0 = performance.now();
        let found = 0;
        for (let i = 0; i < n; i++) {
          for (const scope of scopes) {
            try {
              await viaProxy.client.send(new GetSecretValueCommand({ SecretId: secretName('scoped/', scope, `KEY_${i}`) }));
              found++;
              break;
            } catch (err) {
              if ((err as Error).name !== 'ResourceNotFoundException') throw err;
            }
          }
        }
        naiveTimes.push(performance.now() - t0);
        naiveRequests = proxy.total();
        if (found !== n) throw new Error(`naive resolved ${found} of ${n} keys`);
      }
      proxy.reset();
      out.push({ keys: n, listed, latencyMs: LATENCY_MS, scopedRequests, scopedMs: median(scopedTimes), naiveRequests, naiveMs: median(naiveTimes) });
    }
  } finally {
    await proxy.close();
    moto.stop();
  }
  return out;
}
