-- Faces per second, stored while a video is processed (JSON array, entry i = second i),
-- and its 48-bucket summary read by listings.
ALTER TABLE videos ADD COLUMN activity TEXT;
ALTER TABLE videos ADD COLUMN sparkline TEXT;
-- A segment's own faces per second, from its start second (JSON {"start_s", "faces"}),
-- cleared with its counts when it goes back to the queue.
ALTER TABLE video_segments ADD COLUMN activity TEXT;
