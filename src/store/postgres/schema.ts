import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { FieldValue } from '../../domain/incidentTypes.js';

/*
 * The same tables, columns, keys and indexes as ../sqlite/schema.ts, in PostgreSQL's types:
 * instants are timestamptz (milliseconds, as SQLite keeps them), JSON is jsonb. Change both together.
 */

export const incidents = pgTable(
  'incidents',
  {
    id: serial('id').primaryKey(),
    // The declare modal's view id: Slack retrying a submission can never create a second incident.
    declarationKey: text('declaration_key').notNull().unique(),
    phase: text('phase', { enum: ['declaring', 'live', 'aborted'] }).notNull(),
    title: text('title').notNull(),
    severity: text('severity', { enum: ['SEV1', 'SEV2', 'SEV3', 'SEV4'] }).notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring', 'resolved'] }).notNull(),
    impact: text('impact').notNull().default(''),
    commanderId: text('commander_id').notNull(),
    declaredBy: text('declared_by').notNull(),
    isPrivate: boolean('is_private').notNull().default(false),
    declaredAt: timestamp('declared_at', { withTimezone: true, precision: 3 }).notNull(),
    channelId: text('channel_id').unique(),
    channelName: text('channel_name'),
    kickoffTs: text('kickoff_ts'),
    failureReason: text('failure_reason'),
    commsId: text('comms_id'),
    scribeId: text('scribe_id'),
    highestSeverity: text('highest_severity', { enum: ['SEV1', 'SEV2', 'SEV3', 'SEV4'] }),
    lastUpdateAt: timestamp('last_update_at', { withTimezone: true, precision: 3 }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    resolutionSummary: text('resolution_summary').notNull().default(''),
    rootCause: text('root_cause').notNull().default(''),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, precision: 3 }),
    acknowledgedBy: text('acknowledged_by'),
    reviewDoneAt: timestamp('review_done_at', { withTimezone: true, precision: 3 }),
    /** Set for a drill: the scenario it plays (`drills/<name>.yml`). Null for a real incident. */
    drillScenario: text('drill_scenario'),
    /** When the impact began, if someone said so: time to resolve counts from it. Null: from the declaration. */
    impactStartedAt: timestamp('impact_started_at', { withTimezone: true, precision: 3 }),
    /** The incident type's key (incident_types in the configuration file) and its custom fields' values by field key. */
    type: text('type'),
    fields: jsonb('fields').$type<Record<string, FieldValue>>(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    /**
     * When the incident is next owed a reminder (or review reminder) and an escalation page: the
     * scheduler reads only incidents whose time has come. Null: nothing owed. The epoch (the default,
     * and what every change writes) means "look again now"; the pass then stores the true time.
     */
    reminderDueAt: timestamp('reminder_due_at', { withTimezone: true, precision: 3 }).default(sql`'epoch'`),
    escalationDueAt: timestamp('escalation_due_at', { withTimezone: true, precision: 3 }).default(sql`'epoch'`),
    /** When the channel is next owed its archive warning or its archive (archive_after_days), the same way. */
    archiveDueAt: timestamp('archive_due_at', { withTimezone: true, precision: 3 }).default(sql`'epoch'`),
    /** Bumped by every change that may move a due time: a pass's recomputed time is stored only if it has not moved since. */
    scheduleVersion: integer('schedule_version').notNull().default(0),
  },
  (table) => [
    index('incidents_phase_idx').on(table.phase, table.declaredAt),
    index('incidents_reminder_due_idx').on(table.reminderDueAt),
    index('incidents_escalation_due_idx').on(table.escalationDueAt),
    index('incidents_archive_due_idx').on(table.archiveDueAt),
  ],
);

export const participants = pgTable(
  'participants',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    role: text('role', { enum: ['declarer', 'member', 'commander', 'comms', 'scribe'] }).notNull(),
    since: timestamp('since', { withTimezone: true, precision: 3 }).notNull(),
    // Set when they leave (or are removed from) the channel: no access to a private incident any
    // more, but still listed in the post-mortem as someone who took part. Cleared when they rejoin.
    leftAt: timestamp('left_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.userId, table.role] })],
);

export const timelineEntries = pgTable(
  'timeline_entries',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorId: text('actor_id'),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    // For :pushpin:-pinned messages: the Slack message, so it is on the timeline at most once.
    messageTs: text('message_ts'),
  },
  (table) => [
    index('timeline_incident_at_idx').on(table.incidentId, table.at),
    uniqueIndex('timeline_incident_message_idx').on(table.incidentId, table.messageTs),
  ],
);

/** Who has put :pushpin: on a message: the message leaves the timeline when the last one is removed. */
export const pinReactions = pgTable(
  'pin_reactions',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    messageTs: text('message_ts').notNull(),
    userId: text('user_id').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.messageTs, table.userId] })],
);

