/**
 * Weft's Prometheus metrics (prom-client), one registry per engine, every
 * name prefixed `weft_`.
 *
 * Counters are fed from what the engine commits (commit-tally.ts, counted by
 * CommandPath.committed after COMMIT) and by the agent worker after it
 * journaled a model call: adding in memory is all the hot path pays.
 * Gauges that describe shared state (open incidents, outbox backlog, queue
 * depths) are read when Prometheus scrapes, with bounded queries, so every
 * engine of a cluster reports the same truth and none keeps a copy of it.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommitTally, EngineMetrics } from './commit-tally.js';
import { readSharedState, type SharedState, type SharedStateSources } from './shared-state.js';

export const METRIC_PREFIX = 'weft_';

/** Seconds from a job being available to a worker holding it: BullMQ hands out in milliseconds, a stuck queue in minutes. */
const DISPATCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface AgentModelCall {
  /** The agent definition's name. */
  agent: string;
  usage: { input: number; output: number };
  costUsd: number;
}

export class WeftMetrics implements EngineMetrics {
  readonly registry = new Registry();
  private readonly instances: Record<'started' | 'completed' | 'canceled', Counter<'process_id'>>;
  private readonly activations: Counter<'element_type'>;
  private readonly jobs: Record<'created' | 'completed' | 'failed', Counter<'job_type'>>;
  private readonly dispatch: Histogram<'job_type'>;
  private readonly modelCalls: Counter<'agent'>;
  private readonly tokens: Counter<'agent' | 'direction'>;
  private readonly cost: Counter<'agent'>;
  private readonly historyRemoved: Counter<'process_id'>;

  constructor(sources: SharedStateSources & { logger: Logger }, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name: METRIC_PREFIX + name, help, labelNames, registers });
    this.instances = {
      started: counter('process_instances_started_total', 'Process instances started, by process id', ['process_id']),
      completed: counter('process_instances_completed_total', 'Process instances completed (a terminate end event included), by process id', ['process_id']),
      canceled: counter('process_instances_canceled_total', 'Process instances canceled, by process id', ['process_id']),
    };
    this.activations = counter('element_activations_total', 'Element instances activated, by element type (process for the instance itself)', ['element_type']);
    this.jobs = {
      created: counter('jobs_created_total', 'Jobs created, by job type', ['job_type']),
      completed: counter('jobs_completed_total', 'Jobs completed by a worker, by job type', ['job_type']),
      failed: counter('jobs_failed_total', 'Job failures reported by a worker (with or without retries left), by job type', ['job_type']),
    };
    this.dispatch = new Histogram({
      name: `${METRIC_PREFIX}job_dispatch_latency_seconds`,
      help: 'From a job becoming available (created, or its retry backoff over) to a worker activating it, by job type',
      labelNames: ['job_type'],
      buckets: DISPATCH_BUCKETS,
      registers,
    });
    this.modelCalls = counter('agent_model_calls_total', 'Model calls made by agent runs, by agent definition', ['agent']);
    this.tokens = counter('agent_tokens_total', 'Tokens of agent model calls, by agent definition and direction (input, output)', ['agent', 'direction']);
    this.cost = counter('agent_cost_usd_total', 'Estimated cost in USD of agent model calls, by agent definition', ['agent']);
    this.historyRemoved = counter('history_removed_instances_total', 'Ended process instances removed by the history retention (their TTL passed), by process id', ['process_id']);

    // Read at scrape time: the last read's figures, every gauge from one pass over the sources.
    let pending: Promise<SharedState | null> | null = null;
    const shared = () =>
      (pending ??= readSharedState(sources)
        .catch((err) => {
          sources.logger.warn({ err }, 'metrics: reading incidents, outbox or queues failed');
          return null;
        })
        .finally(() => setTimeout(() => (pending = null), 0)));
    new Gauge({
      name: `${METRIC_PREFIX}incidents_open`,
      help: 'Open incidents',
      registers,
      async collect() {
        const state = await shared();
        if (state) this.set(state.openIncidents);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}outbox_backlog`,
      help: 'Outbox rows not yet relayed to BullMQ (counted up to 100000)',
      registers,
      async collect() {
        const state = await shared();
        if (state) this.set(state.outboxBacklog);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}outbox_oldest_age_seconds`,
      help: 'Age of the oldest outbox row not yet relayed, among the first 100000 (0 when none)',
      registers,
      async collect() {
        const state = await shared();
        if (state) this.set(state.outboxOldestAgeSeconds);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}queue_jobs`,
      help: 'BullMQ messages per queue and state (waiting, active, delayed)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const state = await shared();
        if (!state) return;
        this.reset();
        for (const q of state.queues) for (const s of ['waiting', 'active', 'delayed'] as const) this.set({ queue: q.queue, state: s }, q[s]);
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  countCommitted(tallies: CommitTally[]): void {
    for (const t of tallies) {
      add(this.instances.started, 'process_id', t.started);
      add(this.instances.completed, 'process_id', t.completed);
      add(this.instances.canceled, 'process_id', t.canceled);
      add(this.activations, 'element_type', t.activations);
      add(this.jobs.created, 'job_type', t.jobsCreated);
      add(this.jobs.completed, 'job_type', t.jobsCompleted);
      add(this.jobs.failed, 'job_type', t.jobsFailed);
    }
  }

  jobActivated(jobType: string, waitedSeconds: number): void {
    this.dispatch.observe({ job_type: jobType }, waitedSeconds);
  }

  /** After the agent worker journaled a model call (so a replayed run does not count it again). */
  modelCalled(call: AgentModelCall): void {
    this.modelCalls.inc({ agent: call.agent });
    if (call.usage.input > 0) this.tokens.inc({ agent: call.agent, direction: 'input' }, call.usage.input);
    if (call.usage.output > 0) this.tokens.inc({ agent: call.agent, direction: 'output' }, call.usage.output);
    if (call.costUsd > 0) this.cost.inc({ agent: call.agent }, call.costUsd);
  }

  /** After a retention batch committed: how many instances of each process it removed. */
  historyRemovedCommitted(byProcess: Record<string, number>): void {
    add(this.historyRemoved, 'process_id', byProcess);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function add<L extends string>(counter: Counter<L>, label: L, counts: Record<string, number>): void {
  for (const [value, n] of Object.entries(counts)) counter.inc({ [label]: value } as Record<L, string>, n);
}

