import type { Handler, Logger, Unsubscribe } from "./types.js";

/**
 * The handlers of one kind of event. Owned by the network, not by the parts that run while it is started,
 * so a handler registered before `start()` (or across a restart) stays registered.
 */
export class Handlers<A extends unknown[]> {
  private readonly handlers = new Set<Handler<A>>();

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  add(handler: Handler<A>): Unsubscribe {
    if (typeof handler !== "function") throw new TypeError(`"handler" expected a function`);
    // Wrapped, so registering one function twice gives two independent subscriptions.
    const entry: Handler<A> = (...args) => handler(...args);
    this.handlers.add(entry);
    return () => this.handlers.delete(entry);
  }

  /** Calls every handler in turn and waits for each; a handler that throws is logged, not propagated. */
  async emit(...args: A): Promise<void> {
    for (const handler of this.handlers) {
      try {
        await handler(...args);
      } catch (err) {
        this.logger.error("handler failed", { event: this.name, error: String(err) });
      }
    }
  }
}
