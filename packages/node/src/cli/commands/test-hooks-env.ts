import type { TestHooks } from "../../runtime/node.js";
import { CommandError } from "../rpc-command.js";

/**
 * Fault-test instruments, switched on only through the environment so that no config file can turn them
 * on by mistake: `HANSA_TEST_HOOKS=1` adds `test_setFaults` (injected network and clock faults) and
 * `HANSA_TEST_BYZANTINE=equivocate` makes the validator sign conflicting messages.
 */
export async function testHooksFromEnv(env: NodeJS.ProcessEnv): Promise<TestHooks> {
  const hooks: TestHooks = {};
  const enabled = env.HANSA_TEST_HOOKS;
  if (enabled !== undefined && enabled !== "" && enabled !== "0") {
    if (enabled !== "1") throw new CommandError("CONFIG_INVALID", `HANSA_TEST_HOOKS must be 1 or 0, not "${enabled}"`);
    const { NetworkFaults } = await import("../../testing/index.js");
    hooks.faults = new NetworkFaults();
  }
  const byzantine = env.HANSA_TEST_BYZANTINE;
  if (byzantine !== undefined && byzantine !== "") {
    if (byzantine !== "equivocate")
      throw new CommandError("CONFIG_INVALID", `HANSA_TEST_BYZANTINE must be "equivocate", not "${byzantine}"`);
    hooks.equivocate = true;
  }
  return hooks;
}
