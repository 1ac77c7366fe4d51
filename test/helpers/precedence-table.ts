import type { ScopeKind } from '../../src/core/scope.js';

/**
 * DESIGN's precedence, written out once for every test that needs it: each presence combination of a KEY
 * at (project-domain, project, domain, org) and the scope that must win. pd p d o -> winner.
 */
export const PRECEDENCE_TABLE: readonly [boolean, boolean, boolean, boolean, ScopeKind | null][] = [
  [false, false, false, false, null],
  [false, false, false, true, 'org'],
  [false, false, true, false, 'domain'],
  [false, false, true, true, 'domain'],
  [false, true, false, false, 'project'],
  [false, true, false, true, 'project'],
  [false, true, true, false, 'project'],
  [false, true, true, true, 'project'],
  [true, false, false, false, 'project-domain'],
  [true, false, false, true, 'project-domain'],
  [true, false, true, false, 'project-domain'],
  [true, false, true, true, 'project-domain'],
  [true, true, false, false, 'project-domain'],
  [true, true, false, true, 'project-domain'],
  [true, true, true, false, 'project-domain'],
  [true, true, true, true, 'project-domain'],
];
