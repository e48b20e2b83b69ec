-- Archive search: which model made each embedding, how many episode pictures a person has,
-- and a change counter that tells every process when its in-memory search index is stale.
ALTER TABLE video_people ADD COLUMN model TEXT;
ALTER TABLE video_people ADD COLUMN episode_thumbs BIGINT NOT NULL DEFAULT 0;
ALTER TABLE profiles ADD COLUMN model TEXT;

INSERT INTO row_counts (name, value) VALUES ('people_changes', 0);
CREATE FUNCTION count_people_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'people_changes';
    RETURN NULL;
END;
$$;
-- Once per statement: deleting a video's people is one change, not one per row.
CREATE TRIGGER video_people_changed AFTER INSERT OR DELETE ON video_people
    FOR EACH STATEMENT EXECUTE FUNCTION count_people_changes();
