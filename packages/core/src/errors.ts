/**
 * The one base error of Hansa. Every domain defines a discriminated union of `{ code, ...metadata }` and
 * throws `new HansaError(meta, message)`; callers branch on `err.type.code`, never on the message.
 */
export class HansaError<T extends { code: string }> extends Error {
  readonly type: T;

  constructor(type: T, message?: string) {
    super(message ?? type.code);
    this.type = type;
    this.name = "HansaError";
  }

  get code(): T["code"] {
    return this.type.code;
  }
}

export function isHansaError(err: unknown): err is HansaError<{ code: string }> {
  return err instanceof HansaError;
}
