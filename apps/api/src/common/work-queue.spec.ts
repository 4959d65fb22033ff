import { describe, expect, it } from '@jest/globals';
import { QueueFullError, WorkQueue } from './work-queue.js';

/** Work that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, work: () => opened };
}

describe('WorkQueue', () => {
  it('runs at most `concurrency` at once, queues `queue` more in order, and refuses the rest at once', async () => {
    const queue = new WorkQueue({ concurrency: 2, queue: 1 });
    const started: number[] = [];
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g, i) => queue.run(async () => {
      started.push(i);
      await g.work();
      return i;
    }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    await expect(queue.run(async () => 'never')).rejects.toBeInstanceOf(QueueFullError);

    gates[1]!.open();
    expect(await runs[1]).toBe(1);
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    // Everything finished: the full capacity is there again.
    expect(await Promise.all([queue.run(async () => 'a'), queue.run(async () => 'b'), queue.run(async () => 'c')])).toEqual(['a', 'b', 'c']);
  });

  it('frees the slot of work that fails', async () => {
    const queue = new WorkQueue({ concurrency: 1, queue: 0 });
    await expect(queue.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});
