export { type ConflictingProposal, Equivocator } from "./equivocator.js";
export { type FaultSettings, NetworkFaults } from "./faults.js";
export { testRpcMethods } from "./rpc-methods.js";
