/** Every case of the bad-input corpus, in one table (names are unique: the test checks it). */
import { AWS_CASES } from './cases-aws.js';
import {
  CHECK_CASES,
  COMPLETION_CASES,
  CONFIG_CASES,
  CONTROL_CHARACTER_CASES,
  COPY_CASES,
  DEBUG_CASES,
  DIFF_CASES,
  EXPORT_CASES,
  HOSTILE_CONFIG_CASES,
  HOSTILE_STORE_CASES,
  IMPORT_CASES,
  PIN_CASES,
  POLICY_CASES,
  RENDER_CASES,
  RESOLVE_CASES,
  RUN_CASES,
} from './cases-deployment.js';
import { CREATE_CASES, DELETE_CASES, GET_CASES, GLOBAL_CASES, RESTORE_CASES, SET_CASES, UPDATE_CASES } from './cases-management.js';
import type { Case } from './runner.js';

export const CASES: readonly Case[] = [
  ...GLOBAL_CASES,
  ...CREATE_CASES,
  ...UPDATE_CASES,
  ...GET_CASES,
  ...DELETE_CASES,
  ...RESTORE_CASES,
  ...SET_CASES,
  ...IMPORT_CASES,
  ...COPY_CASES,
  ...RESOLVE_CASES,
  ...RUN_CASES,
  ...EXPORT_CASES,
  ...RENDER_CASES,
  ...PIN_CASES,
  ...DIFF_CASES,
  ...CHECK_CASES,
  ...POLICY_CASES,
  ...CONFIG_CASES,
  ...COMPLETION_CASES,
  ...HOSTILE_CONFIG_CASES,
  ...HOSTILE_STORE_CASES,
  ...AWS_CASES,
  ...DEBUG_CASES,
  ...CONTROL_CHARACTER_CASES,
];
