CREATE TABLE `app_home_viewers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`opened_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`published_version` integer,
	`publish_due_at` integer
);
--> statement-breakpoint
CREATE INDEX `app_home_viewers_due_idx` ON `app_home_viewers` (`publish_due_at`);