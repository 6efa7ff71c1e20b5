import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InProcessQueueDriver } from '../common/queue/in-process.driver';
import { JobQueue } from '../common/queue/job-queue';
import { RUNS_WORKERS } from '../common/queue/queue.module';
import { RulesService } from '../rules/rules.service';
import { courseTasks, firstOpenTaskDue } from './grant.rules';
import { GrantStore } from './grant.store';

export const TASK_ORDER_QUEUE = 'grant-task-order';

/** Grants whose first open task is computed per round, and the rounds one job does at most. */
const BATCH = 5_000;
const MAX_ROUNDS = 100;
const VACUUM_AFTER = 1_000;

/**
 * The stored due date of each active grant's first open task (mentor_grant.next_task_due), by which the
 * caseworkers' list finds the grants due first. The writes that can move it clear it and queue a rebuild; a
 * new or replaced rule-set version clears all (noticed by the rebuild, the sweep and the list). Only the job
 * writes the dates: a read that finds some missing computes them for itself.
 */
@Injectable()
export class DueTaskOrder {
  private readonly logger = new Logger('DueTaskOrder');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantStore,
    private readonly rules: RulesService,
    private readonly queue: JobQueue,
    @Inject(RUNS_WORKERS) private readonly runsWorkers: boolean,
  ) {}

  /**
   * Queues a rebuild, after the caller's write committed. `key` makes it once per cause (a rule-set
   * fingerprint); without it every call queues one. A queue that cannot take it now is left to the sweep.
   */
  async requestRebuild(key: string = randomUUID()): Promise<void> {
    // A CLI command (the seed) queues in-process and runs no workers: the job would wait forever. The sweep of
    // the next process that runs workers finds the missing dates.
    if (this.queue instanceof InProcessQueueDriver && !this.runsWorkers) return;
    try {
      await this.queue.enqueue(TASK_ORDER_QUEUE, 'rebuild', {}, { jobId: `rebuild-${key}`, attempts: 3 });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not queue the due-task rebuild; the sweep queues it');
    }
  }

  /** Whether some active grant's date is missing or was computed under other rule sets. */
  async needsRebuild(): Promise<boolean> {
    const [{ fingerprint }, state] = await Promise.all([this.rules.snapshot(), this.store.taskOrderState(this.dataSource.manager)]);
    return state.fingerprint !== fingerprint || state.unset;
  }

  /**
   * Computes the first open task's due date of every active grant that has none: new grants, and those a write
   * cleared (an extension, a follow-up held). When the rule sets changed, all are cleared first. A grant that
   * changed while its date was computed keeps none (its row version no longer matches) and is taken again.
   * Returns how many dates it stored.
   */
  async rebuild(): Promise<number> {
    const { fingerprint, valuesOn } = await this.rules.snapshot();
    const manager = this.dataSource.manager;
    const state = await this.store.taskOrderState(manager);
    if (state.fingerprint === fingerprint && !state.unset) return 0;
    if (state.fingerprint !== fingerprint) await this.dataSource.transaction((tx) => this.store.resetTaskOrder(tx, fingerprint));
    let computed = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const rows = await this.store.unsetTaskDue(manager, BATCH);
      if (rows.length === 0) break;
      const dues = rows.map((row) => ({
        id: row.id,
        version: row.version,
        due: firstOpenTaskDue(courseTasks({ start: row.start, end: row.end, ruleSet: valuesOn(row.start), held: row.followUps }), { grantActive: true }),
      }));
      computed += await this.store.storeTaskDue(manager, dues);
    }
    // After a bulk computation (a new release, a changed rule set) the index of grants still to compute is
    // full of dead entries: cleaned at once, the next look for missing dates is an index probe again.
    if (computed >= VACUUM_AFTER) await this.store.vacuum(manager);
    return computed;
  }
}
