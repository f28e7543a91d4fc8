/**
 * Drills: rehearsals of the incident process on a made-up incident. A scenario (a file in
 * `drills/`) gives the incident's title, severity and impact and a script of timed messages, the
 * alerts and reports a real incident would bring, played into the drill's channel.
 */
import type { SeverityLevel } from './severity.js';

/** One scripted message: `afterMs` from the declaration, said by `speaker` (a name, not a Slack user). */
export interface DrillLine {
  afterMs: number;
  speaker: string;
  text: string;
}

export interface DrillScenario {
  /** The file's name without `.yml`: what people type after `/incident drill`. */
  name: string;
  title: string;
  severity: SeverityLevel;
  impact: string;
  script: DrillLine[];
}

/** What `/incident drill` and the incident configuration say about drills. */
export interface DrillSettings {
  scenarios: readonly DrillScenario[];
  /** Drills are told to the announcement channel too (`drills.announce`); by default they stay in their channel. */
  announce: boolean;
  /** The escalation ladder pages its people in a drill (`drills.page`); by default it only says whom it would page. */
  page: boolean;
}

/** `/incident drill end`: the one word after `drill` that is not a scenario. */
export const END_DRILL_WORD = 'end';

/** A scenario's name: lowercase letters, digits and hyphens, so it can be typed after `/incident drill`. */
export const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]{0,59}$/;

/** A stored script line's time: the declaration's plus its offset. */
export const scriptTimes = (declaredAt: Date, script: readonly DrillLine[]) =>
  script.map((line, step) => ({ step, dueAt: new Date(declaredAt.getTime() + line.afterMs), speaker: line.speaker, text: line.text }));

export const isDrill = (incident: { drillScenario: string | null }) => incident.drillScenario !== null;
