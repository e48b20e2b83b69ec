-- Distinct people per video, and profiles made from them.
ALTER TABLE videos ADD COLUMN people_count INTEGER;

CREATE TABLE profiles (
    id          TEXT PRIMARY KEY NOT NULL,
    full_name   TEXT,
    gender      TEXT CHECK (gender IN ('male', 'female')),
    birth_date  TEXT,
    crop_key    TEXT NOT NULL,
    embedding   BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX profiles_newest ON profiles (created_at DESC, id DESC);

CREATE TABLE video_people (
    id          TEXT PRIMARY KEY NOT NULL,
    video_id    TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    profile_id  TEXT REFERENCES profiles (id) ON DELETE SET NULL,
    ordinal     INTEGER NOT NULL,
    appearances TEXT NOT NULL,
    face_count  INTEGER NOT NULL,
    crop_key    TEXT NOT NULL,
    embedding   BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX video_people_video ON video_people (video_id, ordinal);
CREATE INDEX video_people_profile ON video_people (profile_id);

-- Exact profile count without scanning the table (listings return it on every page).
CREATE TABLE row_counts (
    name  TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
);
INSERT INTO row_counts (name, value) VALUES ('profiles', 0);
CREATE TRIGGER profiles_counted_insert AFTER INSERT ON profiles
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'profiles';
END;
CREATE TRIGGER profiles_counted_delete AFTER DELETE ON profiles
BEGIN
    UPDATE row_counts SET value = value - 1 WHERE name = 'profiles';
END;
