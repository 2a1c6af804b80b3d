//! What every parser needs: text from bytes, address and date checks, tags, locations.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::{ImportError, Problem};

/// The file as text: a UTF-8 byte order mark dropped, invalid bytes replaced (exports made by
/// old tools are not always clean UTF-8, and one bad byte must not lose the whole file).
pub(crate) fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(strip_bom(bytes))
}

pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

pub(crate) fn not_this(format: crate::Format, reason: impl Into<String>) -> ImportError {
    ImportError::NotThisFormat {
        format: format.described(),
        reason: reason.into(),
    }
}

/// Checks an address: only http and https pages are clippings. Returns it normalised.
pub(crate) fn web_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("it has no address".to_string());
    }
    let shown = shorten(raw, 80);
    let url = url::Url::parse(raw).map_err(|e| format!("{shown:?} is not an address ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{shown:?} is not a web page (only http and https addresses are imported)"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{shown:?} has no host"));
    }
    Ok(url.to_string())
}

/// A location naming an entry by its position and title: `entry 7 ("A title")`.
pub(crate) fn entry_location(position: usize, title: Option<&str>) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => format!("entry {position} ({:?})", shorten(title, 60)),
        None => format!("entry {position}"),
    }
}

pub(crate) fn problem(location: String, message: impl Into<String>) -> Problem {
    Problem {
        location,
        message: message.into(),
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max).collect();
    short.push('…');
    short
}

/// Trimmed, with inner runs of white space collapsed; `None` when empty.
pub(crate) fn clean(text: &str) -> Option<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// Tags as given, trimmed, without empties or repeats.
pub(crate) fn clean_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        match clean(tag) {
            Some(tag) if !out.contains(&tag) => out.push(tag),
            _ => {}
        }
    }
    out
}

/// A Unix time as exports write it: seconds, or milliseconds / microseconds (some bookmark
/// managers), told apart by size. `Err` when it is not a number.
pub(crate) fn unix_time(raw: &str) -> Result<Option<i64>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let n: i64 = raw
        .parse()
        .map_err(|_| format!("the date {:?} is not a Unix time", shorten(raw, 40)))?;
    // 10^11 seconds is the year 5138: anything larger is in finer units.
    Ok(Some(match n {
        n if n > 100_000_000_000_000 => n / 1_000_000,
        n if n > 100_000_000_000 => n / 1_000,
        n => n,
    }))
}

/// A date as JSON exports write it: RFC 3339, `2020-11-12T10:00:00+0100` (Wallabag), a date
/// and time without zone (taken as UTC), a plain date, or a Unix time.
pub(crate) fn date_time(raw: &str) -> Result<Option<i64>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(d.timestamp()));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(raw, format) {
            return Ok(Some(d.timestamp()));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(Some(d.and_utc().timestamp()));
        }
    }
    if let Some(t) = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        return Ok(Some(t.and_utc().timestamp()));
    }
    unix_time(raw).map_err(|_| format!("the date {:?} is not a date", shorten(raw, 40)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_web_addresses_pass() {
        assert_eq!(
            web_url(" https://ex.com/a b ").unwrap(),
            "https://ex.com/a%20b"
        );
        for bad in [
            "javascript:alert(1)",
            "place:sort=8",
            "ftp://ex.com/f",
            "",
            "ex.com/a",
        ] {
            assert!(web_url(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn dates_in_the_shapes_exports_write() {
        assert_eq!(unix_time("1605175200").unwrap(), Some(1_605_175_200));
        assert_eq!(unix_time("1605175200000").unwrap(), Some(1_605_175_200));
        assert_eq!(unix_time("1605175200000000").unwrap(), Some(1_605_175_200));
        assert!(unix_time("yesterday").is_err());
        for text in [
            "2020-11-12T10:00:00+00:00",
            "2020-11-12T11:00:00+0100",
            "2020-11-12T10:00:00",
            "1605175200",
        ] {
            assert_eq!(date_time(text).unwrap(), Some(1_605_175_200), "{text}");
        }
        assert_eq!(date_time("2020-11-12").unwrap(), Some(1_605_139_200));
        assert!(date_time("12/11/2020").is_err());
    }
}
