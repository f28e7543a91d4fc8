ALTER TABLE `incidents` ADD `type` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `fields` text;