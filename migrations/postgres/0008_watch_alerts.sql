-- Watch list, alerts and the webhook outbox.
-- A watched profile raises an alert when a processed video holds one of its people.
ALTER TABLE profiles ADD COLUMN watch BIGINT NOT NULL DEFAULT 0;

-- One alert per watched profile and video: re-processing the video does not raise it again.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    video_id TEXT NOT NULL,
    -- The video's file name when the alert was raised (kept if the video is deleted).
    file_name TEXT NOT NULL,
    person_id TEXT NOT NULL,
    -- The person's episodes, JSON [{start_s, end_s}].
    episodes TEXT NOT NULL,
    -- Cosine similarity to the profile's closest face; null when an operator placed it.
    similarity DOUBLE PRECISION,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    UNIQUE (profile_id, video_id)
);
CREATE INDEX alerts_newest ON alerts (created_at DESC, id DESC);

-- The outbox: one row per alert and webhook URL, written in the transaction that raises
-- the alert, sent (at least once) by any process; the id is the idempotency key.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    alert_id TEXT NOT NULL,
    url TEXT NOT NULL,
    -- The alert as JSON, the body's "alert" field.
    payload TEXT NOT NULL,
    -- pending | delivered | failed
    state TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    -- Unix milliseconds: when the next try may start, and until when a sender holds it.
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    last_status BIGINT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_newest ON webhook_deliveries (created_at DESC, id DESC);
