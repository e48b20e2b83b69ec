-- Uploaded videos and their face-detection results.
CREATE TABLE videos (
    id                 TEXT PRIMARY KEY NOT NULL,
    filename           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'done', 'failed', 'cancelled')),
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
    updated_at         TEXT NOT NULL
);

CREATE INDEX videos_created_at ON videos (created_at DESC);
CREATE INDEX videos_queue ON videos (status, created_at);
