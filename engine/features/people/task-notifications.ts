/**
 * Notifications about new user tasks, through the `human-task` BullMQ queue.
 *
 * The inbox entry itself is the `tasks` row, written by the engine in the
 * step's transaction. A scan finds tasks created since its watermark (kept in
 * `settings`; it looks back SCAN_OVERLAP_MS so a transaction that committed
 * late is not missed) and puts one queue job per task, id `task-created.<id>`:
 * BullMQ ignores a job id it still holds, so overlapping scans and several
 * engine processes enqueue each task once. The worker re-reads the task from
 * Postgres and hands it to the notifier; a notifier that throws is retried
 * with backoff (ATTEMPTS in all).
 *
 * The notifier is pluggable; a webhook is built in (WEFT_TASK_WEBHOOK_URL,
 * signed with WEFT_TASK_WEBHOOK_SECRET when set). SMTP is not built in yet.
 */
import { createHmac } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Knex } from 'knex';
import type { RedisClient } from '../../queue/redis.js';
import { bullQueueName } from '../../queue/keyspace.js';
import type { Logger } from 'pino';
import type { TaskView } from '../../service/types.js';
import { taskView } from './task-access.js';

export const HUMAN_TASK_QUEUE = 'human-task';
const WATERMARK_KEY = 'people.task_notifications.watermark';
const SCAN_OVERLAP_MS = 60_000;
const ATTEMPTS = 6;

export interface TaskEvent {
  type: 'task.created';
  task: TaskView;
  /** Where the task opens in the inbox, e.g. `/inbox#task=<id>` (absolute when WEFT_PUBLIC_URL is set). */
  link: string;
}

export interface TaskNotifier {
  notify(event: TaskEvent): Promise<void>;
}

export function webhookNotifier(url: string, secret?: string, timeoutMs = 10_000): TaskNotifier {
  return {
    async notify(event) {
      const body = JSON.stringify(event);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'weft-task-notifier' };
      if (secret) headers['x-weft-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
    },
  };
}

export interface TaskNotificationsOptions {
  db: Knex;
  connection: RedisClient;
  prefix: string;
  logger: Logger;
  notifier: TaskNotifier;
  publicUrl?: string;
  scanMs?: number;
  backoffMs?: number;
}

export async function startTaskNotifications(options: TaskNotificationsOptions): Promise<() => Promise<void>> {
  const { db, connection, prefix, logger, notifier } = options;
  // A hash tag on a Redis Cluster (queue/keyspace.ts).
  const name = bullQueueName(HUMAN_TASK_QUEUE, connection);
  const queue = new Queue(name, { connection, prefix });
  const worker = new Worker(
    name,
    async (job) => {
      // The message carries the id; the truth is re-read.
      const row = await db('tasks').where({ id: job.data.taskId }).first();
      if (!row || row.state !== 'CREATED') return;
      const link = `${options.publicUrl?.replace(/\/$/, '') ?? ''}/inbox#task=${row.id}`;
      await notifier.notify({ type: 'task.created', task: taskView(row), link });
    },
    { connection, prefix, concurrency: 4 },
  );
  worker.on('failed', (job, err) => logger.warn({ err, taskId: job?.data.taskId, attempt: job?.attemptsMade }, 'task notification failed'));
  worker.on('error', (err) => logger.warn({ err }, 'task notification worker error'));

  let watermark = await readWatermark(db);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function scan(): Promise<void> {
    const since = new Date(watermark.getTime() - SCAN_OVERLAP_MS);
    const rows = await db('tasks').where('created_at', '>', since).andWhere({ state: 'CREATED' }).orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(1000).select('id', 'created_at');
    if (rows.length === 0) return;
    await queue.addBulk(
      rows.map((r) => ({
        name: 'task-created',
        data: { taskId: r.id },
        opts: {
          jobId: `task-created.${r.id}`,
          attempts: ATTEMPTS,
          backoff: { type: 'exponential', delay: options.backoffMs ?? 2000 },
          // Kept for a day so a later scan recognises the id and does not notify twice.
          removeOnComplete: { age: 86_400 },
          removeOnFail: { age: 86_400 },
        },
      })),
    );
    const newest = new Date(rows[rows.length - 1].created_at);
    if (newest > watermark) {
      watermark = newest;
      await db('settings').insert({ key: WATERMARK_KEY, value: newest.toISOString() }).onConflict('key').merge();
    }
  }

  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(scan).catch((err) => logger.warn({ err }, 'task notification scan failed'));
  }, options.scanMs ?? 1000);
  timer.unref();

  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await worker.close();
    await queue.close();
  };
}

/** Where the scan starts: the stored watermark, or now (tasks older than the first start are not announced). */
async function readWatermark(db: Knex): Promise<Date> {
  const row = await db('settings').where({ key: WATERMARK_KEY }).first('value');
  if (row) return new Date(row.value);
  const now = new Date();
  await db('settings').insert({ key: WATERMARK_KEY, value: now.toISOString() }).onConflict('key').ignore();
  return now;
}
