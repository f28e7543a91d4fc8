import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { FieldValue } from '../../domain/incidentTypes.js';

export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // The declare modal's view id: Slack retrying a submission can never create a second incident.
    declarationKey: text('declaration_key').notNull().unique(),
    phase: text('phase', { enum: ['declaring', 'live', 'aborted'] }).notNull(),
    title: text('title').notNull(),
    severity: text('severity', { enum: ['SEV1', 'SEV2', 'SEV3', 'SEV4'] }).notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring', 'resolved'] }).notNull(),
    impact: text('impact').notNull().default(''),
    commanderId: text('commander_id').notNull(),
    declaredBy: text('declared_by').notNull(),
    isPrivate: integer('is_private', { mode: 'boolean' }).notNull().default(false),
    declaredAt: integer('declared_at', { mode: 'timestamp_ms' }).notNull(),
    channelId: text('channel_id').unique(),
    channelName: text('channel_name'),
    kickoffTs: text('kickoff_ts'),
    failureReason: text('failure_reason'),
    commsId: text('comms_id'),
    scribeId: text('scribe_id'),
    highestSeverity: text('highest_severity', { enum: ['SEV1', 'SEV2', 'SEV3', 'SEV4'] }),
    lastUpdateAt: integer('last_update_at', { mode: 'timestamp_ms' }),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolutionSummary: text('resolution_summary').notNull().default(''),
    rootCause: text('root_cause').notNull().default(''),
    acknowledgedAt: integer('acknowledged_at', { mode: 'timestamp_ms' }),
    acknowledgedBy: text('acknowledged_by'),
    reviewDoneAt: integer('review_done_at', { mode: 'timestamp_ms' }),
    /** Set for a drill: the scenario it plays (`drills/<name>.yml`). Null for a real incident. */
    drillScenario: text('drill_scenario'),
    /** When the impact began, if someone said so: time to resolve counts from it. Null: from the declaration. */
    impactStartedAt: integer('impact_started_at', { mode: 'timestamp_ms' }),
    /** The incident type's key (incident_types in the configuration file) and its custom fields' values by field key. */
    type: text('type'),
    fields: text('fields', { mode: 'json' }).$type<Record<string, FieldValue>>(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    /**
     * When the incident is next owed a reminder (or review reminder) and an escalation page: the
     * scheduler reads only incidents whose time has come. Null: nothing owed. The epoch (the default,
     * and what every change writes) means "look again now"; the pass then stores the true time.
     */
    reminderDueAt: integer('reminder_due_at', { mode: 'timestamp_ms' }).default(sql`0`),
    escalationDueAt: integer('escalation_due_at', { mode: 'timestamp_ms' }).default(sql`0`),
    /** When the channel is next owed its archive warning or its archive (archive_after_days), the same way. */
    archiveDueAt: integer('archive_due_at', { mode: 'timestamp_ms' }).default(sql`0`),
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

export const participants = sqliteTable(
  'participants',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    role: text('role', { enum: ['declarer', 'member', 'commander', 'comms', 'scribe'] }).notNull(),
    since: integer('since', { mode: 'timestamp_ms' }).notNull(),
    // Set when they leave (or are removed from) the channel: no access to a private incident any
    // more, but still listed in the post-mortem as someone who took part. Cleared when they rejoin.
    leftAt: integer('left_at', { mode: 'timestamp_ms' }),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.userId, table.role] })],
);

export const timelineEntries = sqliteTable(
  'timeline_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorId: text('actor_id'),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    // For :pushpin:-pinned messages: the Slack message, so it is on the timeline at most once.
    messageTs: text('message_ts'),
  },
  (table) => [
    index('timeline_incident_at_idx').on(table.incidentId, table.at),
    uniqueIndex('timeline_incident_message_idx').on(table.incidentId, table.messageTs),
  ],
);

/** Who has put :pushpin: on a message: the message leaves the timeline when the last one is removed. */
export const pinReactions = sqliteTable(
  'pin_reactions',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    messageTs: text('message_ts').notNull(),
    userId: text('user_id').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.messageTs, table.userId] })],
);

export const actionItems = sqliteTable(
  'action_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    ownerId: text('owner_id'),
    /** A calendar date, YYYY-MM-DD: due dates are days, not instants. */
    dueOn: text('due_on'),
    status: text('status', { enum: ['open', 'done'] }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    doneBy: text('done_by'),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('action_items_incident_idx').on(table.incidentId, table.id)],
);

