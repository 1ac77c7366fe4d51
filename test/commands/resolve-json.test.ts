import { describe, expect, it } from 'vitest';
import { resolutionJson } from '../../src/commands/resolve.js';
import { resolveDeployment } from '../../src/core/resolve.js';
import { toEntries } from '../../src/service/deployment.js';

describe('resolve -o json', () => {
  it("shows each winner's ARN where the listing has one, null where it has none", () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scoped/acme/_/_/DB_URL-AbCdEf';
    const entries = toEntries('scoped/', [
      { name: 'scoped/acme/_/_/DB_URL', tags: {}, arn },
      { name: 'scoped/acme/_/_/API_KEY', tags: {} },
    ]);
    const json = resolveDeployment({ org: 'acme' }, entries).map(resolutionJson);
    expect(json.map((j) => [j.key, j.arn])).toEqual([
      ['API_KEY', null],
      ['DB_URL', arn],
    ]);
  });
});
