import type { Libp2p, PeerId } from "@libp2p/interface";
import { type Multiaddr, multiaddr } from "@multiformats/multiaddr";
import type { NetworkLimits } from "../limits.js";
import type { Logger } from "../types.js";

interface Target {
  peerId: PeerId;
  addrs: Multiaddr[];
  delayMs: number;
  timer: NodeJS.Timeout | undefined;
  dialing: boolean;
}

const DIAL_TIMEOUT_MS = 10_000;

/**
 * Keeps the configured peers connected: dials each at start, and after a disconnect or failed dial tries
 * again after a delay that doubles up to `reconnectMaxDelayMs` (±20% jitter, so a restarted validator is
 * not dialled by everyone in the same millisecond). A successful connection resets the delay.
 */
export class Redialer {
  private readonly targets = new Map<string, Target>();
  private stopped = true;

  constructor(
    private readonly libp2p: Libp2p,
    peers: { peerId: PeerId; addrs: string[] }[],
    private readonly limits: Pick<NetworkLimits, "reconnectInitialDelayMs" | "reconnectMaxDelayMs">,
    private readonly logger: Logger,
  ) {
    for (const { peerId, addrs } of peers) {
      const withId = addrs.map((a) => multiaddr(a).encapsulate(`/p2p/${peerId.toString()}`));
      this.targets.set(peerId.toString(), {
        peerId,
        addrs: withId,
        delayMs: limits.reconnectInitialDelayMs,
        timer: undefined,
        dialing: false,
      });
    }
  }

  start(): void {
    this.stopped = false;
    for (const target of this.targets.values()) void this.dial(target);
  }

  stop(): void {
    this.stopped = true;
    for (const target of this.targets.values()) {
      clearTimeout(target.timer);
      target.timer = undefined;
    }
  }

  connected(peerId: string): void {
    const target = this.targets.get(peerId);
    if (!target) return;
    clearTimeout(target.timer);
    target.timer = undefined;
    target.delayMs = this.limits.reconnectInitialDelayMs;
  }

  disconnected(peerId: string): void {
    const target = this.targets.get(peerId);
    if (target) this.schedule(target);
  }

  private schedule(target: Target): void {
    if (this.stopped || target.timer !== undefined) return;
    const delay = target.delayMs * (0.8 + Math.random() * 0.4);
    target.delayMs = Math.min(target.delayMs * 2, this.limits.reconnectMaxDelayMs);
    target.timer = setTimeout(() => {
      target.timer = undefined;
      void this.dial(target);
    }, delay);
    target.timer.unref();
  }

  private async dial(target: Target): Promise<void> {
    if (this.stopped || target.dialing) return;
    if (this.libp2p.getConnections(target.peerId).length > 0) return;
    target.dialing = true;
    try {
      await this.libp2p.dial(target.addrs, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) });
      this.connected(target.peerId.toString());
    } catch (err) {
      this.logger.debug("dial failed", { peerId: target.peerId.toString(), error: String(err) });
      this.schedule(target);
    } finally {
      target.dialing = false;
    }
  }
}
