ALTER TABLE "alerts" ADD COLUMN "triage_shown_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "triage_due_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "alerts_triage_due_idx" ON "alerts" USING btree ("triage_due_at");