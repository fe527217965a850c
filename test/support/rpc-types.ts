import type { HansaClient } from "@hansa/node";

/** Result shapes of the JSON-RPC API (docs/rpc.md), as the typed client returns them. */
export type BlockJson = Awaited<ReturnType<HansaClient["blockGet"]>>;
export type TxCommittedJson = Awaited<ReturnType<HansaClient["txSubmitAndWait"]>>;
