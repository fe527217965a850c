import type { NodeProcess } from "../support/node-process.js";
import { sleep } from "../support/wait.js";
import { equivocationsCounted, evidenceOnChain } from "./evidence.js";
import { heightOf, type Scenario, type ScenarioContext } from "./harness.js";

/**
 * The scenarios of the bounded suite (CI) and the fault primitives the soak mixes. Each one injects its
 * faults under the running client load, checks what must hold while they last (the rest of the network
 * commits, or, without a quorum, nobody does), takes them back and returns when it did; the harness then
 * checks liveness and runs the audit.
 */

const VALIDATORS = 4;
const ALL = Array.from({ length: VALIDATORS }, (_, i) => i);
const others = (victim: number) => ALL.filter((i) => i !== victim);
const names = (ctx: ScenarioContext, indices: readonly number[]) =>
  indices.map((i) => ctx.cluster.node(i).moniker).join(", ");

/** While a fault lasts, the nodes in `indices` commit at least `blocks` more blocks. */
async function expectProgress(ctx: ScenarioContext, indices: readonly number[], blocks: number, timeoutMs = 30_000) {
  const from = await ctx.harness.topHeight(indices);
  if (!(await ctx.harness.waitHeights(indices, from + blocks, timeoutMs))) {
    throw new Error(`${names(ctx, indices)} did not commit ${blocks} blocks past ${from} within ${timeoutMs} ms`);
  }
  ctx.log(`${names(ctx, indices)} committed past ${from + blocks}`);
}

/**
 * Without a quorum nobody commits. One height may still complete after the cut: its precommits were cast
 * before it, and a node still executing the proposed block (slow on a busy machine) may collect them
 * seconds later. So: from the heights at the cut, no node may go beyond the highest plus one, sampled
 * for `holdMs` plus 2 s, and the last 2 s must see no change at all.
 */
async function expectStall(ctx: ScenarioContext, holdMs: number): Promise<void> {
  const atCut = await ctx.harness.waitAnswers();
  const ceiling = Math.max(...atCut) + 1;
  const until = Date.now() + holdMs + 2_000;
  let last = atCut;
  let lastChange = Date.now();
  while (Date.now() < until || Date.now() - lastChange < 2_000) {
    if (Date.now() > until + 20_000) throw new Error("the nodes never stopped committing without a quorum");
    await sleep(500);
    const now = await ctx.harness.waitAnswers();
    const over = now.findIndex((h) => h > ceiling);
    if (over >= 0) {
      // Who signed the certificate of the block committed without a quorum, and in which round.
      const node = ctx.cluster.node(over);
      const block = await node.client.blockGet(ceiling + 1);
      const certificate = block.commit
        ? `round ${block.commit.round}, signed by validators ${block.commit.signatures.map((s) => s.validatorIndex).join(",")}`
        : "no certificate";
      throw new Error(
        `committed without a quorum: heights ${JSON.stringify(atCut)} at the cut, now ${JSON.stringify(now)}; ` +
          `${node.moniker} block ${ceiling + 1}: ${certificate}`,
      );
    }
    if (now.some((h, i) => h !== last[i])) lastChange = Date.now();
    last = now;
  }
  ctx.log(`no quorum: heights ${JSON.stringify(atCut)} at the cut, ${JSON.stringify(last)} after ${holdMs} ms more`);
}

export async function killAndRestart(ctx: ScenarioContext, victim: number, downMs: number): Promise<number> {
  const node = ctx.cluster.node(victim);
  const before = (await heightOf(node)) ?? 0;
  await ctx.cluster.kill(victim);
  ctx.log(`kill -9 ${node.moniker} at height ${before}; down for ${downMs} ms`);
  const until = Date.now() + downMs;
  await expectProgress(ctx, others(victim), 3);
  await sleep(Math.max(0, until - Date.now()));
  await ctx.cluster.restart(victim);
  const restarted = Date.now();
  const after = (await heightOf(node)) ?? 0;
  // It resumes from its store: never below what it had committed before the crash.
  if (after < before) throw new Error(`${node.moniker} came back at height ${after}, below ${before}`);
  ctx.log(`${node.moniker} restarted at height ${after}`);
  return restarted;
}

