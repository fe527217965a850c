/**
 * V8 flags every validator process runs with. Left alone, V8 sizes its heap from the machine's memory (GBs)
 * and collects lazily, so a busy validator grew past 650 MB RSS; capping the young generation's semi-spaces
 * at 8 MB and the old space at 512 MB kept it near 340 MB at the same throughput (docs/benchmarks.md).
 * The old-space cap leaves room for a full mempool (20,000 transactions by default) plus the state cache:
 * with a 256 MB cap one validator stopped answering under a sustained overload (heap exhaustion suspected,
 * not confirmed), and a validator that fails under load is far worse than one that uses more memory.
 */
export const NODE_RUNTIME_FLAGS: readonly string[] = ["--max-old-space-size=512", "--max-semi-space-size=8"];

/**
 * Environment every validator process starts with (it must be set before the process starts, so whoever
 * spawns a validator passes it). glibc gives threads that allocate their own malloc arenas, up to 8 per core;
 * LevelDB's, libuv's and V8's threads each kept freed memory in theirs. Two arenas cut peak RSS under load by
 * 15–30 MB per validator with no measurable cost in throughput (docs/benchmarks.md).
 */
export const NODE_RUNTIME_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
