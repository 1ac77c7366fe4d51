import { createHash } from 'node:crypto';
import { resolveKeys } from '../service/deployment.js';
import type { DeploymentSource } from '../deploy/deployment-values.js';

/**
 * What a re-check compares: a digest, never a value. Pinned: the pin file's bytes. Otherwise one listing
 * of the deployment's scopes (so a key added at a narrower scope, which takes over, or one deleted, is
 * seen) and, for each winning secret, its description (its AWSCURRENT version id: on AWS one
 * DescribeSecret per winner). `keep` narrows the keys that count (--only/--exclude).
 */
export async function deploymentFingerprint(from: DeploymentSource, pinned: string | undefined, keep: (key: string) => boolean): Promise<string> {
  const hash = createHash('sha256');
  if (pinned !== undefined) {
    const { readFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    hash.update(await readFile(resolve(from.io.cwd, pinned)));
    return hash.digest('hex');
  }
  const deployment = await from.deployment();
  const { prefix } = await from.settings();
  const store = await from.store();
  const winners = (await resolveKeys(store, prefix, deployment)).filter((r) => keep(r.key));
  const described = await Promise.all(winners.map(async (r) => [r.key, r.winner.name, versionsOf((await store.describe(r.winner.name)).versions)] as const));
  hash.update(JSON.stringify(described));
  return hash.digest('hex');
}

/** Version id -> stages, in a stable order: a stage moved (rollback) is a change too. */
function versionsOf(versions: Record<string, string[]>): string {
  return Object.entries(versions)
    .filter(([, stages]) => stages.length > 0)
    .map(([id, stages]) => `${id}:${[...stages].sort().join(',')}`)
    .sort()
    .join(' ');
}
