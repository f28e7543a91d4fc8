CREATE TABLE `handled_requests` (
	`key` text PRIMARY KEY NOT NULL,
	`handled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `handled_requests_at_idx` ON `handled_requests` (`handled_at`);