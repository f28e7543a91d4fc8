CREATE TABLE `escalations` (
	`incident_id` integer NOT NULL,
	`tier` text NOT NULL,
	`paged_at` integer,
	`not_before` integer,
	`lease_owner` text,
	`lease_until` integer,
	`pending_key` text,
	`pending_since` integer,
	PRIMARY KEY(`incident_id`, `tier`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `incidents` ADD `acknowledged_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `acknowledged_by` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `review_done_at` integer;--> statement-breakpoint
-- Incidents resolved before review reminders existed are not owed one: no flood of reminders on upgrade.
UPDATE `incidents` SET `review_done_at` = `resolved_at` WHERE `status` = 'resolved';
