-- Which worker holds a processing video, and until when (renewed with every progress store).
ALTER TABLE videos ADD COLUMN worker_id TEXT;
ALTER TABLE videos ADD COLUMN lease_expires_at TEXT;
ALTER TABLE videos ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX videos_leases ON videos (status, lease_expires_at);
