CREATE TABLE `status_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL,
	`what_changed` text NOT NULL,
	`impact` text NOT NULL,
	`next_steps` text NOT NULL,
	`based_on_update_at` integer,
	`last_person_update_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_drafts_incident_idx` ON `status_drafts` (`incident_id`);--> statement-breakpoint
ALTER TABLE `reminders` ADD `pending_kind` text;--> statement-breakpoint
ALTER TABLE `reminders` ADD `pending_draft_id` integer;