import { Prng } from "@hansa/consensus/sim";

/**
 * The fault schedule's generator: the consensus simulator's seeded Prng, so a failing run is repeated with
 * `pnpm test:faults --seed N`, plus `fork`: each part of a run draws from its own stream, so adding draws in
 * one part does not shift the others. Not for anything but scheduling.
 */
export class FaultPrng extends Prng {
  constructor(readonly seed: number) {
    super(seed);
  }

  fork(label: string): FaultPrng {
    let h = this.seed >>> 0;
    for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return new FaultPrng(h);
  }
}
