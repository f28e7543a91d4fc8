/** What `npm run report` is made from: the incidents of the window, each with its timeline and action items, as stored. */
import { reportRow, type ReportRow } from '../domain/report.js';
import type { ActionItemRecords, IncidentRecords } from '../ports.js';

/** One row per incident declared since `since` (drills left out), oldest first; `now` ends the silence of those still open. */
export async function reportRows(stores: { incidents: IncidentRecords; actions: ActionItemRecords }, since: Date, now: Date): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for (const incident of await stores.incidents.listDeclaredSince(since)) {
    const [timeline, actionItems] = [await stores.incidents.timelineOf(incident.id), await stores.actions.listFor(incident.id)];
    rows.push(reportRow({ incident, timeline, actionItems }, now));
  }
  return rows;
}
