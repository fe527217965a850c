import { generateKeyPairSync, sign, verify } from "node:crypto";
import { availableParallelism } from "node:os";

/**
 * The machine's ceiling for a chain where every validator verifies every transaction's signature once:
 * native (OpenSSL) Ed25519 verifications per second on one core, times the cores, divided by the validators
 * sharing them. Measured on an idle machine, before any validator starts.
 */
export function measureVerifyRate(durationMs = 2_000) {
  const keys = Array.from({ length: 16 }, () => generateKeyPairSync("ed25519"));
  const message = Buffer.alloc(220, 7);
  const samples = keys.map(({ privateKey, publicKey }) => ({
    publicKey,
    signature: sign(null, message, privateKey),
  }));
  // Warm up, so the timed loop measures steady state, not first-call costs.
  for (let i = 0; i < 500; i++) verify(null, message, samples[i % 16].publicKey, samples[i % 16].signature);
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let i = 0; i < 200; i++) {
      const s = samples[count++ % 16];
      if (!verify(null, message, s.publicKey, s.signature)) throw new Error("a valid signature failed to verify");
    }
    now = performance.now();
  }
  return { perCore: Math.round((count * 1000) / (now - start)), cores: availableParallelism() };
}

export function ceilingFor({ perCore, cores }, validators) {
  return Math.round((perCore * cores) / validators);
}
