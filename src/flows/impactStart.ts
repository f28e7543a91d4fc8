import type { LiveIncident } from '../domain/incident.js';
import { parseImpactStart } from '../domain/impactStart.js';
import { planImpactStart } from '../domain/lifecycle.js';
import { formatInZone } from '../domain/time.js';
import { impactStartRecorded } from '../messages/incident.js';
import { done, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { plannedChange, runChange } from './pipeline.js';

/**
 * `/incident impact-start <time>`: when users were first hurt, in the incident's zone. Time to
 * resolve and the post-mortem's durations count from it; setting it again moves it, on the record.
 */
export async function setImpactStart(deps: FlowDependencies, incident: LiveIncident, actorId: string, typed: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const zone = deps.settings.timeZone;
  const parsed = parseImpactStart(typed, now, zone);
  if (!parsed.ok) return refused(parsed.reason);
  const shown = formatInZone(parsed.value, zone);
  const outcome = await runChange(
    deps,
    plannedChange(deps, incident.id, (current) => planImpactStart(current, parsed.value, now, shown), { actorId, at: now }, (applied) => ({
      kind: 'impact_start_set' as const,
      at: parsed.value,
      previous: applied.before.impactStartedAt,
    })),
  );
  return outcome.ok ? done(impactStartRecorded(shown), outcome.warnings) : outcome.result;
}
