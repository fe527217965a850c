interface Task {
  at: number;
  seq: number;
  run: () => void;
}

/** A virtual clock: tasks run in time order, ties in the order they were scheduled. */
export class Scheduler {
  private heap: Task[] = [];
  private seq = 0;
  now = 0;

  at(time: number, run: () => void): void {
    const task = { at: Math.max(time, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(task, h[p] as Task)) break;
      h[i] = h[p] as Task;
      i = p;
    }
    h[i] = task;
  }

  after(delay: number, run: () => void): void {
    this.at(this.now + delay, run);
  }

  /** Runs tasks up to `until` or until `stop()` says so; returns false when the queue ran dry. */
  run(until: number, stop: () => boolean): boolean {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0] as Task;
      if (top.at > until) return true;
      const last = h.pop() as Task;
      if (h.length > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          let best = last;
          if (l < h.length && before(h[l] as Task, best)) {
            m = l;
            best = h[l] as Task;
          }
          if (r < h.length && before(h[r] as Task, best)) m = r;
          if (m === i) break;
          h[i] = h[m] as Task;
          i = m;
        }
        h[i] = last;
      }
      this.now = top.at;
      top.run();
      if (stop()) return true;
    }
    return false;
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
