-- Migration 1: the whole library data model.
-- Never edit this file once it has landed: add a new numbered migration instead.
--
-- Times are Unix seconds (UTC) in INTEGER columns, except the article's own dates
-- (published_at, modified_at), which keep the text the page gave (RFC 3339 with its offset, or a
-- bare date); published_ts is the same instant in Unix seconds, for sorting and filtering.

CREATE TABLE clipping (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL,
    canonical_url    TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL DEFAULT '',
    authors          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(authors)),
    published_at     TEXT,
    published_ts     INTEGER,
    modified_at      TEXT,
    site_name        TEXT,
    -- The URL's host without "www.", lower-cased: the "source" filter when a page names no site.
    host             TEXT NOT NULL DEFAULT '',
    -- Primary language subtag, lower-cased ("fr"), or NULL when unknown.
    language         TEXT,
    lead_image_url   TEXT,
    excerpt          TEXT,
    word_count       INTEGER NOT NULL DEFAULT 0,
    notes            TEXT NOT NULL DEFAULT '',
    -- JSON object: metadata field -> where the extractor found it ("json-ld", "opengraph", "user"…).
    metadata_sources TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata_sources)),
    fetched_at       INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    -- The date the library sorts and filters by: published when known, else when clipped.
    date_ts          INTEGER GENERATED ALWAYS AS (coalesce(published_ts, created_at)) VIRTUAL
);
CREATE INDEX clipping_by_date ON clipping (date_ts, id);
CREATE INDEX clipping_by_created ON clipping (created_at, id);
CREATE INDEX clipping_by_title ON clipping (title COLLATE NOCASE, id);
CREATE INDEX clipping_by_host ON clipping (host);
CREATE INDEX clipping_by_site ON clipping (site_name COLLATE NOCASE);
CREATE INDEX clipping_by_language ON clipping (language);

-- The article body lives apart from the metadata so that listing and sorting 100,000 clippings
-- reads small rows only.
CREATE TABLE clipping_content (
    clipping_id  INTEGER PRIMARY KEY REFERENCES clipping (id) ON DELETE CASCADE,
    content_html TEXT NOT NULL DEFAULT '',
    content_text TEXT NOT NULL DEFAULT ''
);

-- The page as fetched, compressed, so that a better extractor can re-process the library.
CREATE TABLE clipping_source (
    clipping_id   INTEGER PRIMARY KEY REFERENCES clipping (id) ON DELETE CASCADE,
    encoding      TEXT NOT NULL CHECK (encoding IN ('zstd')),
    content_type  TEXT,
    original_size INTEGER NOT NULL,
    bytes         BLOB NOT NULL
);

