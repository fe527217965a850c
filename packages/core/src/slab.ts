/**
 * Byte arrays carved from shared slabs, for the many short-lived arrays a block makes that are just over
 * 64 bytes (a state-tree node is 65). V8 keeps a Uint8Array of up to 64 bytes on its heap but gives a longer
 * one its own off-heap backing store, ~25x dearer to allocate (~0.67 µs against ~0.03 µs for a view on a
 * slab here) and tracked by the collector one by one.
 *
 * A view keeps its whole slab alive: use it for arrays that die about when their neighbours do (one block's
 * tree nodes), not for a few long-lived ones. Views are ordinary Uint8Arrays with a non-zero `byteOffset`.
 */

/** V8's largest on-heap typed array (its `typed_array_max_size_in_heap`). */
const ON_HEAP_MAX_BYTES = 64;
const SLAB_BYTES = 16 * 1024;
/** Larger requests get their own array: carving them would waste most of a slab's tail. */
const MAX_CARVED_BYTES = 1024;

let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/** A zeroed array of `length` bytes: on the V8 heap when small enough, else a view on a shared slab. */
export function allocBytes(length: number): Uint8Array {
  if (length <= ON_HEAP_MAX_BYTES || length > MAX_CARVED_BYTES) return new Uint8Array(length);
  if (used + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + length);
  used += length;
  return out;
}
