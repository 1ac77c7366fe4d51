/**
 * Our error types. Backends translate vendor errors into these at their edge; `main` is the one place
 * that turns them into a message line and an exit code. Messages never contain secret values.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  /** `diff --exit-code` found differences: 1, as `diff` and `git diff --exit-code` exit (not an error). */
  differences: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  accessDenied: 5,
  unavailable: 6,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class ScopedError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** What the user can do about it, appended to the message line. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.hint = hint;
    this.name = new.target.name;
  }
  /** The same error (class, exit code, reason, hint) with another message, e.g. naming the key and scope. */
  withMessage(message: string, hint: string | undefined = this.hint): this {
    const copy = Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this, { hint });
    copy.message = message;
    return copy;
  }
  /** One line: what failed and what to do. */
  line(): string {
    return this.hint ? `${this.message}; ${this.hint}` : this.message;
  }
}

export class UsageError extends ScopedError {
  readonly exitCode = ExitCode.usage;
}
export class NotFoundError extends ScopedError {
  readonly exitCode = ExitCode.notFound;
  /**
   * What is missing: the secret itself, one version/stage of an existing secret, or what a link reads (its
   * target, or the target's field: named by ARN, never to be reworded as the link's own absence).
   */
  readonly subject: 'secret' | 'version' | 'target';
  /** When what is missing is a link target's (the target, or a version of it): the target's ARN. */
  readonly arn: string | undefined;
  constructor(message: string, hint?: string, options?: { cause?: unknown; subject?: 'secret' | 'version' | 'target'; arn?: string }) {
    super(message, hint, options);
    this.subject = options?.subject ?? 'secret';
    this.arn = options?.arn;
  }
}
/** Why a conflict happened, so commands can give the right hint without reading message text. */
/** `quota`: a Secrets Manager quota (versions, secrets) refuses the write; `has-replicas`: delete refused while replicas exist. */
export type ConflictReason = 'exists' | 'scheduled-for-deletion' | 'changed' | 'quota' | 'has-replicas' | 'replica';

export class ConflictError extends ScopedError {
  readonly exitCode = ExitCode.conflict;
  readonly reason: ConflictReason;
  constructor(reason: ConflictReason, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, hint, options);
    this.reason = reason;
  }
}
export class AccessDeniedError extends ScopedError {
  readonly exitCode = ExitCode.accessDenied;
}
export class UnavailableError extends ScopedError {
  readonly exitCode = ExitCode.unavailable;
}
export class InterruptedError extends ScopedError {
  readonly exitCode = ExitCode.interrupted;
}
/** A store that cannot be trusted (corrupt, tampered, wrong key): never silently reset. */
export class StoreCorruptError extends ScopedError {
  readonly exitCode = ExitCode.internal;
}
