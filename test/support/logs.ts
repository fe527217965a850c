import type { NodeProcess } from "./node-process.js";

/** `node: message` for every log line of any node that mentions equivocation. */
export async function equivocationReports(nodes: readonly NodeProcess[]): Promise<string[]> {
  const reports: string[] = [];
  for (const node of nodes) {
    for (const line of await node.logLines()) {
      const text = JSON.stringify(line);
      if (/equivocat/i.test(text)) reports.push(`${node.moniker}: ${text}`);
    }
  }
  return reports;
}

/**
 * `node: line` for every line at level error or fatal, and any output that is not a JSON log line (e.g. a
 * crash trace), of any node: a node logs errors only for its own bugs, never for what peers or clients do.
 */
export async function errorReports(nodes: readonly NodeProcess[]): Promise<string[]> {
  const reports: string[] = [];
  for (const node of nodes) {
    for (const line of await node.logLines()) {
      if ("raw" in line || line.level === "error" || line.level === "fatal") {
        reports.push(`${node.moniker}: ${JSON.stringify(line)}`);
      }
    }
  }
  return reports;
}
