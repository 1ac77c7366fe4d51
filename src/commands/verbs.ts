/**
 * The verbs of `scoped <verb> <resource>` and the summary each shows in help and completion: one table, so a
 * second resource under a verb cannot give the verb another summary.
 */
export const VERBS = {
  create: 'create a resource',
  update: 'update a resource',
  get: 'show resources',
  delete: 'delete a resource',
  restore: 'restore a resource',
  set: 'create or update a resource',
  copy: 'copy resources to another scope',
  link: 'make a scope entry that reads another secret',
  history: "show a resource's history",
  rollback: 'move AWSCURRENT back, for one key or a deployment (to a pin); no value is written',
  config: 'configuration',
} as const;

export type Verb = keyof typeof VERBS;
