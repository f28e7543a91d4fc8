CREATE TABLE `channel_archives` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`warned_at` integer,
	`kept_open_at` integer,
	`kept_open_by` text,
	`archived_at` integer,
	`gave_up_at` integer,
	`not_before` integer,
	`lease_owner` text,
	`lease_until` integer,
	`pending_key` text,
	`pending_since` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `incidents` ADD `archive_due_at` integer DEFAULT 0;--> statement-breakpoint
CREATE INDEX `incidents_archive_due_idx` ON `incidents` (`archive_due_at`);