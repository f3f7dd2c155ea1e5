-- What a comment was before it went to the spam or the trash, so Restore and Not spam can give it back
-- (WordPress keeps the same in _wp_trash_meta_status). NULL: back to the moderation queue.
ALTER TABLE comments ADD COLUMN status_before TEXT CHECK (status_before IN ('approved', 'pending'));
