// Vote latency on loopback: gossipsub publish versus a long-lived direct stream, measured as ping-pong
// round trips of a vote-sized message between two nodes. Informational only; nothing asserts on it.
// Run after `pnpm build`: pnpm exec node packages/p2p/bench/vote-latency.mjs
import { generateSecretKey, getPublicKey } from "@hansa/core";
import { AllowList } from "../dist/identity/allow-list.js";
import { createGater } from "../dist/identity/gater.js";
import { libp2pKeyFromSecret } from "../dist/identity/keys.js";
import { createLibp2pNode } from "../dist/libp2p-node.js";
import { DEFAULT_LIMITS } from "../dist/limits.js";
import { silentLogger } from "../dist/logger.js";
import { readFrames, sendFrame } from "../dist/wire/frames.js";

const ROUNDS = 1000;
const TOPIC = "/hansa/bench/txs/1";
const PROTOCOL = "/hansa/bench/consensus/1.0.0";
const VOTE = new Uint8Array(180);

const keys = [generateSecretKey(), generateSecretKey()];
const allowList = new AllowList(keys.map(getPublicKey));
const nodes = await Promise.all(
  keys.map((sk) =>
    createLibp2pNode({
      privateKey: libp2pKeyFromSecret(sk),
      listen: ["/ip4/127.0.0.1/tcp/0"],
      gater: createGater({ allowList, isBanned: () => false, logger: silentLogger }),
      txTopic: TOPIC,
      limits: DEFAULT_LIMITS,
    }),
  ),
);
const [a, b] = nodes;
for (const n of nodes) await n.start();

function summary(name, samples) {
  samples.sort((x, y) => x - y);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(3);
  console.log(
    `${name}: one-way latency median ${at(0.5)} ms, p99 ${at(0.99)} ms over ${samples.length} round trips / 2`,
  );
}

// Direct: b echoes every frame back on its own outbound stream.
let echo;
await b.handle(PROTOCOL, async (stream, conn) => {
  echo ??= await b.dialProtocol(conn.remotePeer, PROTOCOL);
  for await (const f of readFrames(stream, 1024)) await sendFrame(echo, f);
});
let resolveDirect;
await a.handle(PROTOCOL, async (stream) => {
  for await (const _ of readFrames(stream, 1024)) resolveDirect();
});
await a.dial(b.getMultiaddrs()[0]);
const out = await a.dialProtocol(b.peerId, PROTOCOL);
const direct = [];
for (let i = 0; i < ROUNDS; i++) {
  const t = performance.now();
  await new Promise((r) => {
    resolveDirect = r;
    void sendFrame(out, VOTE);
  });
  direct.push((performance.now() - t) / 2);
}
summary("direct stream", direct.slice(50));

// Throughput: a burst of votes one way, counted when b has them all.
const BURST = 5000;
let seenDirect = 0;
let doneDirect;
await b.unhandle(PROTOCOL);
await b.handle(PROTOCOL, async (stream) => {
  for await (const _ of readFrames(stream, 1024)) if (++seenDirect === BURST) doneDirect();
});
const burstOut = await a.dialProtocol(b.peerId, PROTOCOL);
let t0 = performance.now();
await new Promise((r) => {
  doneDirect = r;
  for (let i = 0; i < BURST; i++) void sendFrame(burstOut, VOTE);
});
console.log(`direct stream: ${Math.round(BURST / ((performance.now() - t0) / 1000))} votes/s one way`);

// Gossipsub: b republishes what it receives with a marker byte, a waits for it.
for (const n of nodes) n.services.pubsub.subscribe(TOPIC);
await new Promise((r) => setTimeout(r, 1500));
let resolveGossip;
b.services.pubsub.addEventListener("message", (e) => {
  if (e.detail.data[0] === 0) void b.services.pubsub.publish(TOPIC, Uint8Array.of(1, ...e.detail.data.subarray(1)));
});
a.services.pubsub.addEventListener("message", (e) => {
  if (e.detail.data[0] === 1) resolveGossip();
});
const gossip = [];
for (let i = 0; i < ROUNDS; i++) {
  const msg = new Uint8Array(VOTE.length);
  new DataView(msg.buffer).setUint32(1, i);
  const t = performance.now();
  await new Promise((r) => {
    resolveGossip = r;
    void a.services.pubsub.publish(TOPIC, msg);
  });
  gossip.push((performance.now() - t) / 2);
}
summary("gossipsub", gossip.slice(50));

let seenGossip = 0;
let doneGossip;
b.services.pubsub.addEventListener("message", (e) => {
  if (e.detail.data[0] === 2 && ++seenGossip === BURST) doneGossip();
});
t0 = performance.now();
await new Promise((r) => {
  doneGossip = r;
  for (let i = 0; i < BURST; i++) {
    const msg = new Uint8Array(VOTE.length);
    msg[0] = 2;
    new DataView(msg.buffer).setUint32(1, i);
    void a.services.pubsub.publish(TOPIC, msg);
  }
});
console.log(`gossipsub: ${Math.round(BURST / ((performance.now() - t0) / 1000))} votes/s one way`);
for (const n of nodes) await n.stop();