-- Earlier versions of an article that changed when it was fetched again.
CREATE TABLE clipping_version (
    id           INTEGER PRIMARY KEY,
    clipping_id  INTEGER NOT NULL REFERENCES clipping (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    content_html TEXT NOT NULL,
    content_text TEXT NOT NULL,
    fetched_at   INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX clipping_version_by_clipping ON clipping_version (clipping_id, id);

-- Tags are nested with '/'. `key` is the lower-cased name: it makes names unique regardless of
-- case and lets a range scan find a tag's descendants (key > 'a/' AND key < 'a0').
CREATE TABLE tag (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    key        TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE clipping_tag (
    clipping_id INTEGER NOT NULL REFERENCES clipping (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    PRIMARY KEY (clipping_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX clipping_tag_by_tag ON clipping_tag (tag_id, clipping_id);

-- What a tag filter reads: one row per clipping for each of its tags' keys and their ancestors'
-- ('piracy/iptv' gives 'piracy/iptv' and 'piracy'), with the clipping's date. Filtering by a tag
-- (descendants included) is then one index range, already in date order. The store rewrites a
-- clipping's rows whenever its tags change; the trigger below follows its date.
CREATE TABLE tag_filter (
    key         TEXT NOT NULL,
    date_ts     INTEGER NOT NULL,
    clipping_id INTEGER NOT NULL REFERENCES clipping (id) ON DELETE CASCADE,
    PRIMARY KEY (key, date_ts, clipping_id)
) WITHOUT ROWID;
CREATE INDEX tag_filter_by_clipping ON tag_filter (clipping_id);
CREATE TRIGGER tag_filter_follows_date AFTER UPDATE OF published_ts ON clipping BEGIN
    UPDATE tag_filter SET date_ts = new.date_ts WHERE clipping_id = new.id;
END;

-- A collection is hand-ordered (query IS NULL, members in collection_item) or a saved search
-- (query and filters, evaluated when read).
CREATE TABLE collection (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    query       TEXT,
    filters     TEXT CHECK (filters IS NULL OR json_valid(filters)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE TABLE collection_item (
    collection_id INTEGER NOT NULL REFERENCES collection (id) ON DELETE CASCADE,
    clipping_id   INTEGER NOT NULL REFERENCES clipping (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    added_at      INTEGER NOT NULL,
    PRIMARY KEY (collection_id, clipping_id)
) WITHOUT ROWID;
CREATE INDEX collection_item_by_position ON collection_item (collection_id, position);
CREATE INDEX collection_item_by_clipping ON collection_item (clipping_id);

-- Image bytes, stored once however many clippings use them.
CREATE TABLE blob (
    id    INTEGER PRIMARY KEY,
    hash  TEXT NOT NULL UNIQUE,
    size  INTEGER NOT NULL,
    bytes BLOB NOT NULL
);
-- The images of a clipping's offline copy. A download that failed keeps its URL and the reason.
CREATE TABLE image (
    id           INTEGER PRIMARY KEY,
    clipping_id  INTEGER NOT NULL REFERENCES clipping (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    content_type TEXT,
    blob_hash    TEXT REFERENCES blob (hash),
    width        INTEGER,
    height       INTEGER,
    is_lead      INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    created_at   INTEGER NOT NULL,
    UNIQUE (clipping_id, url)
);
CREATE INDEX image_by_blob ON image (blob_hash);
CREATE TRIGGER image_blob_gc AFTER DELETE ON image WHEN old.blob_hash IS NOT NULL BEGIN
    DELETE FROM blob WHERE hash = old.blob_hash
        AND NOT EXISTS (SELECT 1 FROM image WHERE blob_hash = old.blob_hash);
END;

-- Full-text index. External content (a view over clipping + clipping_content), so the text is
-- stored once. Triggers keep it in sync on every update and delete, reading the old values from
-- the view before the row changes; a clipping without a clipping_content row is not indexed.
-- New clippings are indexed by the store right after their clipping_content row is written,
-- with a single-row INSERT … VALUES of the view's values: a trigger (or INSERT … SELECT) would
-- open a statement journal, and FTS5 flushes its in-memory index at every one of those, which
-- made bulk imports 3.5× slower.
CREATE VIEW clipping_fts_source AS
SELECT c.id AS id,
       c.title AS title,
       (SELECT group_concat(value, ', ') FROM json_each(c.authors)) AS author,
       trim(coalesce(c.site_name, '') || ' ' || c.host) AS site,
       t.content_text AS text,
       c.notes AS notes
FROM clipping c JOIN clipping_content t ON t.clipping_id = c.id;

CREATE VIRTUAL TABLE clipping_fts USING fts5(
    title, author, site, text, notes,
    content = 'clipping_fts_source',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- A match in the title weighs most, then author, notes, source; the body is the baseline.
INSERT INTO clipping_fts (clipping_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0, 3.0)');
-- FTS5 writes a new segment each time 1 MB of index is pending (about 150 articles); 16 MB makes
-- bulk imports write (and later merge) 16 times fewer segments.
INSERT INTO clipping_fts (clipping_fts, rank) VALUES ('hashsize', 16777216);
-- Merge 8 segments of a level at a time rather than 4: each token is rewritten fewer times as
-- the library grows, for a few more segments to read per search.
INSERT INTO clipping_fts (clipping_fts, rank) VALUES ('automerge', 8);

CREATE TRIGGER clipping_content_fts_before_update BEFORE UPDATE OF content_text ON clipping_content BEGIN
    INSERT INTO clipping_fts (clipping_fts, rowid, title, author, site, text, notes)
    SELECT 'delete', id, title, author, site, text, notes FROM clipping_fts_source WHERE id = old.clipping_id;
END;
CREATE TRIGGER clipping_content_fts_after_update AFTER UPDATE OF content_text ON clipping_content BEGIN
    INSERT INTO clipping_fts (rowid, title, author, site, text, notes)
    SELECT id, title, author, site, text, notes FROM clipping_fts_source WHERE id = new.clipping_id;
END;
CREATE TRIGGER clipping_fts_before_update BEFORE UPDATE OF title, authors, site_name, host, notes ON clipping BEGIN
    INSERT INTO clipping_fts (clipping_fts, rowid, title, author, site, text, notes)
    SELECT 'delete', id, title, author, site, text, notes FROM clipping_fts_source WHERE id = old.id;
END;
CREATE TRIGGER clipping_fts_after_update AFTER UPDATE OF title, authors, site_name, host, notes ON clipping BEGIN
    INSERT INTO clipping_fts (rowid, title, author, site, text, notes)
    SELECT id, title, author, site, text, notes FROM clipping_fts_source WHERE id = new.id;
END;
CREATE TRIGGER clipping_fts_before_delete BEFORE DELETE ON clipping BEGIN
    INSERT INTO clipping_fts (clipping_fts, rowid, title, author, site, text, notes)
    SELECT 'delete', id, title, author, site, text, notes FROM clipping_fts_source WHERE id = old.id;
END;
