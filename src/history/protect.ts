import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.js';
import { formatPin, type Pin, type PinEntry } from '../pin/pin-file.js';
import type { SecretStore } from '../store/types.js';
import { isLink } from '../store/links.js';
import { describeScope } from '../core/scope.js';

/**
 * `pin --protect`: a staging label of the pin's own on each pinned version, so Secrets Manager (and the
 * local store, which keeps versions the same way) never drops it while the pin is in use: only versions
 * without a label are ever dropped. `pin --unprotect FILE` takes them off again. The label is the pin's
 * content hash, so two pins never share one and the same pin always gives the same label.
 *
 * A link entry is never labelled: its pinned version is its target's, and scoped never writes to a link's
 * target (UpdateSecretVersionStage on another team's or AWS's secret). Those entries come back in
 * `skipped`, with `linksNotLabelled` saying why; the target's owner decides how long that version is kept.
 */

export const PIN_LABEL_PREFIX = 'scoped-pin-';

/**
 * `scoped-pin-<12 hex>`: of the pin as scoped writes it, so a file re-indented by hand keeps its label.
 * Link targets are left out of the hash (they are never labelled): a scoped that predates recorded targets
 * computes the same label for the same pin, so either can remove what the other put.
 */
export function pinLabel(pin: Pin): string {
  const hashed = { ...pin, secrets: pin.secrets.map(({ target: _target, ...e }) => e) };
  return PIN_LABEL_PREFIX + createHash('sha256').update(formatPin(hashed), 'utf8').digest('hex').slice(0, 12);
}

/** Whether an entry is a link's (recorded in the pin, or, for a pin without targets, said by the store). */
async function linkEntry(store: SecretStore, entry: PinEntry): Promise<boolean> {
  return entry.target !== undefined || (await isLink(store, entry.name));
}

/** One line for the link entries protect leaves unlabelled (and unprotect has nothing to remove from). */
export function linksNotLabelled(entries: readonly PinEntry[]): string {
  const keys = entries.map((e) => `${e.key} at ${describeScope(e.scope)}`).join(', ');
  return `not labelled, being links (scoped never writes to a link's target, so its owner decides how long the pinned version is kept): ${keys}`;
}

export interface LabelOutcome {
  label: string;
  done: PinEntry[];
  /** unprotect: entries whose label was already gone (or whose secret or version is). */
  skipped: PinEntry[];
  /** Link entries: never labelled, nor unlabelled (see linksNotLabelled). */
  links: PinEntry[];
  /** protect: the label that could not be added (the 20-label limit, ...); the entries after it untouched. */
  failed?: { entry: PinEntry; error: Error } | undefined;
  untouched: PinEntry[];
}

/** Labels each pinned version, one at a time, stopping at the first refusal (which the caller reports). */
export async function protectPin(store: SecretStore, pin: Pin): Promise<LabelOutcome> {
  const label = pinLabel(pin);
  const done: PinEntry[] = [];
  const links: PinEntry[] = [];
  for (const [i, entry] of pin.secrets.entries()) {
    try {
      if (await linkEntry(store, entry)) {
        links.push(entry);
        continue;
      }
      await store.updateStage(entry.name, label, { to: entry.versionId });
    } catch (error) {
      return { label, done, skipped: [], links, failed: { entry, error: error as Error }, untouched: pin.secrets.slice(i + 1) };
    }
    done.push(entry);
  }
  return { label, done, skipped: [], links, untouched: [] };
}

/** Removes the pin's label from each pinned version; where it is already gone, nothing to do. */
export async function unprotectPin(store: SecretStore, pin: Pin): Promise<LabelOutcome> {
  const label = pinLabel(pin);
  const done: PinEntry[] = [];
  const skipped: PinEntry[] = [];
  const links: PinEntry[] = [];
  for (const [i, entry] of pin.secrets.entries()) {
    try {
      if (await linkEntry(store, entry)) {
        links.push(entry);
        continue;
      }
      await store.updateStage(entry.name, label, { from: entry.versionId });
      done.push(entry);
    } catch (error) {
      if ((error instanceof ConflictError && error.reason === 'changed') || error instanceof NotFoundError) skipped.push(entry);
      else return { label, done, skipped, links, failed: { entry, error: error as Error }, untouched: pin.secrets.slice(i + 1) };
    }
  }
  return { label, done, skipped, links, untouched: [] };
}
