CREATE TABLE `people` (
	`user_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `postmortems` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`markdown` text NOT NULL,
	`generated_at` integer NOT NULL,
	`file_id` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
