CREATE TABLE `model_prices` (
	`model` text PRIMARY KEY NOT NULL,
	`price` real NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