export async function freezeAndThaw(ctx: ScenarioContext, victim: number, frozenMs: number): Promise<number> {
  const until = Date.now() + frozenMs;
  ctx.cluster.freeze(victim);
  ctx.log(`SIGSTOP ${ctx.cluster.node(victim).moniker} for ${frozenMs} ms`);
  await expectProgress(ctx, others(victim), 3);
  await sleep(Math.max(0, until - Date.now()));
  ctx.cluster.thaw(victim);
  ctx.log(`SIGCONT ${ctx.cluster.node(victim).moniker}`);
  return Date.now();
}

/** One node cut off from the other three: the three commit, the one commits nothing. */
export async function isolate(ctx: ScenarioContext, victim: number, isolatedMs: number): Promise<number> {
  const node = ctx.cluster.node(victim);
  const until = Date.now() + isolatedMs;
  await ctx.cluster.partition([[victim], others(victim)]);
  const start = (await heightOf(node)) ?? 0;
  ctx.log(`partition {${node.moniker}} | {${names(ctx, others(victim))}} for ${isolatedMs} ms`);
  await expectProgress(ctx, others(victim), 3);
  await sleep(Math.max(0, until - Date.now()));
  const end = (await heightOf(node)) ?? 0;
  // A commit whose precommits it had already received may still land; nothing after that.
  if (end > start + 1) throw new Error(`${node.moniker} committed ${start}..${end} alone, without a quorum`);
  const lag = (await ctx.harness.topHeight(others(victim))) - end;
  ctx.log(`${node.moniker} stayed at ${end}, ${lag} blocks behind; healing`);
  await ctx.cluster.heal();
  return Date.now();
}

/** Two against two: neither side has a quorum, so nobody commits, and after the heal all go on. */
export async function splitBrain(ctx: ScenarioContext, holdMs: number): Promise<number> {
  const order = ctx.rng.shuffle(ALL);
  const groups = [order.slice(0, 2), order.slice(2)];
  await ctx.cluster.partition(groups);
  ctx.log(`partition {${names(ctx, groups[0] ?? [])}} | {${names(ctx, groups[1] ?? [])}}`);
  await expectStall(ctx, holdMs);
  await ctx.cluster.heal();
  return Date.now();
}

export async function degradeLinks(ctx: ScenarioContext, lastingMs: number): Promise<number> {
  const faults = { delayMs: ctx.rng.int(50, 150), jitterMs: ctx.rng.int(20, 80), lossRate: ctx.rng.int(2, 8) / 100 };
  const until = Date.now() + lastingMs;
  await ctx.cluster.degrade(faults);
  ctx.log(`links degraded (${ctx.cluster.linkFaultLayer}): ${JSON.stringify(faults)} for ${lastingMs} ms`);
  ctx.note(
    `delay ${faults.delayMs} ms, jitter ${faults.jitterMs} ms, ${Math.round(faults.lossRate * 100)}% loss, by ${ctx.cluster.linkFaultLayer}`,
  );
  await expectProgress(ctx, ALL, 3, 45_000);
  await sleep(Math.max(0, until - Date.now()));
  await ctx.cluster.restore();
  return Date.now();
}

export async function skewClock(ctx: ScenarioContext, victim: number, lastingMs: number): Promise<number> {
  const skewMs = ctx.rng.pick([-1, 1]) * ctx.rng.int(2_000, 5_000);
  const until = Date.now() + lastingMs;
  await ctx.cluster.skew(victim, skewMs);
  ctx.log(`clock of ${ctx.cluster.node(victim).moniker} skewed by ${skewMs} ms for ${lastingMs} ms`);
  ctx.note(`${ctx.cluster.node(victim).moniker} ${skewMs > 0 ? "+" : ""}${skewMs} ms`);
  await expectProgress(ctx, ALL, 3, 45_000);
  await sleep(Math.max(0, until - Date.now()));
  await ctx.cluster.skew(victim, 0);
  return Date.now();
}

