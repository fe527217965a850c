import { bytesToHex } from "@hansa/core";

/** What `test_setFaults` sets: every field optional, an absent field means "no such fault". */
export interface FaultSettings {
  /** Validators (public keys) this node disconnects from and refuses, as if a partition lay between. */
  blockPeers?: Uint8Array[];
  /** Delay added to every p2p message this node receives, plus a uniform 0..jitterMs on top. */
  delayMs?: number;
  jitterMs?: number;
  /** Share (0..1) of received p2p messages dropped. */
  lossRate?: number;
  /** Added to this node's clock: block times it proposes and its check of others' block times. */
  clockSkewMs?: number;
}

/**
 * Network and clock faults a node applies to itself, for fault tests on machines where the kernel cannot
 * delay or drop packets (no netem) or cannot skew one process's clock. Enabled only by
 * `HANSA_TEST_HOOKS=1`; a node without it has no such object and no `test_setFaults` method.
 *
 * Messages are delayed and dropped where the node receives them: after TCP, so a "lost" message is lost for
 * good, which is harsher than packet loss (TCP would resend it, late).
 */
export class NetworkFaults {
  private settings: Required<Omit<FaultSettings, "blockPeers">> = NO_FAULTS;
  private blocked = new Set<string>();
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces every fault at once; `{}` clears them. */
  set(settings: FaultSettings): void {
    this.settings = {
      delayMs: settings.delayMs ?? 0,
      jitterMs: settings.jitterMs ?? 0,
      lossRate: settings.lossRate ?? 0,
      clockSkewMs: settings.clockSkewMs ?? 0,
    };
    this.blocked = new Set((settings.blockPeers ?? []).map(bytesToHex));
    for (const listener of this.listeners) listener();
  }

  /** Called after every `set`, e.g. to apply a new blocked set to the peer allow-list. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  describe(): Record<string, unknown> {
    return { ...this.settings, blockPeers: [...this.blocked].map((hex) => `0x${hex}`) };
  }

  isBlocked(publicKey: Uint8Array): boolean {
    return this.blocked.has(bytesToHex(publicKey));
  }

  now(): number {
    return Date.now() + this.settings.clockSkewMs;
  }

  /** Hands a received message to `deliver` as the faulty link would: dropped, late, or at once. */
  receive(deliver: () => void): void {
    const { delayMs, jitterMs, lossRate } = this.settings;
    if (lossRate > 0 && this.random() < lossRate) return;
    const wait = delayMs + (jitterMs > 0 ? this.random() * jitterMs : 0);
    if (wait <= 0) deliver();
    else setTimeout(deliver, wait);
  }
}

const NO_FAULTS = { delayMs: 0, jitterMs: 0, lossRate: 0, clockSkewMs: 0 };
