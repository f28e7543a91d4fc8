CREATE TABLE `work_in_progress` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner` text NOT NULL,
	`what` text NOT NULL,
	`user_id` text NOT NULL,
	`channel_id` text,
	`incident_id` integer,
	`response_url` text,
	`started_at` integer NOT NULL
);
