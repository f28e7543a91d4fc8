CREATE TABLE `reminders` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`last_reminded_at` integer,
	`not_before` integer,
	`restarted_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`pending_key` text,
	`pending_since` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
