-- Corrections: hidden profiles, name search, manual assignments that re-processing keeps,
-- "not this person" remembered per video, and an append-only audit log.
ALTER TABLE profiles ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
-- full_name folded for search (Unicode lower case, ё → е); filled by the server, which
-- also backfills rows written before this column existed.
ALTER TABLE profiles ADD COLUMN name_key TEXT;
CREATE INDEX profiles_visible_newest ON profiles (hidden, created_at DESC, id DESC);

-- 1 when an operator put the person where it is (or left it unassigned on purpose).
ALTER TABLE video_people ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;
CREATE INDEX video_people_unassigned ON video_people (profile_id, created_at DESC, id DESC);

-- "Not this person": a person of `video_id` with this face must never again be put into
-- `profile_id` automatically, also after the video is re-processed (new person ids).
CREATE TABLE profile_rejections (
    id          TEXT PRIMARY KEY NOT NULL,
    profile_id  TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    video_id    TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    embedding   BLOB NOT NULL,
    model       TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX profile_rejections_video ON profile_rejections (video_id);

-- Every manual change. Rows are only ever inserted; no foreign keys, so deleting a profile
-- keeps its history.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY NOT NULL,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    client      TEXT NOT NULL,
    objects     TEXT NOT NULL,
    before      TEXT,
    after       TEXT
);
CREATE TABLE audit_profiles (
    profile_id  TEXT NOT NULL,
    audit_id    TEXT NOT NULL,
    PRIMARY KEY (profile_id, audit_id)
);

-- Hidden profiles counted like all profiles, so a listing's total reads two rows.
INSERT INTO row_counts (name, value) VALUES ('hidden_profiles', 0);
CREATE TRIGGER profiles_hidden_insert AFTER INSERT ON profiles WHEN NEW.hidden <> 0
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'hidden_profiles';
END;
CREATE TRIGGER profiles_hidden_delete AFTER DELETE ON profiles WHEN OLD.hidden <> 0
BEGIN
    UPDATE row_counts SET value = value - 1 WHERE name = 'hidden_profiles';
END;
CREATE TRIGGER profiles_hidden_update AFTER UPDATE OF hidden ON profiles
    WHEN (NEW.hidden <> 0) <> (OLD.hidden <> 0)
BEGIN
    UPDATE row_counts SET value = value + (CASE WHEN NEW.hidden <> 0 THEN 1 ELSE -1 END)
        WHERE name = 'hidden_profiles';
END;

-- Substring search over names stays an index lookup with 100 000 profiles: a trigram index
-- (FTS5) over name_key, keyed by the profiles' rowid and kept by triggers. (facetally never
-- runs VACUUM, which could renumber the rowids of this table.)
CREATE VIRTUAL TABLE profile_names USING fts5(
    name_key, content = 'profiles', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO profile_names (profile_names) VALUES ('rebuild');
CREATE TRIGGER profile_names_insert AFTER INSERT ON profiles
BEGIN
    INSERT INTO profile_names (rowid, name_key) VALUES (NEW.rowid, NEW.name_key);
END;
CREATE TRIGGER profile_names_delete AFTER DELETE ON profiles
BEGIN
    INSERT INTO profile_names (profile_names, rowid, name_key)
        VALUES ('delete', OLD.rowid, OLD.name_key);
END;
CREATE TRIGGER profile_names_update AFTER UPDATE OF name_key ON profiles
BEGIN
    INSERT INTO profile_names (profile_names, rowid, name_key)
        VALUES ('delete', OLD.rowid, OLD.name_key);
    INSERT INTO profile_names (rowid, name_key) VALUES (NEW.rowid, NEW.name_key);
END;