/**
 * The update-reminder schedule of each open incident, in the database so it survives a crash.
 * A process claims a due reminder by taking its lease (`leases.ts`, as for escalation rungs), so
 * two processes on one database send it once. `pending_key` marks a send in flight: after a crash
 * it lets the next claimant check Slack before sending again.
 */
export const reminders = sqliteTable('reminders', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  lastRemindedAt: integer('last_reminded_at', { mode: 'timestamp_ms' }),
  notBefore: integer('not_before', { mode: 'timestamp_ms' }),
  restartedAt: integer('restarted_at', { mode: 'timestamp_ms' }),
  leaseOwner: text('lease_owner'),
  leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
  pendingKey: text('pending_key'),
  pendingSince: integer('pending_since', { mode: 'timestamp_ms' }),
  /** What the send in flight is: a reminder, or an automatic update whose draft is `pending_draft_id`. */
  pendingKind: text('pending_kind', { enum: ['reminder', 'automatic'] }),
  pendingDraftId: integer('pending_draft_id'),
});

/**
 * The status updates the bot wrote when an interval passed without one: kept so that "Post as is"
 * posts exactly what the reminder showed, and an automatic update interrupted by a crash is
 * recorded with the words the channel saw.
 */
export const statusDrafts = sqliteTable(
  'status_drafts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring'] }).notNull(),
    whatChanged: text('what_changed').notNull(),
    impact: text('impact').notNull(),
    nextSteps: text('next_steps').notNull(),
    basedOnUpdateAt: integer('based_on_update_at', { mode: 'timestamp_ms' }),
    lastPersonUpdateAt: integer('last_person_update_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('status_drafts_incident_idx').on(table.incidentId)],
);

/**
 * The rungs of the escalation ladder each incident has paged (or is paging). A rung is claimed by
 * inserting or leasing its row, so two processes page it once; `paged_at` says it went out.
 */
export const escalations = sqliteTable(
  'escalations',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    tier: text('tier').notNull(),
    pagedAt: integer('paged_at', { mode: 'timestamp_ms' }),
    notBefore: integer('not_before', { mode: 'timestamp_ms' }),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    pendingKey: text('pending_key'),
    pendingSince: integer('pending_since', { mode: 'timestamp_ms' }),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.tier] })],
);

/**
 * The script of a drill, one row per timed message, copied from its scenario file when the drill
 * is declared (editing the file later changes no drill under way). A message is claimed through
 * its lease like a reminder, and `posted_at` says it went out, so a crash or a restart neither
 * loses nor repeats it. Removed with the drill.
 */
export const drillSteps = sqliteTable(
  'drill_steps',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    speaker: text('speaker').notNull(),
    text: text('text').notNull(),
    postedAt: integer('posted_at', { mode: 'timestamp_ms' }),
    notBefore: integer('not_before', { mode: 'timestamp_ms' }),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    pendingKey: text('pending_key'),
    pendingSince: integer('pending_since', { mode: 'timestamp_ms' }),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.step] }), index('drill_steps_due_idx').on(table.postedAt, table.dueAt)],
);

/** The latest post-mortem draft of each incident, as uploaded: what `/incident postmortem` regenerates. */
export const postmortems = sqliteTable('postmortems', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  markdown: text('markdown').notNull(),
  generatedAt: integer('generated_at', { mode: 'timestamp_ms' }).notNull(),
  /** Slack's id of the uploaded file; null when the upload failed and the draft is only here. */
  fileId: text('file_id'),
});

/**
 * People's names as Slack last told the bot, so a post-mortem reads "@alice" rather than a user id,
 * also when printed with `npm run postmortem`, away from Slack.
 */
