-- The comments feed (/comments/feed/) lists the newest approved comments by their date, as WordPress's does: an
-- imported blog's comment ids follow its posts, not its comments' dates. Only approved comments are indexed, so the
-- comments the form holds for moderation (and spam) cost no more to store.
CREATE INDEX comments_approved_time ON comments (created_at) WHERE status = 'approved';
