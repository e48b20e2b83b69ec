-- Pause and resume, a token per claim of a video, and segments any process can take.
ALTER TABLE videos DROP CONSTRAINT videos_status_check;
ALTER TABLE videos ADD CONSTRAINT videos_status_check
    CHECK (status IN ('queued', 'processing', 'done', 'failed', 'cancelled', 'paused'));
-- Unique per claim of the video: only the job holding it writes its progress and result.
ALTER TABLE videos ADD COLUMN claim TEXT;

-- The time segments of a video being processed, each taken by any free job slot of any
-- process under its own claim; kept while the video is paused or taken over (so a resume
-- or a new holder continues from the first unfinished segment), removed when it ends.
CREATE TABLE video_segments (
    video_id           TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    idx                BIGINT NOT NULL,
    start_s            DOUBLE PRECISION NOT NULL,
    end_s              DOUBLE PRECISION,
    -- Share of the whole video, percent (the segments of a video add up to 100).
    weight             DOUBLE PRECISION NOT NULL,
    status             TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    claim              TEXT,
    worker_id          TEXT,
    lease_expires_at   TEXT,
    attempts           BIGINT NOT NULL DEFAULT 0,
    progress           DOUBLE PRECISION NOT NULL DEFAULT 0,
    frames_processed   BIGINT NOT NULL DEFAULT 0,
    faces_total        BIGINT NOT NULL DEFAULT 0,
    max_faces_in_frame BIGINT NOT NULL DEFAULT 0,
    frames_with_faces  BIGINT NOT NULL DEFAULT 0,
    people_so_far      BIGINT NOT NULL DEFAULT 0,
    -- JSON of the segment's outcome and people part, once done; the error once failed.
    result             TEXT,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (video_id, idx)
);
CREATE INDEX video_segments_queue ON video_segments (status, lease_expires_at);
