-- Archive search: which model made each embedding, how many episode pictures a person has,
-- and a change counter that tells every process when its in-memory search index is stale.
ALTER TABLE video_people ADD COLUMN model TEXT;
ALTER TABLE video_people ADD COLUMN episode_thumbs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE profiles ADD COLUMN model TEXT;

INSERT INTO row_counts (name, value) VALUES ('people_changes', 0);
CREATE TRIGGER video_people_changed_insert AFTER INSERT ON video_people
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'people_changes';
END;
CREATE TRIGGER video_people_changed_delete AFTER DELETE ON video_people
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'people_changes';
END;
