// A preload for the scheduler bench (BENCH_PRELOAD=$PWD/bench/profile.mjs PROF_DIR=/tmp/prof): each
// SIGUSR2 starts or stops a window; while one is open, the process's CPU profile is taken and every
// PostgreSQL statement is counted and timed (from the call to its answer, waits for a pooled
// connection excluded). On stopping, <PROF_DIR>/<pid>-<window>.cpuprofile and .statements.json are
// written: the profile for Chrome's DevTools, the statements by text, most time first.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.PROF_DIR ?? '.';
const session = new Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));

let statements;
let window = 0;

// The bot loads pg itself (it is left out of the bundle); the same file resolves to the same module here.
try {
  const pg = createRequire(import.meta.url)('pg');
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function timedQuery(config, values, callback) {
    if (!statements) return original.call(this, config, values, callback);
    const text = (typeof config === 'string' ? config : config?.text ?? '').replace(/\s+/g, ' ').slice(0, 160);
    const started = process.hrtime.bigint();
    const seen = statements;
    const done = () => {
      const entry = seen.get(text) ?? { count: 0, ms: 0 };
      entry.count += 1;
      entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
      seen.set(text, entry);
    };
    // The pool passes a callback; a client used directly returns a promise.
    if (typeof values === 'function') return original.call(this, config, (...answer) => (done(), values(...answer)));
    if (typeof callback === 'function') return original.call(this, config, values, (...answer) => (done(), callback(...answer)));
    const result = original.call(this, config, values, callback);
    if (result && typeof result.then === 'function') result.then(done, done);
    return result;
  };
} catch {
  // SQLite run: no pg to count, the profile alone.
}

process.on('SIGUSR2', () => {
  if (!statements) {
    statements = new Map();
    void post('Profiler.enable').then(() => post('Profiler.start'));
    return;
  }
  const counted = statements;
  statements = undefined;
  window += 1;
  const name = join(dir, `${process.pid}-${window}`);
  void post('Profiler.stop').then(({ profile }) => {
    writeFileSync(`${name}.cpuprofile`, JSON.stringify(profile));
    const rows = [...counted].map(([text, entry]) => ({ text, ...entry, ms: Math.round(entry.ms) })).sort((a, b) => b.ms - a.ms);
    writeFileSync(`${name}.statements.json`, JSON.stringify({ total: rows.reduce((sum, row) => sum + row.count, 0), rows }, null, 1));
  });
});
