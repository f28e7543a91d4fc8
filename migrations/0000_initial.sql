CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`declaration_key` text NOT NULL,
	`phase` text NOT NULL,
	`title` text NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`impact` text DEFAULT '' NOT NULL,
	`commander_id` text NOT NULL,
	`declared_by` text NOT NULL,
	`is_private` integer DEFAULT false NOT NULL,
	`declared_at` integer NOT NULL,
	`channel_id` text,
	`channel_name` text,
	`kickoff_ts` text,
	`failure_reason` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_declaration_key_unique` ON `incidents` (`declaration_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_channel_id_unique` ON `incidents` (`channel_id`);--> statement-breakpoint
CREATE INDEX `incidents_phase_idx` ON `incidents` (`phase`,`declared_at`);--> statement-breakpoint
CREATE TABLE `participants` (
	`incident_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `user_id`, `role`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `timeline_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`data` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `timeline_incident_at_idx` ON `timeline_entries` (`incident_id`,`at`);