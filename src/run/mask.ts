import type { SecretValue } from '../store/types.js';
import { jsonObjectFields } from '../deploy/expand.js';

export const MASK = '***';
/** Shorter values are not masked: hiding every "abc" in a log protects nothing and garbles the rest. */
export const MIN_MASK_CHARS = 4;

const MASK_BYTES = Buffer.from(MASK);

function longEnough(text: string): boolean {
  return [...text].length >= MIN_MASK_CHARS;
}

/**
 * The texts inside a JSON-object value that a program may print on their own after parsing it (an RDS
 * secret's password, say): every string and number, at any depth. Booleans and null are left out: hiding
 * every `true` in a log protects nothing.
 */
export function jsonFieldTexts(value: SecretValue): string[] {
  const fields = jsonObjectFields(value);
  if (fields === undefined) return [];
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') texts.push(v);
    else if (typeof v === 'number') texts.push(String(v));
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(fields);
  return texts;
}

/**
 * What to look for: each value, each line of a multi-line value on its own (a program may print one
 * line of a key file), and each field of a JSON-object value (jsonFieldTexts), as bytes. Values or lines
 * under MIN_MASK_CHARS characters are left out.
 */
export function maskNeedles(values: Iterable<SecretValue>): Buffer[] {
  const needles = new Map<string, Buffer>();
  const add = (b: Buffer): void => {
    needles.set(b.toString('hex'), b);
  };
  for (const v of values) {
    if (typeof v !== 'string') {
      if (v.length >= MIN_MASK_CHARS) add(Buffer.from(v));
      continue;
    }
    for (const text of [v, ...jsonFieldTexts(v)]) {
      if (longEnough(text)) add(Buffer.from(text));
      for (const line of text.split('\n')) {
        const l = line.replace(/\r$/, '');
        if (l !== text && longEnough(l)) add(Buffer.from(l));
      }
    }
  }
  return [...needles.values()];
}

/** Values that are too short to mask, for a warning that names their keys. */
export function tooShortToMask(value: SecretValue): boolean {
  return typeof value === 'string' ? !longEnough(value) : value.length < MIN_MASK_CHARS;
}

type Run = [start: number, end: number];

/**
 * A streaming replacer: every byte covered by an occurrence of a needle is hidden, each maximal covered run
 * (overlapping or touching occurrences, so also one value that is a prefix of another) becoming one `***`.
 * Output is the same however the input is split into writes. Only the shortest tail that could still be
 * the start of a needle is held back between writes; `end()` flushes it.
 */
export class Masker {
  private readonly needles: Buffer[];
  private readonly longest: number;
  private readonly firstBytes: Set<number>;
  private held: Buffer = Buffer.alloc(0);
  /** Bytes at the start of `held` already known to be covered by an occurrence that began earlier. */
  private coveredHead = 0;
  /** The output so far ends in a `***` whose run continues into `held` if `held` starts covered. */
  private inRun = false;

  constructor(needles: Buffer[]) {
    this.needles = needles.filter((n) => n.length > 0);
    this.longest = Math.max(0, ...this.needles.map((n) => n.length));
    this.firstBytes = new Set(this.needles.map((n) => n[0] as number));
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  push(chunk: Uint8Array): Buffer {
    if (!this.active) return Buffer.from(chunk);
    return this.process(this.held.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.held, chunk]), false);
  }

  end(): Buffer {
    const out = this.process(this.held, true);
    this.held = Buffer.alloc(0);
    this.coveredHead = 0;
    this.inRun = false;
    return out;
  }

  /** Covered runs of `data`, merged and sorted. */
  private runs(data: Buffer): Run[] {
    const found: Run[] = this.coveredHead > 0 ? [[0, this.coveredHead]] : [];
    for (const n of this.needles) {
      for (let i = data.indexOf(n); i >= 0; i = data.indexOf(n, i + 1)) found.push([i, i + n.length]);
    }
    found.sort((a, b) => a[0] - b[0]);
    const merged: Run[] = [];
    for (const [s, e] of found) {
      const last = merged[merged.length - 1];
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    return merged;
  }

  /** The first position from which the rest of `data` is a proper prefix of some needle. */
  private undecidedFrom(data: Buffer): number {
    for (let s = Math.max(0, data.length - this.longest + 1); s < data.length; s++) {
      if (!this.firstBytes.has(data[s] as number)) continue;
      const tail = data.subarray(s);
      if (this.needles.some((n) => n.length > tail.length && n.subarray(0, tail.length).equals(tail))) return s;
    }
    return data.length;
  }

  private process(data: Buffer, final: boolean): Buffer {
    const cut = final ? data.length : this.undecidedFrom(data);
    if (cut === 0) {
      this.held = data;
      return Buffer.alloc(0);
    }
    const parts: Buffer[] = [];
    let pos = 0;
    let inRun = false;
    let coveredHead = 0;
    for (const [s, e] of this.runs(data)) {
      if (s >= cut) break;
      if (s > pos) parts.push(data.subarray(pos, s));
      if (!(s === 0 && this.inRun)) parts.push(MASK_BYTES);
      pos = Math.min(e, cut);
      inRun = e >= cut;
      coveredHead = Math.max(0, e - cut);
    }
    if (pos < cut) {
      parts.push(data.subarray(pos, cut));
      inRun = false;
    }
    this.held = Buffer.from(data.subarray(cut));
    this.coveredHead = coveredHead;
    this.inRun = inRun;
    return Buffer.concat(parts);
  }
}
