CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`name` text NOT NULL,
	`summary` text,
	`description` text,
	`labels` text NOT NULL,
	`annotations` text NOT NULL,
	`links` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`fire_count` integer DEFAULT 1 NOT NULL,
	`resolved_at` integer,
	`triage_ts` text,
	`triage_state` text DEFAULT 'posting' NOT NULL,
	`incident_id` integer,
	`declared_by` text,
	`dismissed_by` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_open_fingerprint_idx` ON `alerts` (`source`,`fingerprint`) WHERE "alerts"."status" = 'firing';--> statement-breakpoint
CREATE INDEX `alerts_incident_idx` ON `alerts` (`incident_id`);