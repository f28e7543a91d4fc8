import type { Happened } from '../../src/domain/events.js';
import type { Outlet } from '../../src/outlets/outlet.js';

/** An outlet that writes down what it hears: a webhook, as far as the pipeline can tell. */
export function recordingOutlet(): Outlet & { heard: Happened[] } {
  const heard: Happened[] = [];
  return { name: 'recorder', step: 'Telling the recorder', heard, deliver: async (happened) => void heard.push(happened) };
}
