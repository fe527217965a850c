import { z } from "zod";
import type { RpcMethod } from "../rpc/index.js";
import { hashParam } from "../rpc/params.js";
import type { NetworkFaults } from "./faults.js";

const FaultsParams = z.strictObject({
  blockPeers: z.array(hashParam).max(256).optional().describe("validator public keys to cut this node off from"),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  jitterMs: z.number().int().min(0).max(60_000).optional(),
  lossRate: z.number().min(0).max(1).optional(),
  clockSkewMs: z.number().int().min(-3_600_000).max(3_600_000).optional(),
});

/** The JSON-RPC methods of a node started with `HANSA_TEST_HOOKS=1`; never present otherwise. */
export function testRpcMethods(faults: NetworkFaults): RpcMethod[] {
  const setFaults: RpcMethod<typeof FaultsParams> = {
    name: "test_setFaults",
    summary: "Fault tests only: replaces the network and clock faults this node applies to itself.",
    params: FaultsParams,
    result: z.record(z.string(), z.unknown()),
    errors: [],
    call: async (_ctx, p) => {
      faults.set({
        ...(p.blockPeers ? { blockPeers: p.blockPeers } : {}),
        ...(p.delayMs === undefined ? {} : { delayMs: p.delayMs }),
        ...(p.jitterMs === undefined ? {} : { jitterMs: p.jitterMs }),
        ...(p.lossRate === undefined ? {} : { lossRate: p.lossRate }),
        ...(p.clockSkewMs === undefined ? {} : { clockSkewMs: p.clockSkewMs }),
      });
      return faults.describe();
    },
  };
  return [setFaults as unknown as RpcMethod];
}
