/** Thrown by FairGate.run when every place in the queue is taken. */
export class GateFullError extends Error {
  constructor() {
    super('the queue is full');
    this.name = 'GateFullError';
  }
}

/**
 * Runs at most `concurrency` tasks at once and lets at most `queueLimit` more wait; past that a
 * task is refused at once (GateFullError) instead of piling up. The waiting tasks are taken in
 * turn per key (the client address): an address that sends many sign-ins waits behind its own,
 * so a flood from one address cannot push another address's sign-in back.
 *
 * Hand-written because it is this small and needs the per-key turn; the rate limits around it
 * come from rate-limiter-flexible.
 */
export class FairGate {
  private running = 0;
  private waiting = 0;
  /** Waiters per key; a Map keeps insertion order, so the first key is the one whose turn it is. */
  private readonly queues = new Map<string, Array<() => void>>();

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting };
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      if (this.waiting >= this.queueLimit) throw new GateFullError();
      // The place is handed over by release(): `running` stays as it is.
      await new Promise<void>((resolve) => this.enqueue(key, resolve));
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private enqueue(key: string, resolve: () => void): void {
    const queue = this.queues.get(key);
    if (queue) queue.push(resolve);
    else this.queues.set(key, [resolve]);
    this.waiting++;
  }

  private release(): void {
    const first = this.queues.entries().next();
    if (first.done) {
      this.running--;
      return;
    }
    const [key, queue] = first.value;
    const next = queue.shift() as () => void;
    // The key goes to the back of the turn, or leaves it when it has no one waiting.
    this.queues.delete(key);
    if (queue.length > 0) this.queues.set(key, queue);
    this.waiting--;
    next();
  }
}
