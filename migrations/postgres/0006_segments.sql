-- How many time segments a video's last run was cut into (1: one pass).
ALTER TABLE videos ADD COLUMN segments BIGINT;