export const actionItems = pgTable(
  'action_items',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    ownerId: text('owner_id'),
    /** A calendar date, YYYY-MM-DD: due dates are days, not instants. */
    dueOn: text('due_on'),
    status: text('status', { enum: ['open', 'done'] }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    doneBy: text('done_by'),
    doneAt: timestamp('done_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [index('action_items_incident_idx').on(table.incidentId, table.id)],
);

/**
 * The update-reminder schedule of each open incident, in the database so it survives a crash.
 * A process claims a due reminder by taking its lease (`leases.ts`, as for escalation rungs), so
 * two processes on one database send it once. `pending_key` marks a send in flight: after a crash
 * it lets the next claimant check Slack before sending again.
 */
export const reminders = pgTable('reminders', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true, precision: 3 }),
  notBefore: timestamp('not_before', { withTimezone: true, precision: 3 }),
  restartedAt: timestamp('restarted_at', { withTimezone: true, precision: 3 }),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
  pendingKey: text('pending_key'),
  pendingSince: timestamp('pending_since', { withTimezone: true, precision: 3 }),
  /** What the send in flight is: a reminder, or an automatic update whose draft is `pending_draft_id`. */
  pendingKind: text('pending_kind', { enum: ['reminder', 'automatic'] }),
  pendingDraftId: integer('pending_draft_id'),
});

/**
 * The status updates the bot wrote when an interval passed without one: kept so that "Post as is"
 * posts exactly what the reminder showed, and an automatic update interrupted by a crash is
 * recorded with the words the channel saw.
 */
export const statusDrafts = pgTable(
  'status_drafts',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring'] }).notNull(),
    whatChanged: text('what_changed').notNull(),
    impact: text('impact').notNull(),
    nextSteps: text('next_steps').notNull(),
    basedOnUpdateAt: timestamp('based_on_update_at', { withTimezone: true, precision: 3 }),
    lastPersonUpdateAt: timestamp('last_person_update_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [index('status_drafts_incident_idx').on(table.incidentId)],
);

/**
 * The rungs of the escalation ladder each incident has paged (or is paging). A rung is claimed by
 * inserting or leasing its row, so two processes page it once; `paged_at` says it went out.
 */
export const escalations = pgTable(
  'escalations',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    tier: text('tier').notNull(),
    pagedAt: timestamp('paged_at', { withTimezone: true, precision: 3 }),
    notBefore: timestamp('not_before', { withTimezone: true, precision: 3 }),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
    pendingKey: text('pending_key'),
    pendingSince: timestamp('pending_since', { withTimezone: true, precision: 3 }),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.tier] })],
);

/**
 * The script of a drill, one row per timed message, copied from its scenario file when the drill
 * is declared (editing the file later changes no drill under way). A message is claimed through
 * its lease like a reminder, and `posted_at` says it went out, so a crash or a restart neither
 * loses nor repeats it. Removed with the drill.
 */
export const drillSteps = pgTable(
  'drill_steps',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, precision: 3 }).notNull(),
    speaker: text('speaker').notNull(),
    text: text('text').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true, precision: 3 }),
    notBefore: timestamp('not_before', { withTimezone: true, precision: 3 }),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
    pendingKey: text('pending_key'),
    pendingSince: timestamp('pending_since', { withTimezone: true, precision: 3 }),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.step] }), index('drill_steps_due_idx').on(table.postedAt, table.dueAt)],
);

/** The latest post-mortem draft of each incident, as uploaded: what `/incident postmortem` regenerates. */
export const postmortems = pgTable('postmortems', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  markdown: text('markdown').notNull(),
  generatedAt: timestamp('generated_at', { withTimezone: true, precision: 3 }).notNull(),
  /** Slack's id of the uploaded file; null when the upload failed and the draft is only here. */
  fileId: text('file_id'),
});

/**
 * People's names as Slack last told the bot, so a post-mortem reads "@alice" rather than a user id,
 * also when printed with `npm run postmortem`, away from Slack.
 */
export const people = pgTable('people', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
});

/**
 * Work the bot acknowledged and has not finished, one row while it runs. A row left behind by a
 * process that died says whose request may be half done, so the next start can tell them.
 */
export const workInProgress = pgTable('work_in_progress', {
  id: serial('id').primaryKey(),
  owner: text('owner').notNull(),
  what: text('what').notNull(),
  userId: text('user_id').notNull(),
  channelId: text('channel_id'),
  incidentId: integer('incident_id'),
  responseUrl: text('response_url'),
  startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
});

/**
 * Requests from Slack the bot has acted on, by a key naming the delivery (an event's event_id, a
 * command's or click's trigger id, a form's view id and hash): Slack delivers some requests again
 * (events at 3 s, 1 min and 5 min), and the retry may reach a restarted bot or another process on
 * this database. Rows older than a day are pruned; Slack's last retry comes minutes after the first.
 */
