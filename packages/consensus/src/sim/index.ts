export type { SimConfig } from "./config.js";
export { Behavior, configFor, describeConfig, SIM_PARAMS } from "./config.js";
export { Prng } from "./prng.js";
export type { SimResult } from "./run.js";
export { runSimulation } from "./run.js";
