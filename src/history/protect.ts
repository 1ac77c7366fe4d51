import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.js';
import { formatPin, type Pin, type PinEntry } from '../pin/pin-file.js';
import type { SecretStore } from '../store/types.js';

/**
 * `pin --protect`: a staging label of the pin's own on each pinned version, so Secrets Manager (and the
 * local store, which keeps versions the same way) never drops it while the pin is in use: only versions
 * without a label are ever dropped. `pin --unprotect FILE` takes them off again. The label is the pin's
 * content hash, so two pins never share one and the same pin always gives the same label.
 */

export const PIN_LABEL_PREFIX = 'scoped-pin-';

/** `scoped-pin-<12 hex>`: of the pin as scoped writes it, so a file re-indented by hand keeps its label. */
export function pinLabel(pin: Pin): string {
  return PIN_LABEL_PREFIX + createHash('sha256').update(formatPin(pin), 'utf8').digest('hex').slice(0, 12);
}

export interface LabelOutcome {
  label: string;
  done: PinEntry[];
  /** unprotect: entries whose label was already gone (or whose secret or version is). */
  skipped: PinEntry[];
  /** protect: the label that could not be added (the 20-label limit, ...); the entries after it untouched. */
  failed?: { entry: PinEntry; error: Error } | undefined;
  untouched: PinEntry[];
}

/** Labels each pinned version, one at a time, stopping at the first refusal (which the caller reports). */
export async function protectPin(store: SecretStore, pin: Pin): Promise<LabelOutcome> {
  const label = pinLabel(pin);
  const done: PinEntry[] = [];
  for (const [i, entry] of pin.secrets.entries()) {
    try {
      await store.updateStage(entry.name, label, { to: entry.versionId });
    } catch (error) {
      return { label, done, skipped: [], failed: { entry, error: error as Error }, untouched: pin.secrets.slice(i + 1) };
    }
    done.push(entry);
  }
  return { label, done, skipped: [], untouched: [] };
}

/** Removes the pin's label from each pinned version; where it is already gone, nothing to do. */
export async function unprotectPin(store: SecretStore, pin: Pin): Promise<LabelOutcome> {
  const label = pinLabel(pin);
  const done: PinEntry[] = [];
  const skipped: PinEntry[] = [];
  for (const [i, entry] of pin.secrets.entries()) {
    try {
      await store.updateStage(entry.name, label, { from: entry.versionId });
      done.push(entry);
    } catch (error) {
      if ((error instanceof ConflictError && error.reason === 'changed') || error instanceof NotFoundError) skipped.push(entry);
      else return { label, done, skipped, failed: { entry, error: error as Error }, untouched: pin.secrets.slice(i + 1) };
    }
  }
  return { label, done, skipped, untouched: [] };
}
