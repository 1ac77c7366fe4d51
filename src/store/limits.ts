import { UsageError } from '../errors.js';
import { MAX_DESCRIPTION, MAX_RECOVERY_DAYS, MAX_STAGE_LENGTH, MAX_VALUE_BYTES, MIN_RECOVERY_DAYS, valueByteLength, type SecretValue } from './types.js';

/** Secrets Manager's limits, enforced the same way on every backend before anything is sent or written. */
export function checkValue(value: SecretValue): void {
  const size = valueByteLength(value);
  if (size === 0) throw new UsageError('the secret value is empty', 'give a value of 1 to 65,536 bytes');
  if (size > MAX_VALUE_BYTES) {
    throw new UsageError(`the secret value is ${size} bytes, over the limit of ${MAX_VALUE_BYTES}`, 'store a smaller value');
  }
}

export function checkDescription(description: string): void {
  if (description.length > MAX_DESCRIPTION) {
    throw new UsageError(`the description is ${description.length} characters, over the limit of ${MAX_DESCRIPTION}`);
  }
}

export function checkRecoveryDays(days: number): void {
  if (!Number.isInteger(days) || days < MIN_RECOVERY_DAYS || days > MAX_RECOVERY_DAYS) {
    throw new UsageError(`--recovery-days must be a whole number from ${MIN_RECOVERY_DAYS} to ${MAX_RECOVERY_DAYS}`, 'or use --force to delete at once');
  }
}

/** A staging label: 1-256 characters (Secrets Manager's SecretVersionStageType). */
export function checkStage(stage: string): void {
  if (stage.length < 1 || stage.length > MAX_STAGE_LENGTH) {
    throw new UsageError(`a staging label is 1 to ${MAX_STAGE_LENGTH} characters, not ${stage.length}`);
  }
}
