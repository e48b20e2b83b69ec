-- Uploaded videos and their face-detection results.
CREATE TABLE videos (
    id                 TEXT PRIMARY KEY NOT NULL,
    filename           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'done', 'failed', 'cancelled')),
    progress           DOUBLE PRECISION NOT NULL DEFAULT 0,
    frames_processed   BIGINT NOT NULL DEFAULT 0,
    frames_total       BIGINT,
    faces_total        BIGINT NOT NULL DEFAULT 0,
    max_faces_in_frame BIGINT NOT NULL DEFAULT 0,
    frames_with_faces  BIGINT NOT NULL DEFAULT 0,
    fps                DOUBLE PRECISION,
    width              BIGINT,
    height             BIGINT,
    duration_s         DOUBLE PRECISION,
    processing_fps     DOUBLE PRECISION,
    create_profiles    BIGINT NOT NULL DEFAULT 0 CHECK (create_profiles IN (0, 1)),
    error              TEXT,
    storage_key        TEXT NOT NULL,
    size_bytes         BIGINT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE INDEX videos_created_at ON videos (created_at DESC);
CREATE INDEX videos_queue ON videos (status, created_at);