/**
 * The victim restarts as an equivocator (conflicting second vote for every vote, second proposal when it
 * proposes). The honest three stay live and safe, detect it, and every honest node shows the evidence on
 * chain over evidence_list. Then the victim is restarted honest.
 */
export async function equivocate(ctx: ScenarioContext, victim: number, lastingMs: number): Promise<number> {
  const node = ctx.cluster.node(victim);
  const honest = others(victim).map((i) => ctx.cluster.node(i));
  const against = async (n: NodeProcess) =>
    (await evidenceOnChain(n)).filter((e) => e.validator === node.node.publicKey).length;
  const before = await Promise.all(honest.map(against));
  const countedBefore = await Promise.all(honest.map((n) => equivocationsCounted(n)));
  const logLinesBefore = await Promise.all(honest.map(async (n) => (await n.logLines()).length));
  ctx.harness.markByzantine(node.node.publicKey);
  const until = Date.now() + lastingMs;
  await ctx.cluster.kill(victim);
  await ctx.cluster.restart(victim, { HANSA_TEST_BYZANTINE: "equivocate" });
  ctx.log(`${node.moniker} restarted byzantine (equivocate) for ${lastingMs} ms`);
  await expectProgress(ctx, others(victim), 3);
  await sleep(Math.max(0, until - Date.now()));
  // New evidence against it, committed on chain: every honest node answers it over evidence_list.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await Promise.all(honest.map(against));
    if (now.every((n, i) => n > (before[i] as number))) {
      const kinds = new Set(
        (await evidenceOnChain(honest[0] as NodeProcess))
          .filter((e) => e.validator === node.node.publicKey)
          .map((e) => e.kind),
      );
      ctx.log(`evidence against ${node.moniker} on every honest node: ${now.join(", ")} (${[...kinds].join(", ")})`);
      ctx.note(`evidence on every honest node: ${[...kinds].sort().join(", ")} (${now[0]} entries)`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`no new evidence against ${node.moniker} on every honest node`);
    await sleep(500);
  }
  const counted = await Promise.all(honest.map((n) => equivocationsCounted(n)));
  if (counted.every((c, i) => c <= (countedBefore[i] as number))) {
    throw new Error("no honest node counted more hansa_equivocations_total");
  }
  let logged = 0;
  for (const [i, n] of honest.entries()) {
    const lines = (await n.logLines()).slice(logLinesBefore[i]);
    logged += lines.filter((l) => l.msg === "equivocation detected" && l.validator === node.node.publicKey).length;
  }
  if (logged === 0) throw new Error(`no honest node logged "equivocation detected" for ${node.moniker}`);
  ctx.log(`hansa_equivocations_total on the honest nodes: ${counted.join(", ")}; ${logged} log lines`);
  await ctx.cluster.kill(victim);
  await ctx.cluster.restart(victim);
  ctx.log(`${node.moniker} restarted honest`);
  return Date.now();
}

