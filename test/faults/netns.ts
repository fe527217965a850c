import { sh, trySh } from "./shell.js";

/**
 * Names of everything the harness makes in the root namespace and under /var/run/netns carry this prefix
 * and the id of the process that owns the run, so a later run can tell (and remove) what a crashed run left
 * behind without touching a run still in progress.
 */
export const NETNS_PREFIX = "hansa-f";
const LINK_PREFIX = "hf";
/** Private addresses, 10.213.X.0/24 with X chosen free on this machine. */
const SUBNET_BASE = "10.213";

export interface LinkFaults {
  delayMs: number;
  jitterMs: number;
  /** 0..1 */
  lossRate: number;
}

/** The run's tag: the runner's pid when run through run.mjs (shared by all its files), else this process's. */
export function runTag(): string {
  const tag = process.env.HANSA_FAULTS_RUN ?? String(process.pid);
  if (!/^\d{1,7}$/.test(tag)) throw new Error(`HANSA_FAULTS_RUN must be a pid, got ${tag}`);
  return tag;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function namespaces(): Promise<string[]> {
  const out = await sh("ip", ["netns", "list"]);
  return out
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name.length > 0);
}

async function links(): Promise<string[]> {
  const out = await sh("ip", ["-o", "link", "show"]);
  return out
    .split("\n")
    .map((line) => line.split(":")[1]?.trim().split("@")[0] ?? "")
    .filter((name) => name.length > 0);
}

