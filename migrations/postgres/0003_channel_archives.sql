CREATE TABLE "channel_archives" (
	"incident_id" integer PRIMARY KEY NOT NULL,
	"warned_at" timestamp (3) with time zone,
	"kept_open_at" timestamp (3) with time zone,
	"kept_open_by" text,
	"archived_at" timestamp (3) with time zone,
	"gave_up_at" timestamp (3) with time zone,
	"not_before" timestamp (3) with time zone,
	"lease_owner" text,
	"lease_until" timestamp (3) with time zone,
	"pending_key" text,
	"pending_since" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "archive_due_at" timestamp (3) with time zone DEFAULT 'epoch';--> statement-breakpoint
ALTER TABLE "channel_archives" ADD CONSTRAINT "channel_archives_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_archive_due_idx" ON "incidents" USING btree ("archive_due_at");