/**
 * Preloaded into a bot process (NODE_OPTIONS=--require) to put it on a machine of its own:
 * os.hostname() answers TEST_MACHINE_NAME. Replicas on one test machine would otherwise see each
 * other's pids die at once, and the heartbeat, what tells replicas on different machines, would go untested.
 */
const os = require('node:os');
const { syncBuiltinESMExports } = require('node:module');

const name = process.env.TEST_MACHINE_NAME;
if (!name) throw new Error('otherMachine.cjs needs TEST_MACHINE_NAME');
os.hostname = () => name;
// `import { hostname } from 'node:os'` reads the ESM export, refreshed from the CommonJS module here.
syncBuiltinESMExports();
