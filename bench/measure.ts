/** The bench's measuring tools, shared by its sections (run.ts, ingest.ts, scheduler.ts). */
import { readFileSync } from 'node:fs';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The p-th percentile of `values`; NaN when there are none (nothing was measured). */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
export const median = (values: number[]) => percentile(values, 50);
export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** CPU time (ms) a process has used so far, from /proc: unlike a rate, hardly moved by other people's load. */
export function cpuMs(pid: number, withExitedChildren = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime + stime, in 1/100 s; cutime + cstime add the children it has waited for (PostgreSQL's backends that have exited).
  const children = withExitedChildren ? Number(stat[13]) + Number(stat[14]) : 0;
  return (Number(stat[11]) + Number(stat[12]) + children) * 10;
}

/** Resident memory (MiB) and CPU time used so far (ms) of a child process, from /proc. */
export function usage(pid: number): { rssMiB: number; cpuMs: number } {
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { rssMiB: rssKiB / 1024, cpuMs: cpuMs(pid) };
}
