ALTER TABLE `alerts` ADD `triage_shown_at` integer;--> statement-breakpoint
ALTER TABLE `alerts` ADD `triage_due_at` integer;--> statement-breakpoint
CREATE INDEX `alerts_triage_due_idx` ON `alerts` (`triage_due_at`);