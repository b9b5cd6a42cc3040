CREATE TABLE `credit_ledger` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount` real NOT NULL,
	`balance_after` real NOT NULL,
	`board_id` text,
	`job_id` text,
	`period` text,
	`actor_id` text,
	`note` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ledger_user` ON `credit_ledger` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `ledger_job` ON `credit_ledger` (`job_id`);--> statement-breakpoint
CREATE INDEX `ledger_board` ON `credit_ledger` (`board_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_grant_period` ON `credit_ledger` (`user_id`,`period`);--> statement-breakpoint
ALTER TABLE `boards` ADD `budget_cap` real;--> statement-breakpoint
ALTER TABLE `images` ADD `worker` text;--> statement-breakpoint
ALTER TABLE `users` ADD `is_admin` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `monthly_allowance` real;