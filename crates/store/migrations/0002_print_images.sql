-- Images made ready for print by a PDF export (scaled to print resolution, re-encoded), kept so
-- that the next export of the same clippings does not decode them again: a press review is
-- exported, corrected and exported again. `recipe` names how an image was prepared (size,
-- quality); an export with another recipe prepares it again. Deleted with the image's blob.
CREATE TABLE print_image (
    id      INTEGER PRIMARY KEY,
    blob_id INTEGER NOT NULL REFERENCES blob (id) ON DELETE CASCADE,
    recipe  TEXT NOT NULL,
    ext     TEXT NOT NULL,
    bytes   BLOB NOT NULL,
    UNIQUE (blob_id, recipe)
);
