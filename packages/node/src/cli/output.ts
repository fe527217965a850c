import { isHansaError } from "@hansa/core";

/** Every command prints either human text or, with --json, one JSON document on stdout. */
export interface OutputOptions {
  json?: boolean;
}

export function print(options: OutputOptions, data: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** Prints an error the way the command was asked to speak, and sets a non-zero exit code. */
export function fail(options: OutputOptions, err: unknown): never {
  const code = isHansaError(err) ? err.code : ((err as { code?: string }).code ?? "ERROR");
  const message = err instanceof Error ? err.message : String(err);
  const data = (err as { data?: unknown }).data;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ error: { code, message, ...(data === undefined ? {} : { data }) } }, null, 2)}\n`,
    );
  } else {
    process.stderr.write(`error: ${message}${code !== "ERROR" ? ` [${code}]` : ""}\n`);
  }
  process.exit(1);
}

/** Wraps a command action so a thrown error is reported, never a stack trace. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    const options = (args.find((a) => typeof a === "object" && a !== null && !Array.isArray(a)) ?? {}) as OutputOptions;
    try {
      await run(...args);
    } catch (err) {
      fail(options, err);
    }
  };
}
