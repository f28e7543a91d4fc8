ALTER TABLE `incidents` ADD `reminder_due_at` integer DEFAULT 0;--> statement-breakpoint
ALTER TABLE `incidents` ADD `escalation_due_at` integer DEFAULT 0;--> statement-breakpoint
ALTER TABLE `incidents` ADD `schedule_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `incidents_reminder_due_idx` ON `incidents` (`reminder_due_at`);--> statement-breakpoint
CREATE INDEX `incidents_escalation_due_idx` ON `incidents` (`escalation_due_at`);