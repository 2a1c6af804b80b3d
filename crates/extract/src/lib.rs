//! Article extraction (see issue 3). Placeholder until the extractor lands.
