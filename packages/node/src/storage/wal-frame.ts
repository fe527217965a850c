import { crc32 } from "node:zlib";
import { readU32, walKey, writeU32 } from "./keys.js";

/**
 * A write-ahead record as stored: `crc32 (u32be) | length (u32be) | data`. The checksum covers the record's
 * key (height and sequence) as well as length and data, so a record that is torn, bit-flipped or copied
 * under another key fails the check. LevelDB's own log already makes each put atomic; the frame is the
 * second line of defence CometBFT's WAL keeps, against a disk that returns bad bytes.
 */

const HEADER_BYTES = 8;

function checksum(height: number, seq: number, lengthAndData: Uint8Array): number {
  return crc32(lengthAndData, crc32(walKey(height, seq)));
}

export function frameWalRecord(height: number, seq: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length);
  writeU32(out, 4, data.length);
  out.set(data, HEADER_BYTES);
  writeU32(out, 0, checksum(height, seq, out.subarray(4)));
  return out;
}

export type UnframeResult = { ok: true; data: Uint8Array } | { ok: false; reason: "short" | "length" | "checksum" };

export function unframeWalRecord(height: number, seq: number, frame: Uint8Array): UnframeResult {
  if (frame.length < HEADER_BYTES) return { ok: false, reason: "short" };
  const length = readU32(frame, 4);
  if (length !== frame.length - HEADER_BYTES) return { ok: false, reason: "length" };
  if (readU32(frame, 0) !== checksum(height, seq, frame.subarray(4))) return { ok: false, reason: "checksum" };
  return { ok: true, data: frame.subarray(HEADER_BYTES) };
}
