/**
 * V8 flags every validator process runs with. Left alone, V8 sizes its heap from the machine's memory (GBs)
 * and collects lazily, so a busy validator grew past 650 MB RSS; capping the old space at 256 MB and the
 * young generation's semi-spaces at 8 MB kept it near 300 MB at the same throughput (docs/benchmarks.md).
 * The mempool's byte limit (64 MB by default) stays well inside the cap.
 */
export const NODE_RUNTIME_FLAGS: readonly string[] = ["--max-old-space-size=256", "--max-semi-space-size=8"];
