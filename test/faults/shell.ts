import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Runs a command (no shell) and returns its stdout; fails with the command line and its stderr. */
export async function sh(command: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, [...args], { timeout: 15_000 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim() ?? "";
    throw new Error(`${command} ${args.join(" ")} failed: ${stderr || (err as Error).message}`);
  }
}

/** As `sh`, but a failure is an answer (false), not an error: for probes and best-effort cleanup. */
export async function trySh(command: string, args: readonly string[]): Promise<boolean> {
  try {
    await sh(command, args);
    return true;
  } catch {
    return false;
  }
}
