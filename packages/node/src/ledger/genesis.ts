import { type Genesis, validateGenesis } from "@hansa/core";
import { commitState, EMPTY_STATE_ROOT } from "./commitment.js";
import { canonicalRoles } from "./context.js";
import { Overlay, type StateReader, type StateWrite } from "./state.js";
import { LedgerStore } from "./store.js";

const EMPTY: StateReader = { get: () => undefined };

/** The first validator set is in force from height 1, the first block. */
export const GENESIS_VALIDATORS_FROM = 1;

/**
 * The state genesis describes: its organizations and members (each with an account at nonce 0), the
 * validator set of height 1, and an account for every validator so it can take part in governance.
 * Throws GenesisError on an invalid genesis.
 */
export async function genesisState(genesis: Genesis): Promise<{ writes: StateWrite[]; stateRoot: Uint8Array }> {
  validateGenesis(genesis);
  const overlay = new Overlay(EMPTY);
  const store = new LedgerStore(overlay);
  for (const org of genesis.organizations) {
    let admins = 0;
    for (const m of org.members) {
      const roles = canonicalRoles(m.roles);
      if (roles.includes("admin")) admins++;
      store.putMembership(m.publicKey, { org: org.id, roles });
      store.putAccount(m.publicKey, { nonce: 0 });
    }
    store.putOrg({ id: org.id, name: org.name, admins });
  }
  // A validator may also be a member; one account serves both.
  for (const v of genesis.validators) store.putAccount(v.publicKey, { nonce: 0 });
  store.putValidatorSet(GENESIS_VALIDATORS_FROM, [...genesis.validators]);
  store.putValidatorIndex([GENESIS_VALIDATORS_FROM]);

  const { root, nodes } = await commitState(overlay, EMPTY_STATE_ROOT, overlay.writes());
  for (const n of nodes) if (n.value !== null) overlay.put(n.key, n.value);
  store.putMeta({ chainId: genesis.chainId, height: 0, time: genesis.genesisTime, stateRoot: root });
  return { writes: overlay.writes(), stateRoot: root };
}
