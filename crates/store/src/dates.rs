//! Dates: the article dates a library stores, and the `--since`/`--until` bounds a user types.

use chrono::{DateTime, Days, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::error::{Result, StoreError};

/// An article date as stored: the normalised text (RFC 3339 with the page's offset, or a bare
/// `YYYY-MM-DD`) and its instant in Unix seconds for sorting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDate {
    pub text: String,
    pub timestamp: i64,
}

/// Reads a date as pages and extractors write them. Returns `None` for text that is no date.
pub fn parse_article_date(input: &str) -> Option<ArticleDate> {
    let s = input.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(ArticleDate {
            text: dt.to_rfc3339(),
            timestamp: dt.timestamp(),
        });
    }
    // RFC 3339 without seconds or with a space, and times with no offset (taken as UTC).
    for fmt in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(ArticleDate {
                text: dt.to_rfc3339(),
                timestamp: dt.timestamp(),
            });
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
            let dt = Utc.from_utc_datetime(&naive);
            return Some(ArticleDate {
                text: dt.to_rfc3339(),
                timestamp: dt.timestamp(),
            });
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(ArticleDate {
            text: dt.to_rfc3339(),
            timestamp: dt.timestamp(),
        });
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let timestamp = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
    Some(ArticleDate {
        text: date.format("%Y-%m-%d").to_string(),
        timestamp,
    })
}

/// Which end of a range a user's date bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// `--since`: the first instant of the day (month, year) given.
    Start,
    /// `--until`: the first instant *after* the day (month, year) given, so the day is included.
    End,
}

/// Turns a user's `--since`/`--until` into Unix seconds. Days are the user's local days.
/// Accepts `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, RFC 3339, `today`, `yesterday` and `Nd`/`Nw`.
pub fn parse_bound(input: &str, bound: Bound, now: DateTime<Local>) -> Result<i64> {
    let s = input.trim();
    let invalid = || StoreError::InvalidDate(s.to_string());
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.timestamp());
    }
    let today = now.date_naive();
    let (first, last) = if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        (d, d)
    } else if let Some(day) = relative_day(s, today) {
        (day, day)
    } else if let Ok(d) = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
        let next = d
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(invalid)?;
        (d, next.pred_opt().ok_or_else(invalid)?)
    } else if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = s.parse().map_err(|_| invalid())?;
        (
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(invalid)?,
            NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(invalid)?,
        )
    } else {
        return Err(invalid());
    };
    let day = match bound {
        Bound::Start => first,
        Bound::End => last.checked_add_days(Days::new(1)).ok_or_else(invalid)?,
    };
    let midnight = day.and_hms_opt(0, 0, 0).ok_or_else(invalid)?;
    let local = Local
        .from_local_datetime(&midnight)
        .earliest()
        .ok_or_else(invalid)?;
    Ok(local.timestamp())
}

fn relative_day(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "today" => return Some(today),
        "yesterday" => return today.pred_opt(),
        _ => {}
    }
    let (number, unit) = lower.split_at(lower.len().checked_sub(1)?);
    let n: u64 = number.parse().ok()?;
    let days = match unit {
        "d" => n,
        "w" => n.checked_mul(7)?,
        _ => return None,
    };
    today.checked_sub_days(Days::new(days))
}

/// Unix seconds as RFC 3339 in UTC, as every output of the library writes times.
pub fn format_timestamp(ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .map(|dt| dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

pub(crate) fn now() -> i64 {
    Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_dates_keep_their_offset() {
        let d = parse_article_date("2020-11-12T10:31:00+01:00").unwrap();
        assert_eq!(d.text, "2020-11-12T10:31:00+01:00");
        assert_eq!(d.timestamp, 1_605_173_460);
        let d = parse_article_date("2020-11-12").unwrap();
        assert_eq!(d.text, "2020-11-12");
        assert!(parse_article_date("Thu, 12 Nov 2020 10:31:00 +0100").is_some());
        assert!(parse_article_date("2020-11-12 10:31:00").is_some());
        assert!(parse_article_date("last tuesday").is_none());
    }

    #[test]
    fn bounds_cover_whole_days_months_and_years() {
        let now = Local.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let start = parse_bound("2020-11-12", Bound::Start, now).unwrap();
        let end = parse_bound("2020-11-12", Bound::End, now).unwrap();
        assert_eq!(end - start, 86_400);
        let m0 = parse_bound("2020-02", Bound::Start, now).unwrap();
        let m1 = parse_bound("2020-02", Bound::End, now).unwrap();
        assert_eq!(m1 - m0, 29 * 86_400, "February 2020 has 29 days");
        let y0 = parse_bound("2021", Bound::Start, now).unwrap();
        let y1 = parse_bound("2021", Bound::End, now).unwrap();
        assert_eq!(y1 - y0, 365 * 86_400);
        let week = parse_bound("1w", Bound::Start, now).unwrap();
        let today = parse_bound("today", Bound::Start, now).unwrap();
        assert_eq!(today - week, 7 * 86_400);
    }

    #[test]
    fn bad_bounds_are_refused() {
        let now = Local::now();
        for bad in [
            "",
            "12/11/2020",
            "2020-13-01",
            "soon",
            "d",
            "99999999999999999999d",
        ] {
            assert!(
                parse_bound(bad, Bound::Start, now).is_err(),
                "{bad:?} should be refused"
            );
        }
    }
}
