import type { NodeProcess } from "../support/node-process.js";
import { rpcCall } from "./rpc-batch.js";

export interface CommittedEvidence {
  kind: "duplicate_vote" | "duplicate_proposal";
  validator: string;
  height: number;
  round: number;
  includedHeight: number;
}

/** Every piece of evidence committed on `node`'s chain (evidence_list, all pages). */
export async function evidenceOnChain(node: NodeProcess): Promise<CommittedEvidence[]> {
  const all: CommittedEvidence[] = [];
  let from: { fromHeight: number; fromIndex: number } | null = { fromHeight: 1, fromIndex: 0 };
  while (from) {
    const page: { evidence: CommittedEvidence[]; next: { fromHeight: number; fromIndex: number } | null } =
      await rpcCall(node.node.rpcUrl, "evidence_list", { ...from, limit: 100 });
    all.push(...page.evidence);
    from = page.next;
  }
  return all;
}

/** The value of `hansa_equivocations_total` at GET /metrics (0 when absent). */
export async function equivocationsCounted(node: NodeProcess): Promise<number> {
  const res = await fetch(`${node.node.rpcUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let total = 0;
  for (const line of text.split("\n")) {
    const match = /^hansa_equivocations_total(?:\{[^}]*\})?\s+([0-9.e+]+)/.exec(line);
    if (match) total += Number(match[1]);
  }
  return total;
}
