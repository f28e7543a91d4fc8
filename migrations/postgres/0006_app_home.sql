CREATE TABLE "app_home_viewers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"opened_at" timestamp (3) with time zone NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"published_version" integer,
	"publish_due_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE INDEX "app_home_viewers_due_idx" ON "app_home_viewers" USING btree ("publish_due_at");