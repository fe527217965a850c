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

/** Peak resident set (VmHWM) and current resident set (VmRSS) in bytes. */
export function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
    return { peakRss: kb("VmHWM"), rss: kb("VmRSS") };
  } catch {
    return undefined;
  }
}