export const people = sqliteTable('people', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Work the bot acknowledged and has not finished, one row while it runs. A row left behind by a
 * process that died says whose request may be half done, so the next start can tell them.
 */
export const workInProgress = sqliteTable('work_in_progress', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  owner: text('owner').notNull(),
  what: text('what').notNull(),
  userId: text('user_id').notNull(),
  channelId: text('channel_id'),
  incidentId: integer('incident_id'),
  responseUrl: text('response_url'),
  startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Requests from Slack the bot has acted on, by a key naming the delivery (an event's event_id, a
 * command's or click's trigger id, a form's view id and hash): Slack delivers some requests again
 * (events at 3 s, 1 min and 5 min), and the retry may reach a restarted bot or another process on
 * this database. Rows older than a day are pruned; Slack's last retry comes minutes after the first.
 */
export const handledRequests = sqliteTable(
  'handled_requests',
  {
    key: text('key').primaryKey(),
    handledAt: integer('handled_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('handled_requests_at_idx').on(table.handledAt)],
);

/**
 * The bot processes sharing this database, each beating every few seconds: one silent past the
 * bound (`scheduler/replicas.ts`) is dead, wherever it ran, and its leases and journaled work are
 * taken over. A clean shutdown deletes its row.
 */
export const replicas = sqliteTable('replicas', {
  owner: text('owner').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
  heartbeatAt: integer('heartbeat_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * What the bot has done about a resolved incident's channel (archive_after_days): warned, kept
 * open (by whom), archived, or given up on a refusal that retrying cannot fix. The archive step is
 * claimed through its lease like a reminder. Times before the incident's latest resolve are stale.
 */
export const channelArchives = sqliteTable('channel_archives', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  warnedAt: integer('warned_at', { mode: 'timestamp_ms' }),
  keptOpenAt: integer('kept_open_at', { mode: 'timestamp_ms' }),
  keptOpenBy: text('kept_open_by'),
  archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
  gaveUpAt: integer('gave_up_at', { mode: 'timestamp_ms' }),
  notBefore: integer('not_before', { mode: 'timestamp_ms' }),
  leaseOwner: text('lease_owner'),
  leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
  pendingKey: text('pending_key'),
  pendingSince: integer('pending_since', { mode: 'timestamp_ms' }),
});

/**
 * Alerts from monitoring (POST /alerts…): one row per alert from its first firing to its
 * resolution. At most one open row per source and fingerprint, so of two replicas given the same
 * alert one inserts it (and posts it to the triage channel) and the other counts a repeat.
 */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source', { enum: ['alertmanager', 'grafana', 'generic'] }).notNull(),
    fingerprint: text('fingerprint').notNull(),
    status: text('status', { enum: ['firing', 'resolved'] }).notNull(),
    name: text('name').notNull(),
    summary: text('summary'),
    description: text('description'),
    labels: text('labels', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    annotations: text('annotations', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    links: text('links', { mode: 'json' }).$type<{ label: string; url: string }[]>().notNull(),
    firstSeenAt: integer('first_seen_at', { mode: 'timestamp_ms' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    fireCount: integer('fire_count').notNull().default(1),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    triageTs: text('triage_ts'),
    triageState: text('triage_state', { enum: ['posting', 'posted', 'failed'] }).notNull().default('posting'),
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    declaredBy: text('declared_by'),
    dismissedBy: text('dismissed_by'),
    /** When the triage message last showed the count (or is being updated to show it). */
    triageShownAt: integer('triage_shown_at', { mode: 'timestamp_ms' }),
    /** When the repeats not yet shown are owed their update (or a claimed update's lease ends); null: the message is up to date. */
    triageDueAt: integer('triage_due_at', { mode: 'timestamp_ms' }),
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
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    destination: text('destination').notNull(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    payload: text('payload').notNull(),
    state: text('state', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    reported: text('reported', { enum: ['failing', 'given_up'] }),
    claimedBy: text('claimed_by'),
    /** The timeline entry of the change it came from: a change taken back takes its untried sends with it. */
    entryId: integer('entry_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    settledAt: integer('settled_at', { mode: 'timestamp_ms' }),
  },
  (table) => [
    uniqueIndex('outbox_destination_event_idx').on(table.destination, table.eventId),
    index('outbox_next_attempt_idx').on(table.nextAttemptAt),
    index('outbox_incident_destination_idx').on(table.incidentId, table.destination, table.id),
  ],
);

/**
 * Who has opened the bot's Home tab, and whether what Slack shows them is current. Every change to
 * an incident adds one to `version` of every row; `publishedVersion` is the version last published
 * (null: never, or the publish failed). Stored, not kept in memory, so any replica can tell a stale
 * Home from a current one. `publishDueAt` is when a burst of changes is published: set by the
 * first change of the burst and left alone by the rest, so a burst publishes once.
 */
export const appHomeViewers = sqliteTable(
  'app_home_viewers',
  {
    userId: text('user_id').primaryKey(),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
    version: integer('version').notNull().default(0),
    publishedVersion: integer('published_version'),
    publishDueAt: integer('publish_due_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('app_home_viewers_due_idx').on(table.publishDueAt)],
);
