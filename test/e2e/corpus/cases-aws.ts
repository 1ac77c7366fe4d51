/**
 * `--backend aws` with no server at all: bad settings refused before any request (exit 2), and a closed
 * port (connection refused) that ends, within a small --timeout, as exit 6. The runner's environment has
 * dummy credentials and no AWS config files, so nothing here can reach a real account.
 */
import type { Case } from './runner.js';

const CLOSED = 'http://127.0.0.1:1';
const AWS = ['--backend', 'aws', '--region', 'eu-west-1'];
const DOWN = [...AWS, '--endpoint-url', CLOSED, '--timeout', '3'];
const WP = ['-p', 'web', '-d', 'prod'];

export const AWS_CASES: Case[] = [
  { name: 'aws: --region malformed', argv: ['--backend', 'aws', '--region', 'eu west 1', '--endpoint-url', CLOSED, 'get', 'secret'], exit: 2 },
  { name: 'aws: --region empty', argv: ['--backend', 'aws', '--region', '', '--endpoint-url', CLOSED, 'get', 'secret'], exit: 2 },
  { name: 'aws: --region with a slash', argv: ['--backend', 'aws', '--region', 'us-east-1/../x', '--endpoint-url', CLOSED, 'get', 'secret'], exit: 2 },
  { name: 'aws: --region upper case', argv: ['--backend', 'aws', '--region', 'EU-WEST-1', '--endpoint-url', CLOSED, 'resolve', ...WP], exit: 2 },
  { name: 'aws: AWS_REGION malformed', argv: ['--backend', 'aws', '--endpoint-url', CLOSED, 'get', 'secret'], env: { AWS_REGION: 'not a region!' }, exit: 2 },
  { name: 'aws: --endpoint-url not a URL', argv: [...AWS, '--endpoint-url', 'not a url', 'get', 'secret'], exit: 2 },
  { name: 'aws: --endpoint-url ftp scheme', argv: [...AWS, '--endpoint-url', 'ftp://127.0.0.1:1', 'get', 'secret'], exit: 2 },
  { name: 'aws: --endpoint-url empty', argv: [...AWS, '--endpoint-url', '', 'get', 'secret'], exit: 2 },
  { name: 'aws: AWS_ENDPOINT_URL_SECRETS_MANAGER not a URL', argv: [...AWS, 'get', 'secret'], env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: '::::' }, exit: 2 },
  { name: 'aws: --role-arn malformed', argv: [...AWS, '--endpoint-url', CLOSED, '--role-arn', 'role/x', 'get', 'secret'], exit: 2 },
  { name: 'aws: --prefix //', argv: [...DOWN, '--prefix', '//', 'get', 'secret'], exit: 2 },
  { name: 'aws: --prefix empty', argv: [...DOWN, '--prefix', '', 'resolve', ...WP], exit: 2 },
  { name: 'aws: --prefix x/../', argv: [...DOWN, '--prefix', 'x/../', 'create', 'secret', 'NEWKEY'], stdin: 'v', exit: 2 },
  { name: 'aws: --prefix a//b/', argv: [...DOWN, '--prefix', 'a//b/', 'create', 'secret', 'NEWKEY'], stdin: 'v', exit: 2 },
  { name: 'aws: --prefix .', argv: [...DOWN, '--prefix', '.', 'export', ...WP], exit: 2 },
  {
    name: 'aws: a name over 512 characters (long prefix)',
    argv: [...DOWN, '--prefix', `${'p'.repeat(500)}/`, 'create', 'secret', 'NEWKEY', '-p', 'q'.repeat(30)],
    stdin: 'v',
    exit: 2,
  },
  { name: 'aws: --kms-key-id empty', argv: [...DOWN, 'create', 'secret', 'NEWKEY', '--kms-key-id', ''], stdin: 'v', exit: 2 },
  { name: 'aws: --replica-region malformed', argv: [...DOWN, 'create', 'secret', 'NEWKEY', '--replica-region', 'mars 1'], stdin: 'v', exit: 2 },
  { name: 'aws: --replica-region the primary region', argv: [...DOWN, 'create', 'secret', 'NEWKEY', '--replica-region', 'eu-west-1'], stdin: 'v', exit: 2 },
  { name: 'aws: --timeout zero', argv: [...AWS, '--endpoint-url', CLOSED, '--timeout', '0', 'get', 'secret'], exit: 2 },
  { name: 'aws: closed port: get secret', argv: [...DOWN, 'get', 'secret'], exit: 6 },
  { name: 'aws: closed port: get secret --reveal', argv: [...DOWN, 'get', 'secret', 'DB_PASS', '--reveal'], exit: 6 },
  { name: 'aws: closed port: resolve', argv: [...DOWN, 'resolve', ...WP], exit: 6 },
  { name: 'aws: closed port: export', argv: [...DOWN, 'export', ...WP], exit: 6 },
  { name: 'aws: closed port: run', argv: [...DOWN, 'run', ...WP, '--', 'true'], exit: 6 },
  { name: 'aws: closed port: create', argv: [...DOWN, 'create', 'secret', 'NEWKEY'], stdin: 'v', exit: 6 },
  { name: 'aws: closed port: delete', argv: [...DOWN, 'delete', 'secret', 'DB_PASS', '--yes'], exit: 6 },
  { name: 'aws: closed port: import', argv: [...DOWN, 'import', 'a.env'], files: { 'a.env': 'A=1\nB=2\n' }, exit: 6 },
  { name: 'aws: closed port: pin', argv: [...DOWN, 'pin', ...WP, '--out', 'p.json'], exit: 6 },
  {
    name: 'aws: closed port: --pinned with 9 keys',
    argv: [...DOWN, 'export', ...WP, '--pinned', 'p.json'],
    files: {
      'p.json': JSON.stringify({
        format: 1,
        org: 'default',
        prefix: 'scoped/',
        backend: 'aws',
        deployment: { project: 'web', domain: 'prod' },
        created: '2026-01-01T00:00:00.000Z',
        secrets: Array.from({ length: 9 }, (_, i) => ({
          key: `K${i}`,
          scope: { project: null, domain: null },
          name: `scoped/default/_/_/K${i}`,
          versionId: `0000000${i}-0000-4000-8000-000000000000`,
        })),
      }),
    },
    exit: 6,
  },
  { name: 'aws: closed port: diff', argv: [...DOWN, 'diff', 'web/prod', 'api/prod'], exit: 6 },
  { name: 'aws: closed port: check', argv: [...DOWN, 'check', '--deployment', 'web/prod', '--require', 'DB_PASS'], exit: 6 },
  { name: 'aws: closed port: copy', argv: [...DOWN, 'copy', 'secret', 'DB_PASS', '--to', 'api/_'], exit: 6 },
];
