import { FairGate, GateFullError } from './hash-gate';

/** A task that finishes when told to, recording when it started. */
function controllable(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    task: async () => {
      log.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FairGate', () => {
  it('runs at most `concurrency` tasks at once and starts a waiting one when a place frees', async () => {
    const log: string[] = [];
    const gate = new FairGate(2, 10);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => controllable(log, name));
    const results = [gate.run('x', a.task), gate.run('x', b.task), gate.run('x', c.task)];
    await tick();
    expect(log).toEqual(['a', 'b']);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    a.finish();
    await tick();
    expect(log).toEqual(['a', 'b', 'c']);
    b.finish();
    c.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once when the queue is full, and frees the place of a task that failed', async () => {
    const log: string[] = [];
    const gate = new FairGate(1, 1);
    const a = controllable(log, 'a');
    const first = gate.run('x', a.task);
    const second = gate.run('x', async () => 'b');
    await expect(gate.run('x', async () => 'c')).rejects.toBeInstanceOf(GateFullError);
    a.finish();
    expect([await first, await second]).toEqual(['a', 'b']);
    await expect(gate.run('x', () => Promise.reject(new Error('hash failed')))).rejects.toThrow('hash failed');
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
    expect(await gate.run('x', async () => 'd')).toBe('d');
  });

  it('takes waiting tasks in turn per key, so a flood from one key does not hold back another', async () => {
    const log: string[] = [];
    const gate = new FairGate(1, 100);
    const running = controllable(log, 'flood-0');
    const all = [gate.run('flood', running.task)];
    const flood = [1, 2, 3, 4].map((n) => controllable(log, `flood-${n}`));
    for (const f of flood) all.push(gate.run('flood', f.task));
    const real = controllable(log, 'real');
    all.push(gate.run('real', real.task));
    await tick();
    running.finish();
    await tick();
    flood[0].finish();
    await tick();
    // The real sign-in is next after one flood task, not after all four.
    expect(log).toEqual(['flood-0', 'flood-1', 'real']);
    real.finish();
    for (const f of flood.slice(1)) {
      await tick();
      f.finish();
    }
    await Promise.all(all);
    expect(log).toEqual(['flood-0', 'flood-1', 'real', 'flood-2', 'flood-3', 'flood-4']);
  });
});
