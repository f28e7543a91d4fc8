ALTER TABLE "incidents" ADD COLUMN "type" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "fields" jsonb;