-- Distinct people per video, and profiles made from them.
ALTER TABLE videos ADD COLUMN people_count BIGINT;

CREATE TABLE profiles (
    id          TEXT PRIMARY KEY NOT NULL,
    full_name   TEXT,
    gender      TEXT CHECK (gender IN ('male', 'female')),
    birth_date  TEXT,
    crop_key    TEXT NOT NULL,
    embedding   BYTEA NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX profiles_newest ON profiles (created_at DESC, id DESC);

CREATE TABLE video_people (
    id          TEXT PRIMARY KEY NOT NULL,
    video_id    TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    profile_id  TEXT REFERENCES profiles (id) ON DELETE SET NULL,
    ordinal     BIGINT NOT NULL,
    appearances TEXT NOT NULL,
    face_count  BIGINT NOT NULL,
    crop_key    TEXT NOT NULL,
    embedding   BYTEA NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX video_people_video ON video_people (video_id, ordinal);
CREATE INDEX video_people_profile ON video_people (profile_id);

-- Exact profile count without scanning the table (listings return it on every page).
CREATE TABLE row_counts (
    name  TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
INSERT INTO row_counts (name, value) VALUES ('profiles', 0);
CREATE FUNCTION count_profile_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE row_counts SET value = value + 1 WHERE name = 'profiles';
    ELSE
        UPDATE row_counts SET value = value - 1 WHERE name = 'profiles';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER profiles_counted AFTER INSERT OR DELETE ON profiles
    FOR EACH ROW EXECUTE FUNCTION count_profile_rows();
