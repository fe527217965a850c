import { bytesTo0x, hexToBytes } from "./bytes.js";
import { bytes, decode, encode, type Infer, list, oneOf, struct, text, uint } from "./encoding/index.js";
import { HansaError } from "./errors.js";
import { sha256 } from "./hash.js";
import { CHAIN_ID_PATTERN, MAX_VALIDATORS } from "./limits.js";
import { ValidatorCodec, ValidatorSet } from "./validators.js";

export const ROLES = ["admin", "writer"] as const;
export type Role = (typeof ROLES)[number];

export const ORG_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const MemberCodec = struct("Member", {
  publicKey: bytes(32),
  roles: list(oneOf(ROLES), { max: ROLES.length }),
});

export const OrganizationCodec = struct("Organization", {
  id: text({ max: 32, pattern: ORG_ID_PATTERN }),
  name: text({ max: 128 }),
  members: list(MemberCodec, { max: 10_000 }),
});

/** Timing and size parameters of consensus, fixed by genesis. Times in milliseconds. */
export const ConsensusParamsCodec = struct("ConsensusParams", {
  timeoutProposeMs: uint(),
  timeoutPrevoteMs: uint(),
  timeoutPrecommitMs: uint(),
  /** Added per round to every timeout, so a slow network is eventually waited for. */
  timeoutDeltaMs: uint(),
  /** No timeout ever grows past this, so a healed network recovers within it. */
  timeoutCapMs: uint(),
  /** Pause after a commit before the next height starts, to gather late precommits. */
  timeoutCommitMs: uint(),
  maxBlockBytes: uint(),
  maxBlockTxs: uint(),
  /** With no transactions waiting, a block is still made this often (a heartbeat); 0 means never. */
  emptyBlockIntervalMs: uint(),
});

export type ConsensusParams = Infer<typeof ConsensusParamsCodec>;

export const DEFAULT_CONSENSUS_PARAMS: ConsensusParams = {
  timeoutProposeMs: 1000,
  timeoutPrevoteMs: 500,
  timeoutPrecommitMs: 500,
  timeoutDeltaMs: 500,
  timeoutCapMs: 30_000,
  timeoutCommitMs: 0,
  maxBlockBytes: 8 * 1024 * 1024,
  maxBlockTxs: 2_000,
  emptyBlockIntervalMs: 5_000,
};

export const GenesisCodec = struct("Genesis", {
  chainId: text({ max: 64, pattern: CHAIN_ID_PATTERN }),
  genesisTime: uint(),
  validators: list(ValidatorCodec, { max: MAX_VALIDATORS }),
  organizations: list(OrganizationCodec, { max: 1_000 }),
  consensusParams: ConsensusParamsCodec,
});

export type Genesis = Infer<typeof GenesisCodec>;
export type Organization = Infer<typeof OrganizationCodec>;
export type Member = Infer<typeof MemberCodec>;

export type GenesisErrorType = { code: "GENESIS_INVALID"; reason: string };

export class GenesisError extends HansaError<GenesisErrorType> {
  constructor(reason: string) {
    super({ code: "GENESIS_INVALID", reason }, `invalid genesis: ${reason}`);
    this.name = "GenesisError";
  }
}

export function encodeGenesis(genesis: Genesis): Uint8Array {
  return encode(GenesisCodec, genesis);
}

export function decodeGenesis(data: Uint8Array): Genesis {
  return decode(GenesisCodec, data, 4 * 1024 * 1024);
}

/** The genesis hash pins the chain: block 1's prevBlockHash is this value. */
export function genesisHash(genesis: Genesis): Uint8Array {
  return sha256(encodeGenesis(genesis));
}

/** Checks what the schema cannot: a usable validator set, unique organizations and members, sane params. */
export function validateGenesis(genesis: Genesis): void {
  try {
    new ValidatorSet(genesis.validators);
  } catch (err) {
    throw new GenesisError((err as Error).message);
  }
  const orgs = new Set<string>();
  const members = new Set<string>();
  for (const org of genesis.organizations) {
    if (orgs.has(org.id)) throw new GenesisError(`organization ${org.id} appears twice`);
    orgs.add(org.id);
    for (const m of org.members) {
      const key = bytesTo0x(m.publicKey);
      if (members.has(key)) throw new GenesisError(`member ${key} belongs to more than one organization`);
      members.add(key);
    }
  }
  const p = genesis.consensusParams;
  if (p.timeoutProposeMs === 0 || p.timeoutPrevoteMs === 0 || p.timeoutPrecommitMs === 0) {
    throw new GenesisError("consensus timeouts must be positive");
  }
  if (p.timeoutCapMs < Math.max(p.timeoutProposeMs, p.timeoutPrevoteMs, p.timeoutPrecommitMs)) {
    throw new GenesisError("timeoutCapMs must be at least every base timeout");
  }
  if (p.maxBlockTxs === 0 || p.maxBlockBytes === 0) throw new GenesisError("block limits must be positive");
}

/**
 * The JSON form of genesis written to `genesis.json`: the same fields, bytes as 0x-hex. The canonical CBOR
 * of the decoded value, not this text, is what is hashed.
 */
export interface GenesisJson {
  chainId: string;
  genesisTime: number;
  validators: { name: string; publicKey: string; power: number }[];
  organizations: { id: string; name: string; members: { publicKey: string; roles: Role[] }[] }[];
  consensusParams: ConsensusParams;
}

export function genesisToJson(genesis: Genesis): GenesisJson {
  return {
    chainId: genesis.chainId,
    genesisTime: genesis.genesisTime,
    validators: genesis.validators.map((v) => ({ name: v.name, publicKey: bytesTo0x(v.publicKey), power: v.power })),
    organizations: genesis.organizations.map((o) => ({
      id: o.id,
      name: o.name,
      members: o.members.map((m) => ({ publicKey: bytesTo0x(m.publicKey), roles: [...m.roles] })),
    })),
    consensusParams: { ...genesis.consensusParams },
  };
}

/** Parses and fully validates the JSON form; throws GenesisError naming the problem. */
export function genesisFromJson(json: unknown): Genesis {
  let genesis: Genesis;
  try {
    const j = json as GenesisJson;
    const candidate = {
      chainId: j.chainId,
      genesisTime: j.genesisTime,
      validators: j.validators.map((v) => ({
        name: v.name,
        publicKey: hexToBytes(v.publicKey, "publicKey"),
        power: v.power,
      })),
      organizations: j.organizations.map((o) => ({
        id: o.id,
        name: o.name,
        members: o.members.map((m) => ({ publicKey: hexToBytes(m.publicKey, "publicKey"), roles: m.roles })),
      })),
      consensusParams: { ...DEFAULT_CONSENSUS_PARAMS, ...j.consensusParams },
    };
    // A round trip through the codec applies every schema check.
    genesis = decode(GenesisCodec, encode(GenesisCodec, candidate as Genesis));
  } catch (err) {
    if (err instanceof GenesisError) throw err;
    throw new GenesisError((err as Error).message);
  }
  validateGenesis(genesis);
  return genesis;
}
