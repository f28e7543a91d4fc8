import type { FlowDependencies } from '../flows/incidentFlow.js';

/** What listeners are handed by the composition root: what the flows are given. */
export type ListenerDependencies = FlowDependencies;