/** Kills what still runs inside a namespace (a node a crashed run left), then deletes the namespace. */
async function deleteNamespace(ns: string): Promise<void> {
  const pids = await sh("ip", ["netns", "pids", ns]).catch(() => "");
  for (const pid of pids.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await trySh("ip", ["netns", "del", ns]);
}

/**
 * Removes namespaces and links of earlier runs whose owner process is gone (`owner` matches everything of
 * that one run, alive or not: the runner's final sweep). Returns what it removed.
 */
export async function removeNetnsLeftovers(owner?: string): Promise<string[]> {
  const removed: string[] = [];
  const nsPattern = new RegExp(`^${NETNS_PREFIX}(\\d+)-`);
  for (const ns of await namespaces()) {
    const tag = nsPattern.exec(ns)?.[1];
    if (tag === undefined || (owner === undefined ? alive(Number(tag)) : tag !== owner)) continue;
    await deleteNamespace(ns);
    removed.push(ns);
  }
  const linkPattern = new RegExp(`^${LINK_PREFIX}(\\d+)[vbt]\\d*$`);
  for (const link of await links()) {
    const tag = linkPattern.exec(link)?.[1];
    if (tag === undefined || (owner === undefined ? alive(Number(tag)) : tag !== owner)) continue;
    if (await trySh("ip", ["link", "del", link])) removed.push(link);
  }
  return removed;
}

/** Whether this process may make network namespaces (root, a kernel that has them, `ip` installed). */
export async function netnsAvailable(): Promise<boolean> {
  if (process.env.HANSA_FAULTS_MODE === "loopback") return false;
  const probe = `${NETNS_PREFIX}${runTag()}-probe`;
  const ok = await trySh("ip", ["netns", "add", probe]);
  if (ok) await trySh("ip", ["netns", "del", probe]);
  return ok;
}

/** Whether `tc qdisc … netem` works here, tried on a scratch veth pair that is removed again. */
export async function netemAvailable(): Promise<boolean> {
  const a = `${LINK_PREFIX}${runTag()}t0`;
  const b = `${LINK_PREFIX}${runTag()}t1`;
  await trySh("ip", ["link", "del", a]);
  if (!(await trySh("ip", ["link", "add", a, "type", "veth", "peer", "name", b]))) return false;
  try {
    return await trySh("tc", ["qdisc", "add", "dev", a, "root", "netem", "delay", "1ms"]);
  } finally {
    await trySh("ip", ["link", "del", a]);
  }
}

async function freeSubnet(tag: string): Promise<string> {
  const used = await sh("ip", ["-4", "-o", "addr", "show"]);
  for (let k = 0; k < 254; k++) {
    const x = ((Number(tag) + k) % 254) + 1;
    const subnet = `${SUBNET_BASE}.${x}`;
    if (!used.includes(`${subnet}.`)) return subnet;
  }
  throw new Error(`no free ${SUBNET_BASE}.X.0/24 subnet`);
}

/**
 * One network namespace per validator, each with a veth pair whose outer end is on one bridge in the root
 * namespace. The bridge has an address too, so the harness (in the root namespace) reaches every node's RPC
 * while the nodes' p2p traffic really crosses links. Partitions are blackhole routes inside the namespaces
 * (both sides), so only traffic between the validators is cut, never the harness's view of them.
 */
export class NamespaceNetwork {
  private readonly blackholes = new Map<number, Set<number>>();
  private degraded = false;

  private constructor(
    readonly tag: string,
    readonly namespaces: readonly string[],
    readonly addresses: readonly string[],
    private readonly bridge: string,
    private readonly hostLinks: readonly string[],
    /** Whether latency, jitter and loss can be put on the links (netem); else the node hooks do it. */
    readonly netem: boolean,
  ) {}

  static async create(nodes: number, netem: boolean): Promise<NamespaceNetwork> {
    const tag = runTag();
    const namespacesOf = Array.from({ length: nodes }, (_, i) => `${NETNS_PREFIX}${tag}-n${i + 1}`);
    const hostLinks = Array.from({ length: nodes }, (_, i) => `${LINK_PREFIX}${tag}v${i + 1}`);
    const bridge = `${LINK_PREFIX}${tag}b`;
    // Leftovers of this very run (an earlier scenario file that failed before its cleanup).
    for (const ns of namespacesOf) await deleteNamespace(ns);
    for (const link of [...hostLinks, bridge]) await trySh("ip", ["link", "del", link]);

    const subnet = await freeSubnet(tag);
    const addresses = namespacesOf.map((_, i) => `${subnet}.${11 + i}`);
    const net = new NamespaceNetwork(tag, namespacesOf, addresses, bridge, hostLinks, netem);
    try {
      await sh("ip", ["link", "add", bridge, "type", "bridge"]);
      await sh("ip", ["addr", "add", `${subnet}.1/24`, "dev", bridge]);
      await sh("ip", ["link", "set", bridge, "up"]);
      for (const [i, ns] of namespacesOf.entries()) {
        const host = hostLinks[i] as string;
        await sh("ip", ["netns", "add", ns]);
        await sh("ip", ["link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", ns]);
        await sh("ip", ["link", "set", host, "master", bridge, "up"]);
        await sh("ip", ["-n", ns, "link", "set", "lo", "up"]);
        await sh("ip", ["-n", ns, "addr", "add", `${addresses[i]}/24`, "dev", "eth0"]);
        await sh("ip", ["-n", ns, "link", "set", "eth0", "up"]);
      }
    } catch (err) {
      await net.destroy();
      throw err;
    }
    return net;
  }

  /** The command prefix that runs a program inside node `index`'s namespace (`ip netns exec` execs it). */
  launcher(index: number): string[] {
    return ["ip", "netns", "exec", this.namespaces[index] as string];
  }

  /** Cuts every link between nodes in different groups (nodes in no group are cut from everyone). */
  async partition(groups: readonly (readonly number[])[]): Promise<void> {
    await this.heal();
    const groupOf = new Map<number, number>();
    for (const [g, members] of groups.entries()) for (const m of members) groupOf.set(m, g);
    for (let i = 0; i < this.namespaces.length; i++) {
      for (let j = 0; j < this.namespaces.length; j++) {
        if (i === j) continue;
        const together = groupOf.has(i) && groupOf.get(i) === groupOf.get(j);
        if (together) continue;
        await sh("ip", ["-n", this.namespaces[i] as string, "route", "add", "blackhole", this.addresses[j] as string]);
        const cut = this.blackholes.get(i) ?? new Set<number>();
        cut.add(j);
        this.blackholes.set(i, cut);
      }
    }
  }

  async heal(): Promise<void> {
    for (const [i, cut] of this.blackholes) {
      for (const j of cut) {
        await trySh("ip", [
          "-n",
          this.namespaces[i] as string,
          "route",
          "del",
          "blackhole",
          this.addresses[j] as string,
        ]);
      }
    }
    this.blackholes.clear();
  }

  /** Latency, jitter and loss on every node's outgoing link (netem on the namespace's eth0). */
  async degrade(faults: LinkFaults): Promise<void> {
    if (!this.netem) throw new Error("netem is not available on this kernel");
    for (const ns of this.namespaces) {
      await sh("tc", [
        ...["-n", ns, "qdisc", "replace", "dev", "eth0", "root", "netem"],
        ...["delay", `${faults.delayMs}ms`, `${faults.jitterMs}ms`, "loss", `${(faults.lossRate * 100).toFixed(2)}%`],
      ]);
    }
    this.degraded = true;
  }

  async restore(): Promise<void> {
    if (!this.degraded) return;
    for (const ns of this.namespaces) await trySh("tc", ["-n", ns, "qdisc", "del", "dev", "eth0", "root"]);
    this.degraded = false;
  }

  /** Removes the namespaces (killing anything left inside), the veth pairs and the bridge. */
  async destroy(): Promise<void> {
    for (const ns of this.namespaces) await deleteNamespace(ns);
    for (const link of [...this.hostLinks, this.bridge]) await trySh("ip", ["link", "del", link]);
  }
}
