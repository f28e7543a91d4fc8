CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`destination` text NOT NULL,
	`incident_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`reported` text,
	`claimed_by` text,
	`entry_id` integer,
	`created_at` integer NOT NULL,
	`settled_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_destination_event_idx` ON `outbox` (`destination`,`event_id`);--> statement-breakpoint
CREATE INDEX `outbox_next_attempt_idx` ON `outbox` (`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_incident_destination_idx` ON `outbox` (`incident_id`,`destination`,`id`);