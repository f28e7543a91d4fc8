CREATE TABLE "alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"summary" text,
	"description" text,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"links" jsonb NOT NULL,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"fire_count" integer DEFAULT 1 NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	"triage_ts" text,
	"triage_state" text DEFAULT 'posting' NOT NULL,
	"incident_id" integer,
	"declared_by" text,
	"dismissed_by" text
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_fingerprint_idx" ON "alerts" USING btree ("source","fingerprint") WHERE "alerts"."status" = 'firing';--> statement-breakpoint
CREATE INDEX "alerts_incident_idx" ON "alerts" USING btree ("incident_id");