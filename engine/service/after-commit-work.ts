/**
 * Work a commit leaves to be done after it and does not wait for (delivering
 * notes and signals to other instances): started at once, its failure logged
 * — a sweep backs each such duty up — and kept, so that a shutdown (or a
 * test) can wait until none is under way.
 */
import type { Logger } from 'pino';

export class AfterCommitWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly logger: Logger,
    /** Logged when a piece of work fails, e.g. 'delivering a signal failed; the sweep will retry'. */
    private readonly failure: string,
  ) {}

  start(work: () => Promise<unknown>): void {
    const running = work().catch((err) => this.logger.warn({ err }, this.failure));
    this.running.add(running);
    void running.finally(() => this.running.delete(running));
  }

  /** Resolves once nothing is under way, including work started meanwhile. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
