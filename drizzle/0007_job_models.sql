ALTER TABLE `boards` ADD `default_model` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `model` text;