import { bytesToHex } from "../bytes.js";

/**
 * The encoding rules both Ed25519 verifiers apply to the public key A and to R, the first half of a signature,
 * before any curve arithmetic. Checked on bytes, so the node:crypto path pays a set lookup and no field math.
 */

/**
 * Every encoding of the eight points of order 1, 2, 4 and 8: the canonical ones and their alternatives
 * (x = -0, or y >= p). Listed in the C2SP CCTV ed25519 README ("Low-order edwards25519 point encodings").
 * A key or R among these lets one signature verify for many messages or keys, so Hansa refuses them.
 */
const SMALL_ORDER_ENCODINGS: ReadonlySet<string> = new Set([
  "0000000000000000000000000000000000000000000000000000000000000000",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0000000000000000000000000000000000000000000000000000000000000080",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000080",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
]);

export function isSmallOrderEncoding(point: Uint8Array): boolean {
  return SMALL_ORDER_ENCODINGS.has(bytesToHex(point));
}

/**
 * True when y (the low 255 bits, little-endian) is below p = 2^255 - 19, as RFC 8032 section 5.1.3 requires.
 * y >= p only when bytes 1..30 are 0xff, byte 31 is 0x7f without the sign bit, and byte 0 is >= 0xed.
 */
export function isCanonicalEncoding(point: Uint8Array): boolean {
  if (((point[31] as number) & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (point[i] !== 0xff) return true;
  return (point[0] as number) < 0xed;
}

/** A 32-byte point encoding Hansa accepts as a public key or as R: canonical and not of small order. */
export function isAcceptedPointEncoding(point: Uint8Array): boolean {
  return point.length === 32 && isCanonicalEncoding(point) && !isSmallOrderEncoding(point);
}
