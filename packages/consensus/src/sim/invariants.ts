import { bytesToHex, type Proposal, type Vote } from "@hansa/core";

/** The properties every schedule must keep; each breach is recorded as a readable line. */
export class Invariants {
  readonly violations: string[] = [];
  private readonly decided = new Map<number, string>();
  private readonly signed = new Map<string, string>();

  fail(message: string): void {
    if (this.violations.length < 20) this.violations.push(message);
  }

  /** Agreement: no two honest validators commit different blocks at one height. */
  onCommit(node: string, height: number, blockHash: Uint8Array, block: { height: number; valid: boolean } | undefined) {
    const hex = bytesToHex(blockHash);
    const first = this.decided.get(height);
    if (first === undefined) this.decided.set(height, hex);
    else if (first !== hex)
      this.fail(
        `agreement: ${node} committed ${hex.slice(0, 12)} at height ${height}, another honest node ${first.slice(0, 12)}`,
      );
    // Validity: only blocks some proposer built, valid, for this height.
    if (!block) this.fail(`validity: ${node} committed unknown block ${hex.slice(0, 12)} at height ${height}`);
    else if (!block.valid || block.height !== height) {
      this.fail(`validity: ${node} committed invalid block ${hex.slice(0, 12)} at height ${height}`);
    }
  }

  /** No honest validator signs two different messages for one height, round and step, even across restarts. */
  onSigned(node: string, message: { vote: Vote } | { proposal: Proposal }): void {
    let key: string;
    let value: string;
    if ("vote" in message) {
      const v = message.vote;
      key = `${bytesToHex(v.validator)}/${v.height}/${v.round}/${v.type}`;
      value = v.blockHash ? bytesToHex(v.blockHash) : "nil";
    } else {
      const p = message.proposal;
      key = `${bytesToHex(p.proposer)}/${p.height}/${p.round}/p`;
      value = `${bytesToHex(p.blockHash)}/${p.polRound}`;
    }
    const first = this.signed.get(key);
    if (first === undefined) this.signed.set(key, value);
    else if (first !== value) this.fail(`equivocation: honest ${node} signed two messages at ${key.slice(65)}`);
  }
}
