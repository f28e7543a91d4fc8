import { changedFields, fieldValueText, typeByKey, type FieldValue } from '../domain/incidentTypes.js';
import type { LiveIncident } from '../domain/incident.js';
import { detailEditedEntry, detailsEdited, NO_DETAILS, NOTHING_CHANGED } from '../messages/incidentTypes.js';
import { done, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { runChange } from './pipeline.js';

/**
 * **Edit details**: each field whose value changed is its own change through the pipeline, so each
 * is its own timeline entry and the summary is refreshed. Each change sets only its field on the
 * fields as stored, so someone else's edit of another field at the same time is kept.
 */
export async function editDetails(deps: FlowDependencies, incident: LiveIncident, actorId: string, values: Record<string, FieldValue>): Promise<FlowResult> {
  const type = typeByKey(deps.settings.incidentTypes ?? [], incident.type);
  if (!type || type.fields.length === 0) return refused(NO_DETAILS);
  const changed = changedFields(type.fields, incident.fields, values);
  if (changed.length === 0) return done(NOTHING_CHANGED);
  const warnings: string[] = [];
  for (const field of changed) {
    const to = values[field.key] ?? null;
    const at = deps.clock.now();
    const outcome = await runChange(deps, {
      actorId,
      at,
      record: async () => {
        const applied = await deps.incidents.applyChange(
          incident.id,
          (current) => {
            const fields = { ...current.fields };
            if (to === null) delete fields[field.key];
            else fields[field.key] = to;
            const from = current.fields[field.key] ?? null;
            return {
              ok: true,
              change: {
                patch: { fields },
                entry: { kind: 'details_edited', text: detailEditedEntry(field.label, fieldValueText(field, from ?? undefined), fieldValueText(field, to ?? undefined)), data: { field: field.key, from, to } },
              },
            };
          },
          { at, actorId },
        );
        if (!applied.ok) return applied;
        const from = applied.before.fields[field.key] ?? null;
        return { ok: true, incident: applied.incident, event: { kind: 'details_edited', field: field.key, label: field.label, from, to } };
      },
    });
    if (!outcome.ok) return outcome.result;
    warnings.push(...outcome.warnings);
  }
  return done(detailsEdited(changed.length), warnings);
}
