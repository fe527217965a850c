import { readFileSync } from "node:fs";

/** CPU time and memory of a process from /proc (Linux): what `top` would show, without running top. */

// Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream kernel build.
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far, or undefined once it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces; the numeric fields start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Peak resident set (VmHWM), current resident set (VmRSS) and its anonymous part (RssAnon) in bytes. The rest
 * of VmRSS is file-backed pages, mostly LevelDB's memory-mapped table files, which the kernel can reclaim.
 */
export function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
    return { peakRss: kb("VmHWM"), rss: kb("VmRSS"), rssAnon: kb("RssAnon") };
  } catch {
    return undefined;
  }
}

/**
 * Samples every process's VmRSS at a fixed interval, so a long run shows whether memory settles or keeps
 * growing (VmHWM alone cannot tell a spike from a leak).
 */
export class RssSampler {
  constructor(pids, intervalMs = 10_000) {
    this.pids = pids;
    this.start = Date.now();
    /** [seconds since start, max VmRSS, max RssAnon over the processes, in bytes] */
    this.samples = [];
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample() {
    const mem = this.pids.map((pid) => memory(pid));
    const max = (field) => Math.max(...mem.map((m) => m?.[field] ?? 0));
    this.samples.push([(Date.now() - this.start) / 1000, max("rss"), max("rssAnon")]);
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
    return this.samples;
  }
}

/**
 * Growth over a run: the highest sample of the last third against the highest of the middle third (the
 * first third is warm-up). Bounded memory shows a difference near zero however long the run.
 */
export function lateGrowth(samples, column = 1) {
  const n = samples.length;
  if (n < 6) return undefined;
  const peak = (from, to) => Math.max(...samples.slice(from, to).map((s) => s[column]));
  return peak(Math.floor((2 * n) / 3), n) - peak(Math.floor(n / 3), Math.floor((2 * n) / 3));
}
