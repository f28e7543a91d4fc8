CREATE TABLE "action_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"text" text NOT NULL,
	"owner_id" text,
	"due_on" text,
	"status" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"done_by" text,
	"done_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "drill_steps" (
	"incident_id" integer NOT NULL,
	"step" integer NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"speaker" text NOT NULL,
	"text" text NOT NULL,
	"posted_at" timestamp (3) with time zone,
	"not_before" timestamp (3) with time zone,
	"lease_owner" text,
	"lease_until" timestamp (3) with time zone,
	"pending_key" text,
	"pending_since" timestamp (3) with time zone,
	CONSTRAINT "drill_steps_incident_id_step_pk" PRIMARY KEY("incident_id","step")
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"incident_id" integer NOT NULL,
	"tier" text NOT NULL,
	"paged_at" timestamp (3) with time zone,
	"not_before" timestamp (3) with time zone,
	"lease_owner" text,
	"lease_until" timestamp (3) with time zone,
	"pending_key" text,
	"pending_since" timestamp (3) with time zone,
	CONSTRAINT "escalations_incident_id_tier_pk" PRIMARY KEY("incident_id","tier")
);
--> statement-breakpoint
CREATE TABLE "handled_requests" (
	"key" text PRIMARY KEY NOT NULL,
	"handled_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"declaration_key" text NOT NULL,
	"phase" text NOT NULL,
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"impact" text DEFAULT '' NOT NULL,
	"commander_id" text NOT NULL,
	"declared_by" text NOT NULL,
	"is_private" boolean DEFAULT false NOT NULL,
	"declared_at" timestamp (3) with time zone NOT NULL,
	"channel_id" text,
	"channel_name" text,
	"kickoff_ts" text,
	"failure_reason" text,
	"comms_id" text,
	"scribe_id" text,
	"highest_severity" text,
	"last_update_at" timestamp (3) with time zone,
	"resolved_at" timestamp (3) with time zone,
	"resolution_summary" text DEFAULT '' NOT NULL,
	"root_cause" text DEFAULT '' NOT NULL,
	"acknowledged_at" timestamp (3) with time zone,
	"acknowledged_by" text,
	"review_done_at" timestamp (3) with time zone,
	"drill_scenario" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_declaration_key_unique" UNIQUE("declaration_key"),
	CONSTRAINT "incidents_channel_id_unique" UNIQUE("channel_id")
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"incident_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"since" timestamp (3) with time zone NOT NULL,
	"left_at" timestamp (3) with time zone,
	CONSTRAINT "participants_incident_id_user_id_role_pk" PRIMARY KEY("incident_id","user_id","role")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"user_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pin_reactions" (
	"incident_id" integer NOT NULL,
	"message_ts" text NOT NULL,
	"user_id" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "pin_reactions_incident_id_message_ts_user_id_pk" PRIMARY KEY("incident_id","message_ts","user_id")
);
--> statement-breakpoint
CREATE TABLE "postmortems" (
	"incident_id" integer PRIMARY KEY NOT NULL,
	"markdown" text NOT NULL,
	"generated_at" timestamp (3) with time zone NOT NULL,
	"file_id" text
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"incident_id" integer PRIMARY KEY NOT NULL,
	"last_reminded_at" timestamp (3) with time zone,
	"not_before" timestamp (3) with time zone,
	"restarted_at" timestamp (3) with time zone,
	"lease_owner" text,
	"lease_until" timestamp (3) with time zone,
	"pending_key" text,
	"pending_since" timestamp (3) with time zone,
	"pending_kind" text,
	"pending_draft_id" integer
);
--> statement-breakpoint
CREATE TABLE "status_drafts" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"what_changed" text NOT NULL,
	"impact" text NOT NULL,
	"next_steps" text NOT NULL,
	"based_on_update_at" timestamp (3) with time zone,
	"last_person_update_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "timeline_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_id" text,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"data" jsonb,
	"message_ts" text
);
--> statement-breakpoint
CREATE TABLE "work_in_progress" (
	"id" serial PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"what" text NOT NULL,
	"user_id" text NOT NULL,
	"channel_id" text,
	"incident_id" integer,
	"response_url" text,
	"started_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_steps" ADD CONSTRAINT "drill_steps_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pin_reactions" ADD CONSTRAINT "pin_reactions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postmortems" ADD CONSTRAINT "postmortems_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_drafts" ADD CONSTRAINT "status_drafts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_entries" ADD CONSTRAINT "timeline_entries_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_items_incident_idx" ON "action_items" USING btree ("incident_id","id");--> statement-breakpoint
CREATE INDEX "drill_steps_due_idx" ON "drill_steps" USING btree ("posted_at","due_at");--> statement-breakpoint
CREATE INDEX "handled_requests_at_idx" ON "handled_requests" USING btree ("handled_at");--> statement-breakpoint
CREATE INDEX "incidents_phase_idx" ON "incidents" USING btree ("phase","declared_at");--> statement-breakpoint
CREATE INDEX "status_drafts_incident_idx" ON "status_drafts" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "timeline_incident_at_idx" ON "timeline_entries" USING btree ("incident_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "timeline_incident_message_idx" ON "timeline_entries" USING btree ("incident_id","message_ts");