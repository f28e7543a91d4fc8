import type { Writable } from 'node:stream';

/** How much log output may wait for a slow reader before lines are dropped: minutes of a busy bot. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * Where log lines go (stdout), written without ever waiting for whoever reads them. pino's own
 * stdout writer flushes at exit in a synchronous loop that retries a full pipe or socket every
 * 100 ms for ever (sonic-boom's flushSync): a bot whose log reader stopped reading then stopped
 * listening on SIGTERM but never exited. Here lines go to Node's stream, which queues what the
 * reader has not taken yet; past a bound, lines are dropped and counted, and at exit whatever is
 * still queued after `flush` is given up.
 */
export class LogOutput {
  private droppedLines = 0;
  private broken = false;

  constructor(
    private readonly out: Writable,
    private readonly options: { format?: (line: string) => string; maxQueuedBytes?: number } = {},
  ) {
    // A reader that went away (EPIPE) must not take the bot down with it: logging stops, work goes on.
    out.on('error', () => {
      this.broken = true;
    });
  }

  /** pino's destination interface: one JSON line at a time. */
  write(line: string): void {
    if (this.broken) return;
    if (this.out.writableLength > (this.options.maxQueuedBytes ?? MAX_QUEUED_BYTES)) {
      this.droppedLines += 1;
      return;
    }
    if (this.droppedLines > 0) {
      this.out.write(this.formatted(droppedNotice(this.droppedLines)));
      this.droppedLines = 0;
    }
    this.out.write(this.formatted(line));
  }

  /** Resolves true once the reader has taken every line, or false after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.broken && this.out.writableLength > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  private formatted(line: string): string {
    return this.options.format ? this.options.format(line) : line;
  }
}

/** A pino-shaped warning, so the gap in the log says what happened. */
function droppedNotice(count: number): string {
  return `${JSON.stringify({ level: 40, time: Date.now(), msg: `${count} log lines were dropped: nothing was reading the log output` })}\n`;
}
