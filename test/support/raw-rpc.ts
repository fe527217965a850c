import { connect } from "node:net";

/** What the server answered: the HTTP status and the body parsed as JSON (undefined when empty). */
export interface RawAnswer {
  status: number;
  body: unknown;
}

/** A JSON-RPC error object as the server sends it. */
export interface RawError {
  code: number;
  message: string;
  data: { code: string; issues?: unknown[]; [field: string]: unknown };
}

/**
 * POSTs `body` to a node exactly as given (no JSON encoding, no client-side checks), so a test can send
 * what a broken or hostile client would.
 */
export async function rawPost(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? JSON.parse(text) : undefined };
}

/** Sends one call (any shape) and returns the error it must have produced. */
export async function rawError(
  url: string,
  body: string | Uint8Array,
): Promise<{ status: number; id: unknown; error: RawError }> {
  const answer = await rawPost(url, body);
  const response = answer.body as { id?: unknown; error?: RawError; result?: unknown };
  if (!response || typeof response !== "object" || !("error" in response) || !response.error) {
    throw new Error(
      `expected an error for ${String(body).slice(0, 200)}, got ${JSON.stringify(answer.body).slice(0, 200)}`,
    );
  }
  return { status: answer.status, id: response.id, error: response.error };
}

export function call(method: unknown, params?: unknown, id: unknown = 1): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
}

/**
 * Opens a TCP connection, sends an HTTP request head that promises `declaredBytes` of body, sends only a
 * few of them and hangs up: a client dying mid-request.
 */
export async function abandonRequest(url: string, declaredBytes: number): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(
        `POST / HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${declaredBytes}\r\n\r\n{"jsonrpc":`,
        () => {
          socket.destroy();
          resolve();
        },
      );
    });
    socket.once("error", reject);
  });
}
