-- Pause and resume, a token per claim of a video, and segments any process can take.
-- SQLite cannot change a CHECK constraint in place, so the videos table is rebuilt.
-- Migrations run in a transaction, where foreign keys cannot be turned off: dropping the
-- old table cascades to its children, so their rows are kept aside and put back once the
-- new table has its name.
CREATE TEMP TABLE keep_video_people AS SELECT * FROM video_people;
CREATE TEMP TABLE keep_profile_rejections AS SELECT * FROM profile_rejections;
CREATE TABLE videos_new (
    id                 TEXT PRIMARY KEY NOT NULL,
    filename           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'done', 'failed', 'cancelled', 'paused')),
    progress           REAL NOT NULL DEFAULT 0,
    frames_processed   INTEGER NOT NULL DEFAULT 0,
    frames_total       INTEGER,
    faces_total        INTEGER NOT NULL DEFAULT 0,
    max_faces_in_frame INTEGER NOT NULL DEFAULT 0,
    frames_with_faces  INTEGER NOT NULL DEFAULT 0,
    fps                REAL,
    width              INTEGER,
    height             INTEGER,
    duration_s         REAL,
    processing_fps     REAL,
    create_profiles    INTEGER NOT NULL DEFAULT 0 CHECK (create_profiles IN (0, 1)),
    error              TEXT,
    storage_key        TEXT NOT NULL,
    size_bytes         INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    people_count       INTEGER,
    worker_id          TEXT,
    lease_expires_at   TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    segments           INTEGER,
    -- Unique per claim of the video: only the job holding it writes its progress and result.
    claim              TEXT
);
INSERT INTO videos_new (id, filename, status, progress, frames_processed, frames_total,
    faces_total, max_faces_in_frame, frames_with_faces, fps, width, height, duration_s,
    processing_fps, create_profiles, error, storage_key, size_bytes, created_at, updated_at,
    people_count, worker_id, lease_expires_at, attempts, segments)
SELECT id, filename, status, progress, frames_processed, frames_total,
    faces_total, max_faces_in_frame, frames_with_faces, fps, width, height, duration_s,
    processing_fps, create_profiles, error, storage_key, size_bytes, created_at, updated_at,
    people_count, worker_id, lease_expires_at, attempts, segments
FROM videos;
DROP TABLE videos;
ALTER TABLE videos_new RENAME TO videos;
CREATE INDEX videos_created_at ON videos (created_at DESC);
CREATE INDEX videos_queue ON videos (status, created_at);
CREATE INDEX videos_leases ON videos (status, lease_expires_at);
INSERT INTO video_people SELECT * FROM keep_video_people;
INSERT INTO profile_rejections SELECT * FROM keep_profile_rejections;
DROP TABLE keep_video_people;
DROP TABLE keep_profile_rejections;

-- The time segments of a video being processed, each taken by any free job slot of any
-- process under its own claim; kept while the video is paused or taken over (so a resume
-- or a new holder continues from the first unfinished segment), removed when it ends.
CREATE TABLE video_segments (
    video_id           TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    idx                INTEGER NOT NULL,
    start_s            REAL NOT NULL,
    end_s              REAL,
    -- Share of the whole video, percent (the segments of a video add up to 100).
    weight             REAL NOT NULL,
    status             TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    claim              TEXT,
    worker_id          TEXT,
    lease_expires_at   TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    progress           REAL NOT NULL DEFAULT 0,
    frames_processed   INTEGER NOT NULL DEFAULT 0,
    faces_total        INTEGER NOT NULL DEFAULT 0,
    max_faces_in_frame INTEGER NOT NULL DEFAULT 0,
    frames_with_faces  INTEGER NOT NULL DEFAULT 0,
    people_so_far      INTEGER NOT NULL DEFAULT 0,
    -- JSON of the segment's outcome and people part, once done; the error once failed.
    result             TEXT,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (video_id, idx)
);
CREATE INDEX video_segments_queue ON video_segments (status, lease_expires_at);
