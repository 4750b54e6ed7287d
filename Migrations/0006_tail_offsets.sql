-- Driftwatch schema, version 6: how far `driftwatch serve` has read each followed log file. A file is known
-- by its identity (device and inode, so a renamed file keeps its place), per model and kind of line; the
-- fingerprint (a 64-bit FNV-1a hash of the file's first fingerprint_length bytes) tells a reused inode or a
-- rewritten file from the one that was read. A row is advanced in the same transaction that stores the
-- lines' events, with the row locked, so a line is ingested once however many agents follow the file.
CREATE TABLE tail_offsets (
    model_id           bigint      NOT NULL REFERENCES models (model_id) ON DELETE CASCADE,
    kind               text        NOT NULL CHECK (kind IN ('predictions', 'labels')),
    device             bigint      NOT NULL,
    inode              bigint      NOT NULL,
    -- Where the file was last seen (for operators; the identity is what counts).
    path               text        NOT NULL,
    -- Bytes of complete lines consumed, and how many lines they held.
    byte_offset        bigint      NOT NULL CHECK (byte_offset >= 0),
    line_number        bigint      NOT NULL CHECK (line_number >= 0),
    fingerprint        bigint      NOT NULL,
    fingerprint_length integer     NOT NULL CHECK (fingerprint_length >= 0),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, kind, device, inode)
);
