ALTER TABLE "incidents" ADD COLUMN "reminder_due_at" timestamp (3) with time zone DEFAULT 'epoch';--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "escalation_due_at" timestamp (3) with time zone DEFAULT 'epoch';--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "schedule_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "incidents_reminder_due_idx" ON "incidents" USING btree ("reminder_due_at");--> statement-breakpoint
CREATE INDEX "incidents_escalation_due_idx" ON "incidents" USING btree ("escalation_due_at");