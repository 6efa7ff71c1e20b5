import type { KeysetPage, PageRequest } from '../common/web/list-query';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { compareText } from '../common/compare';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { RulesService } from '../rules/rules.service';
import { DueTaskOrder } from './due-task-order.service';
import { compareOpenTasks, openTasks } from './grant.rules';
import { tasksWithState } from './grant.presenter';
import { GrantStore } from './grant.store';
import type { DueTaskDto, DueTaskItemDto } from './grants.dto';

const DUE_TASK_LIMIT = 200;

/** An open task for the reminders. */
export interface ReminderTask {
  grantId: string;
  reference: string;
  supplierId: string;
  kind: 'follow_up' | 'evaluation';
  due: CalendarDate;
  state: 'due' | 'overdue';
}

/** The caseworkers' list of open follow-ups and evaluations, and a page of grants' next tasks. */
@Injectable()
export class DueTasksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantStore,
    private readonly rules: RulesService,
    private readonly order: DueTaskOrder,
    private readonly clock: Clock,
  ) {}

  /**
   * The first `limit` (at most DUE_TASK_LIMIT) open tasks of active grants, overdue first, then by due date. It
   * reads the `limit` active grants whose stored first open task (next_task_due) is due first: every task in the
   * list belongs to one of them, since each has an open task due no later than the grant of any task after them.
   * Grants whose date the job has not stored yet are read as well and computed for this answer only; when the
   * rule sets changed since the dates were stored, that is every active grant until the queued job has run.
   */
  async openDueTasks(limit = DUE_TASK_LIMIT): Promise<DueTaskItemDto[]> {
    const take = Math.min(limit, DUE_TASK_LIMIT);
    const manager = this.dataSource.manager;
    const rules = await this.rules.snapshot();
    const state = await this.store.taskOrderState(manager);
    const stale = state.fingerprint !== rules.fingerprint;
    // Once per rule-set change; the writes that clear a date queue their own rebuild.
    if (stale) await this.order.requestRebuild(`rules-${rules.fingerprint}`);
    const rows = [...(stale ? [] : await this.store.firstTaskLines(manager, take)), ...(stale || state.unset ? await this.store.unsetTaskLines(manager, stale) : [])];
    const today = this.clock.today();
    const items: DueTaskItemDto[] = rows.flatMap((row) =>
      openTasks(tasksWithState(row, rules.valuesOn(row.start), today)).map((task) => ({ ...task, grantId: row.id, reference: row.reference, citizenName: row.citizenName, caseNumber: row.caseNumber })),
    );
    items.sort((a, b) => compareOpenTasks(a, b) || compareText(a.reference, b.reference));
    return items.slice(0, take);
  }

  /**
   * The due list a page of grants at a time, for the page that shows all of it: the open tasks of the active grants
   * whose first open task is due first, overdue first, then by date. The first page also holds the grants whose date
   * the job has not stored yet; while the rule sets changed since the dates were stored, the first page is all of them.
   */
  async dueTaskPage(request: PageRequest<'due'>): Promise<KeysetPage<DueTaskItemDto>> {
    const manager = this.dataSource.manager;
    const rules = await this.rules.snapshot();
    const state = await this.store.taskOrderState(manager);
    const stale = state.fingerprint !== rules.fingerprint;
    if (stale) await this.order.requestRebuild(`rules-${rules.fingerprint}`);
    const page = stale ? { items: [], nextCursor: null, prevCursor: null } : await this.store.dueTaskLines(manager, request);
    const first = request.cursor === null;
    const rows = [...page.items, ...(first && (stale || state.unset) ? await this.store.unsetTaskLines(manager, stale) : [])];
    const today = this.clock.today();
    const items: DueTaskItemDto[] = rows.flatMap((row) =>
      openTasks(tasksWithState(row, rules.valuesOn(row.start), today)).map((task) => ({ ...task, grantId: row.id, reference: row.reference, citizenName: row.citizenName, caseNumber: row.caseNumber })),
    );
    items.sort((a, b) => compareOpenTasks(a, b) || compareText(a.reference, b.reference));
    return { items, nextCursor: page.nextCursor, prevCursor: page.prevCursor };
  }

  /**
   * Every open task of an active grant due by `until`, overdue ones included, for the reminders: the grant's
   * reference and supplier, never its citizen.
   */
  async openTasksDueBy(until: CalendarDate): Promise<ReminderTask[]> {
    const rows = await this.store.reminderSources(this.dataSource.manager, until);
    const rules = await this.rules.snapshot();
    const today = this.clock.today();
    return rows.flatMap((row) =>
      openTasks(tasksWithState(row, rules.valuesOn(row.start), today))
        .filter((task) => compareDates(task.due, until) <= 0)
        .map((task) => ({ grantId: row.id, reference: row.reference, supplierId: row.supplierId, kind: task.kind, due: task.due, state: task.state as 'due' | 'overdue' })),
    );
  }

  /** The first open task (overdue first, then by date) of each of the given grants that has one: for a page of grants. */
  async nextOpenTasks(grantIds: readonly string[]): Promise<Map<string, DueTaskDto>> {
    const next = new Map<string, DueTaskDto>();
    if (grantIds.length === 0) return next;
    const rows = await this.store.taskSources(this.dataSource.manager, grantIds);
    const rules = await this.rules.snapshot();
    const today = this.clock.today();
    for (const row of rows) {
      const [first] = openTasks(tasksWithState(row, rules.valuesOn(row.start), today));
      if (first) next.set(row.id, first);
    }
    return next;
  }
}
