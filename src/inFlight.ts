/**
 * Work the process has started and not finished (Slack requests being handled, after their ack).
 * Shutdown waits for it, so a SIGTERM never cuts a change in half or closes the database under it.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves when everything running has finished, or after `timeoutMs`; says whether it all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true as const;
    })();
    const result = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    return result;
  }
}
