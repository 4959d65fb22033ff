/** The queue was full: the work was not started. */
export class QueueFullError extends Error {
  constructor() {
    super('too much of this work is waiting already');
  }
}

/**
 * Runs at most `concurrency` pieces of work at once; up to `queue` more wait their turn, in order, and
 * anything beyond that is refused at once (so memory stays bounded whatever the load).
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: { concurrency: number; queue: number }) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.queue) throw new QueueFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
