import { createServer } from "node:net";

/** createTestnet's port plan: node i (0-based) listens for RPC on base+10i and for P2P on base+10i+1. */
export function testnetPorts(basePort: number, nodes: number): number[] {
  return Array.from({ length: nodes }, (_, i) => [basePort + i * 10, basePort + i * 10 + 1]).flat();
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A random base port whose whole testnet plan is free now. Drawn below Linux's ephemeral range
 * (32768+), so outgoing connections of other processes do not take the ports between check and use.
 */
export async function freeBasePort(nodes: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 1_200) * 10;
    const ports = testnetPorts(base, nodes);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error(`no free base port for ${nodes} nodes after 50 attempts`);
}
