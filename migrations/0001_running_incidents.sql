CREATE TABLE `action_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`text` text NOT NULL,
	`owner_id` text,
	`due_on` text,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`done_by` text,
	`done_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `action_items_incident_idx` ON `action_items` (`incident_id`,`id`);--> statement-breakpoint
CREATE TABLE `pin_reactions` (
	`incident_id` integer NOT NULL,
	`message_ts` text NOT NULL,
	`user_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `message_ts`, `user_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `incidents` ADD `comms_id` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `scribe_id` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `highest_severity` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `last_update_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `resolution_summary` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `root_cause` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `timeline_entries` ADD `message_ts` text;--> statement-breakpoint
CREATE UNIQUE INDEX `timeline_incident_message_idx` ON `timeline_entries` (`incident_id`,`message_ts`);