/** The bounded suite that CI runs: each fault on its own, about 15–25 s each. */
export const BOUNDED_SCENARIOS: Scenario[] = [
  {
    name: "kill -9 and restart",
    faults: "kill -9 of one validator, down 3–8 s, restart; twice (seeded victims)",
    run: async (ctx) => {
      await killAndRestart(ctx, ctx.rng.pick(ALL), ctx.rng.int(3_000, 8_000));
      await sleep(ctx.rng.int(500, 3_000));
      return killAndRestart(ctx, ctx.rng.pick(ALL), ctx.rng.int(3_000, 8_000));
    },
  },
  {
    name: "frozen node (SIGSTOP/SIGCONT)",
    faults: "SIGSTOP of one validator for 6–12 s, then SIGCONT",
    run: (ctx) => freezeAndThaw(ctx, ctx.rng.pick(ALL), ctx.rng.int(6_000, 12_000)),
  },
  {
    name: "minority partition",
    faults: "1 | 3 partition for 8–12 s: the three commit, the one does not; heal",
    run: (ctx) => isolate(ctx, ctx.rng.pick(ALL), ctx.rng.int(8_000, 12_000)),
  },
  {
    name: "no quorum (2 | 2 split)",
    faults: "2 | 2 partition held 7 s: nothing but the height in flight at the cut commits; heal",
    run: (ctx) => splitBrain(ctx, 5_000),
  },
  {
    name: "isolated node rejoins",
    faults: "one validator cut off for 20 s under load, then rejoins and catches up",
    run: (ctx) => isolate(ctx, ctx.rng.pick(ALL), 20_000),
  },
  {
    name: "latency, jitter and loss",
    faults: "50–150 ms delay, 20–80 ms jitter, 2–8% loss on every node for 20 s",
    run: (ctx) => degradeLinks(ctx, 20_000),
  },
  {
    name: "clock skew",
    faults: "one validator's clock 2–5 s ahead or behind for 20 s",
    run: (ctx) => skewClock(ctx, ctx.rng.pick(ALL), 20_000),
  },
  {
    name: "byzantine equivocator",
    faults: "one validator double-votes and double-proposes for 20 s",
    run: (ctx) => equivocate(ctx, ctx.rng.pick(ALL), 20_000),
  },
];

/** What the soak draws from: the same faults with wider, seeded durations. */
export const SOAK_FAULTS: Scenario[] = [
  {
    name: "kill -9 and restart",
    faults: "kill -9 of a random validator, down 1–20 s",
    run: (ctx) => killAndRestart(ctx, ctx.rng.pick(ALL), ctx.rng.int(1_000, 20_000)),
  },
  {
    name: "frozen node",
    faults: "SIGSTOP of a random validator for 2–20 s",
    run: (ctx) => freezeAndThaw(ctx, ctx.rng.pick(ALL), ctx.rng.int(2_000, 20_000)),
  },
  {
    name: "isolated node",
    faults: "1 | 3 partition for 3–40 s",
    run: (ctx) => isolate(ctx, ctx.rng.pick(ALL), ctx.rng.int(3_000, 40_000)),
  },
  {
    name: "no quorum (2 | 2 split)",
    faults: "2 | 2 partition held 3–17 s",
    run: (ctx) => splitBrain(ctx, ctx.rng.int(1_000, 15_000)),
  },
  {
    name: "latency, jitter and loss",
    faults: "50–150 ms delay, 20–80 ms jitter, 2–8% loss for 10–40 s",
    run: (ctx) => degradeLinks(ctx, ctx.rng.int(10_000, 40_000)),
  },
  {
    name: "clock skew",
    faults: "a random validator's clock 2–5 s off for 10–40 s",
    run: (ctx) => skewClock(ctx, ctx.rng.pick(ALL), ctx.rng.int(10_000, 40_000)),
  },
  {
    name: "kill -9 under bad links",
    faults: "latency/jitter/loss on every node while a random validator is killed and restarted",
    run: async (ctx) => {
      const faults = {
        delayMs: ctx.rng.int(30, 100),
        jitterMs: ctx.rng.int(10, 50),
        lossRate: ctx.rng.int(1, 4) / 100,
      };
      await ctx.cluster.degrade(faults);
      ctx.log(`links degraded (${ctx.cluster.linkFaultLayer}): ${JSON.stringify(faults)}`);
      await killAndRestart(ctx, ctx.rng.pick(ALL), ctx.rng.int(2_000, 10_000));
      await ctx.cluster.restore();
      return Date.now();
    },
  },
  {
    name: "byzantine equivocator",
    faults: "a random validator double-votes and double-proposes for 10–30 s",
    run: (ctx) => equivocate(ctx, ctx.rng.pick(ALL), ctx.rng.int(10_000, 30_000)),
  },
];
