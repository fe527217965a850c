import type { Logger } from "./types.js";

const noop = () => {};

/** The logger used when the node gives none. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
