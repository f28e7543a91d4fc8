CREATE TABLE `drill_steps` (
	`incident_id` integer NOT NULL,
	`step` integer NOT NULL,
	`due_at` integer NOT NULL,
	`speaker` text NOT NULL,
	`text` text NOT NULL,
	`posted_at` integer,
	`not_before` integer,
	`lease_owner` text,
	`lease_until` integer,
	`pending_key` text,
	`pending_since` integer,
	PRIMARY KEY(`incident_id`, `step`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `drill_steps_due_idx` ON `drill_steps` (`posted_at`,`due_at`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `drill_scenario` text;