export const handledRequests = pgTable(
  'handled_requests',
  {
    key: text('key').primaryKey(),
    handledAt: timestamp('handled_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [index('handled_requests_at_idx').on(table.handledAt)],
);

/**
 * The bot processes sharing this database, each beating every few seconds: one silent past the
 * bound (`scheduler/replicas.ts`) is dead, wherever it ran, and its leases and journaled work are
 * taken over. A clean shutdown deletes its row.
 */
export const replicas = pgTable('replicas', {
  owner: text('owner').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, precision: 3 }).notNull(),
});

/**
 * What the bot has done about a resolved incident's channel (archive_after_days): warned, kept
 * open (by whom), archived, or given up on a refusal that retrying cannot fix. The archive step is
 * claimed through its lease like a reminder. Times before the incident's latest resolve are stale.
 */
export const channelArchives = pgTable('channel_archives', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  warnedAt: timestamp('warned_at', { withTimezone: true, precision: 3 }),
  keptOpenAt: timestamp('kept_open_at', { withTimezone: true, precision: 3 }),
  keptOpenBy: text('kept_open_by'),
  archivedAt: timestamp('archived_at', { withTimezone: true, precision: 3 }),
  gaveUpAt: timestamp('gave_up_at', { withTimezone: true, precision: 3 }),
  notBefore: timestamp('not_before', { withTimezone: true, precision: 3 }),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
  pendingKey: text('pending_key'),
  pendingSince: timestamp('pending_since', { withTimezone: true, precision: 3 }),
});

/**
 * Alerts from monitoring (POST /alerts…): one row per alert from its first firing to its
 * resolution. At most one open row per source and fingerprint, so of two replicas given the same
 * alert one inserts it (and posts it to the triage channel) and the other counts a repeat.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: serial('id').primaryKey(),
    source: text('source', { enum: ['alertmanager', 'grafana', 'generic'] }).notNull(),
    fingerprint: text('fingerprint').notNull(),
    status: text('status', { enum: ['firing', 'resolved'] }).notNull(),
    name: text('name').notNull(),
    summary: text('summary'),
    description: text('description'),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    annotations: jsonb('annotations').$type<Record<string, string>>().notNull(),
    links: jsonb('links').$type<{ label: string; url: string }[]>().notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, precision: 3 }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, precision: 3 }).notNull(),
    fireCount: integer('fire_count').notNull().default(1),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    triageTs: text('triage_ts'),
    triageState: text('triage_state', { enum: ['posting', 'posted', 'failed'] }).notNull().default('posting'),
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    declaredBy: text('declared_by'),
    dismissedBy: text('dismissed_by'),
    /** When the triage message last showed the count (or is being updated to show it). */
    triageShownAt: timestamp('triage_shown_at', { withTimezone: true, precision: 3 }),
    /** When the repeats not yet shown are owed their update (or a claimed update's lease ends); null: the message is up to date. */
    triageDueAt: timestamp('triage_due_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    uniqueIndex('alerts_open_fingerprint_idx').on(table.source, table.fingerprint).where(sql`${table.status} = 'firing'`),
    index('alerts_incident_idx').on(table.incidentId),
    index('alerts_triage_due_idx').on(table.triageDueAt),
  ],
);

/**
 * The outbox: what is sent outside Slack (webhooks, a status page), one row per send, written in the
 * same transaction as the change it comes from and delivered by the scheduler with retries. The
 * due query reads `next_attempt_at` (null once sent or given up), so an idle bot reads nothing.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: serial('id').primaryKey(),
    destination: text('destination').notNull(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    payload: text('payload').notNull(),
    state: text('state', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    reported: text('reported', { enum: ['failing', 'given_up'] }),
    claimedBy: text('claimed_by'),
    /** The timeline entry of the change it came from: a change taken back takes its untried sends with it. */
    entryId: integer('entry_id'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    uniqueIndex('outbox_destination_event_idx').on(table.destination, table.eventId),
    index('outbox_next_attempt_idx').on(table.nextAttemptAt),
    index('outbox_incident_destination_idx').on(table.incidentId, table.destination, table.id),
  ],
);

/** See ../sqlite/schema.ts: who opened Home, and whether what Slack shows them is current. */
export const appHomeViewers = pgTable(
  'app_home_viewers',
  {
    userId: text('user_id').primaryKey(),
    openedAt: timestamp('opened_at', { withTimezone: true, precision: 3 }).notNull(),
    version: integer('version').notNull().default(0),
    publishedVersion: integer('published_version'),
    publishDueAt: timestamp('publish_due_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [index('app_home_viewers_due_idx').on(table.publishDueAt)],
);
