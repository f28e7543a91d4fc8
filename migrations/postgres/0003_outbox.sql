CREATE TABLE "outbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"destination" text NOT NULL,
	"incident_id" integer NOT NULL,
	"event_id" text NOT NULL,
	"payload" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone,
	"last_error" text,
	"reported" text,
	"claimed_by" text,
	"entry_id" integer,
	"created_at" timestamp (3) with time zone NOT NULL,
	"settled_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_destination_event_idx" ON "outbox" USING btree ("destination","event_id");--> statement-breakpoint
CREATE INDEX "outbox_next_attempt_idx" ON "outbox" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_incident_destination_idx" ON "outbox" USING btree ("incident_id","destination","id");