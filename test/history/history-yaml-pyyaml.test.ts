/**
 * `history secret KEY -o yaml` read back by PyYAML (YAML 1.1: `yes`, `no`, `on`, `null`, dates and
 * numbers change type there when unquoted) equals `-o json` read by json, on the local store and on
 * AWS (moto: UUID version ids). Names chosen to be YAML 1.1 words, a deprecated version (empty stages)
 * and a null createdBy on AWS are all in the data.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto } from '../helpers/moto.js';

const KEY = Buffer.alloc(32, 37).toString('base64');
// Each of these is a boolean, null or number to a YAML 1.1 reader when written plain.
const WHERE = ['--org', 'yes', '-p', 'null', '-d', 'on'];
const SECRET = 'NO';
const CANARY = 'canary-history-yaml-7c2d';

const PY = `
import json, sys, yaml
text = sys.stdin.read()
safe = yaml.safe_load(text)
full = yaml.load(text, Loader=yaml.FullLoader)
assert safe == full, 'safe_load and FullLoader disagree'
print(json.dumps(safe))
`;

/** The document as PyYAML reads it, printed back as JSON. */
function pyYaml(text: string): unknown {
  const r = spawnSync('python3', ['-c', PY], { input: text, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 20_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

async function fourVersions(sb: Sandbox): Promise<void> {
  const first = await sb.run(['create', 'secret', SECRET, ...WHERE], { stdin: `${CANARY}-0` });
  expect(first.code, first.stderr).toBe(0);
  for (let i = 1; i < 4; i++) {
    const r = await sb.run(['update', 'secret', SECRET, ...WHERE], { stdin: `${CANARY}-${i}` });
    expect(r.code, r.stderr).toBe(0);
  }
}

async function bothReadings(sb: Sandbox): Promise<{ json: unknown; yaml: unknown; yamlText: string }> {
  const j = await sb.run(['history', 'secret', SECRET, ...WHERE, '-o', 'json']);
  const y = await sb.run(['history', 'secret', SECRET, ...WHERE, '-o', 'yaml']);
  expect(j.code, j.stderr).toBe(0);
  expect(y.code, y.stderr).toBe(0);
  expect(y.stdout).not.toContain(CANARY);
  return { json: JSON.parse(j.stdout), yaml: pyYaml(y.stdout), yamlText: y.stdout };
}

type Versions = { versions: { createdAt: string }[] };

function withoutDates(doc: unknown): unknown {
  const d = doc as Versions & Record<string, unknown>;
  return { ...d, versions: d.versions.map(({ createdAt: _at, ...rest }) => rest) };
}

function expectTheShape(json: unknown): void {
  const doc = json as { versions: { stages: string[]; createdAt: string }[] } & Record<string, unknown>;
  expect(doc.versions).toHaveLength(4);
  expect(doc.versions.map((v) => v.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS'], [], []]);
  // The YAML 1.1 words stayed strings wherever the scope is named.
  expect(JSON.stringify(doc)).toContain('"yes"');
  expect(JSON.stringify(doc)).toContain('"null"');
  expect(JSON.stringify(doc)).toContain('"on"');
  for (const v of doc.versions) expect(typeof v.createdAt).toBe('string');
}

describe('history -o yaml in PyYAML (local store)', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox({ SCOPED_LOCAL_KEY: KEY });
  });
  afterEach(() => sb.cleanup());

  it('reads back equal to -o json', async () => {
    await fourVersions(sb);
    const { json, yaml, yamlText } = await bothReadings(sb);
    expectTheShape(json);
    expect(yaml).toEqual(json);
    // A date left plain would be a datetime to PyYAML (json.dumps would fail above); it is quoted.
    expect(yamlText).toMatch(/"createdAt": "\d{4}-\d\d-\d\dT/);
  });
});

describeWithMoto('history -o yaml in PyYAML (AWS, moto)', (moto) => {
  let sb: Sandbox;
  beforeAll(async () => {
    await moto().reset();
    sb = sandbox({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws' });
  }, 60_000);
  afterAll(() => sb?.cleanup());

  it('reads back equal to -o json (UUID version ids, createdBy null)', async () => {
    await fourVersions(sb);
    const { json, yaml } = await bothReadings(sb);
    expectTheShape(json);
    expect((json as { versions: { createdBy: unknown }[] }).versions.every((v) => v.createdBy === null)).toBe(true);
    // moto's ListSecretVersionIds answers CreatedDate with the time of the request, not of the write
    // (models.py: `"CreatedDate": int(time.time())`), so two readings a second apart differ there.
    // Everything else must be equal; the dates must be ISO strings (not PyYAML datetimes) close together.
    const dates = (doc: unknown): number[] => (doc as Versions).versions.map((v) => Date.parse(v.createdAt));
    expect(withoutDates(yaml)).toEqual(withoutDates(json));
    const [jd, yd] = [dates(json), dates(yaml)];
    for (let i = 0; i < jd.length; i++) expect(Math.abs(yd[i]! - jd[i]!)).toBeLessThanOrEqual(60_000);
  });
});
