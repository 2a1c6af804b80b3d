//! Dates as pages write them: machine forms (ISO 8601, RFC 3339, RFC 2822) and human forms in
//! English, French, German, Spanish, Italian, Portuguese and Dutch, including relative ones
//! ("il y a 3 heures"), which need the fetch time. Output: RFC 3339 with the page's own offset
//! when the page gives a time and an offset, else `YYYY-MM-DD`.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Month names and abbreviations in the seven languages, lower-case, with their number.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("janv", 1),
    ("févr", 2),
    ("avr", 4),
    ("juil", 7),
    ("déc", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("mär", 3),
    ("okt", 10),
    ("dez", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("dic", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("gen", 1),
    ("mag", 5),
    ("giu", 6),
    ("lug", 7),
    ("set", 9),
    ("ott", 10),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    ("fev", 2),
    ("out", 10),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    ("mrt", 3),
];

fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    MONTHS.iter().find(|(m, _)| *m == n).map(|(_, v)| *v)
}

fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(m, _)| *m).collect();
    // Longest first so "juni" is not read as "jun" + "i".
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.join("|")
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*",
        r"(Z|z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?"
    ))
    .expect("static regex")
});
static YMD_SLASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b").expect("static regex"));
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:er|st|nd|rd|th|º|°)?\.?\s*(?:de\s+|-)?({})\.?,?\s*(?:de\s+|-)?(\d{{4}})\b",
        month_alternation()
    ))
    .expect("static regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
        month_alternation()
    ))
    .expect("static regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})([./-])(\d{1,2})[./-](\d{4})\b").expect("static regex")
});
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:(\d+)\s+(minutes?|mins?|hours?|hrs?|days?)\s+ago|",
        r"il y a\s+(\d+)\s+(minutes?|min|heures?|h|jours?)\b|",
        r"vor\s+(\d+)\s+(minuten?|min|stunden?|std|tagen?)\b|",
        r"hace\s+(\d+)\s+(minutos?|min|horas?|h|días?|dias?)\b|",
        r"(\d+)\s+(minut[oi]|or[ae]|giorn[oi])\s+fa\b|",
        r"há\s+(\d+)\s+(minutos?|horas?|dias?)\b|",
        r"(\d+)\s+(minuten|minuut|uur|dagen|dag)\s+geleden\b)"
    ))
    .expect("static regex")
});
static YESTERDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(yesterday|hier|gestern|ayer|ieri|ontem|gisteren)\b")
        .expect("static regex")
});
static TODAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(today|aujourd'hui|aujourd’hui|heute|hoy|oggi|hoje|vandaag)\b")
        .expect("static regex")
});
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\b)|/((?:19|20)\d{2})(\d{2})(\d{2})/",
    )
    .expect("static regex")
});

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1990..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Parses a machine-readable date (a `datetime` attribute, a JSON-LD or `<meta>` value).
pub(crate) fn parse_machine(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    if let Some(c) = ISO.captures(s) {
        let y = c[1].parse().ok()?;
        let m = c[2].parse().ok()?;
        let d = c[3].parse().ok()?;
        let date = ymd(y, m, d)?;
        if let (Some(h), Some(mi), Some(off)) = (c.get(4), c.get(5), c.get(7)) {
            let off = match off.as_str() {
                "Z" | "z" | "UTC" | "GMT" => "+00:00".to_string(),
                o if o.len() == 3 => format!("{o}:00"),
                o if o.len() == 5 => format!("{}:{}", &o[..3], &o[3..]),
                o => o.to_string(),
            };
            let sec = c.get(6).map_or("00", |m| m.as_str());
            let hh: u32 = h.as_str().parse().ok()?;
            let candidate = format!("{}T{hh:02}:{}:{sec}{off}", fmt_date(date), mi.as_str());
            if DateTime::parse_from_rfc3339(&candidate).is_ok() {
                return Some(candidate);
            }
        }
        return Some(fmt_date(date));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.to_rfc3339());
    }
    if let Some(c) = YMD_SLASH.captures(s) {
        return ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?).map(fmt_date);
    }
    parse_text(s, None, None)
}

/// Finds a date written for people in `s`. `lang` breaks the tie of `03/04/2020`;
/// `fetch` resolves relative dates.
pub(crate) fn parse_text(
    s: &str,
    fetch: Option<DateTime<FixedOffset>>,
    lang: Option<&str>,
) -> Option<String> {
    // Every absolute form has a four-digit year: most text has none, and the month-name
    // patterns are costly to run, so look for one first.
    let has_year = s
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit));
    if !has_year && fetch.is_none() {
        return None;
    }
    // The earliest match in the text wins: bylines put the publication date first and
    // "updated" second.
    let mut best: Option<(usize, NaiveDate)> = None;
    let mut consider = |pos: usize, d: Option<NaiveDate>| {
        if let Some(d) = d {
            if best.is_none_or(|(p, _)| pos < p) {
                best = Some((pos, d));
            }
        }
    };
    if let Some(c) = DAY_MONTH_YEAR.captures(s) {
        let d = (|| ymd(c[3].parse().ok()?, month_number(&c[2])?, c[1].parse().ok()?))();
        consider(c.get(0).map_or(0, |m| m.start()), d);
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(s) {
        let d = (|| ymd(c[3].parse().ok()?, month_number(&c[1])?, c[2].parse().ok()?))();
        consider(c.get(0).map_or(0, |m| m.start()), d);
    }
    if let Some(c) = YMD_SLASH.captures(s) {
        let d = (|| ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))();
        consider(c.get(0).map_or(0, |m| m.start()), d);
    }
    if let Some(c) = ISO.captures(s) {
        let d = (|| ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))();
        consider(c.get(0).map_or(0, |m| m.start()), d);
    }
    if let Some(c) = NUMERIC.captures(s) {
        let d = (|| {
            let a: u32 = c[1].parse().ok()?;
            let b: u32 = c[3].parse().ok()?;
            let y: i32 = c[4].parse().ok()?;
            // Dots are day-first everywhere; slashes are month-first only in US English.
            let month_first = &c[2] == "/" && a <= 12 && (b > 12 || lang == Some("en"));
            if month_first {
                ymd(y, a, b)
            } else {
                ymd(y, b, a)
            }
        })();
        consider(c.get(0).map_or(0, |m| m.start()), d);
    }
    if let Some((_, d)) = best {
        return Some(fmt_date(d));
    }
    let fetch = fetch?;
    if let Some(c) = RELATIVE.captures(s) {
        let mut groups = c.iter().skip(1).flatten();
        let n: i64 = groups.next()?.as_str().parse().ok()?;
        let unit = groups.next()?.as_str().to_lowercase();
        let delta = if unit.starts_with('d')
            || unit.starts_with('j')
            || unit.starts_with('t')
            || unit.starts_with("giorn")
        {
            Duration::days(n)
        } else if unit.starts_with('m') {
            Duration::minutes(n)
        } else {
            Duration::hours(n)
        };
        let when = fetch.checked_sub_signed(delta)?;
        return Some(fmt_date(when.date_naive()));
    }
    if YESTERDAY.is_match(s) {
        let d = fetch.date_naive().pred_opt()?;
        return Some(fmt_date(d));
    }
    if TODAY.is_match(s) {
        let d = fetch.date_naive();
        return ymd(d.year(), d.month(), d.day()).map(fmt_date);
    }
    None
}

/// The other reading of a day-month order `parse_text` had to guess: when the date it finds in
/// `s` is a numeric one whose two first numbers could each be the month ("03/10/2023", read
/// per `lang`), the date the opposite order gives.
pub(crate) fn other_reading(s: &str, lang: Option<&str>) -> Option<String> {
    let c = NUMERIC.captures(s)?;
    let start = c.get(0)?.start();
    // Only when the numeric date is the one `parse_text` took (the earliest in the text).
    if [&*DAY_MONTH_YEAR, &*MONTH_DAY_YEAR, &*YMD_SLASH]
        .iter()
        .any(|r| r.find(s).is_some_and(|m| m.start() < start))
    {
        return None;
    }
    let a: u32 = c[1].parse().ok()?;
    let b: u32 = c[3].parse().ok()?;
    let y: i32 = c[4].parse().ok()?;
    if a == b || a > 12 || b > 12 {
        return None;
    }
    let taken = parse_text(s, None, lang)?;
    [ymd(y, a, b), ymd(y, b, a)]
        .into_iter()
        .flatten()
        .map(fmt_date)
        .find(|d| *d != taken)
}

static URL_DATE_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)/((?:19|20)\d{{2}})/({})/(\d{{1,2}})(?:/|-|\b)",
        month_alternation()
    ))
    .expect("static regex")
});

/// `/2020/11/12/`, `/2020-11-12-slug`, `/20201112/`, `/2020/november/12/` in a URL path.
pub(crate) fn from_url(path: &str) -> Option<String> {
    if let Some(c) = URL_DATE_NAMED.captures(path) {
        return ymd(c[1].parse().ok()?, month_number(&c[2])?, c[3].parse().ok()?).map(fmt_date);
    }
    let c = URL_DATE.captures(path)?;
    let (y, m, d) = if c.get(1).is_some() {
        (&c[1], &c[2], &c[3])
    } else {
        (&c[4], &c[5], &c[6])
    };
    ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).map(fmt_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_forms() {
        assert_eq!(
            parse_machine("2020-11-12T10:05:00+01:00").as_deref(),
            Some("2020-11-12T10:05:00+01:00")
        );
        assert_eq!(
            parse_machine("2020-11-12T10:05:00Z").as_deref(),
            Some("2020-11-12T10:05:00+00:00")
        );
        assert_eq!(
            parse_machine("2020-11-12T10:05:00.000+0100").as_deref(),
            Some("2020-11-12T10:05:00+01:00")
        );
        assert_eq!(
            parse_machine("2020-11-12T10:05:00").as_deref(),
            Some("2020-11-12")
        );
        assert_eq!(parse_machine("2020-11-12").as_deref(), Some("2020-11-12"));
        assert_eq!(
            parse_machine("Thu, 12 Nov 2020 10:05:00 GMT").as_deref(),
            Some("2020-11-12T10:05:00+00:00")
        );
        assert_eq!(parse_machine("not a date"), None);
        assert_eq!(parse_machine("2020-13-45"), None);
    }

    #[test]
    fn human_forms_in_seven_languages() {
        for (s, want) in [
            ("Publié le 12 novembre 2020 à 10h", "2020-11-12"),
            ("1er mars 2021", "2021-03-01"),
            ("12. November 2020", "2020-11-12"),
            ("12 de noviembre de 2020", "2020-11-12"),
            ("12 de novembro de 2020", "2020-11-12"),
            ("12 novembre 2020", "2020-11-12"),
            ("12 november 2020", "2020-11-12"),
            ("November 12, 2020", "2020-11-12"),
            ("Nov. 12th, 2020 at 5pm", "2020-11-12"),
            ("Updated 12.11.2020", "2020-11-12"),
            ("3 März 2021", "2021-03-03"),
        ] {
            assert_eq!(parse_text(s, None, None).as_deref(), Some(want), "{s}");
        }
        assert_eq!(
            parse_text("11/12/2020", None, Some("en")).as_deref(),
            Some("2020-11-12")
        );
        assert_eq!(
            parse_text("12/11/2020", None, Some("fr")).as_deref(),
            Some("2020-11-12")
        );
    }

    #[test]
    fn relative_dates_need_the_fetch_time() {
        let fetch = DateTime::parse_from_rfc3339("2020-11-12T02:00:00+01:00").ok();
        assert_eq!(parse_text("il y a 3 heures", None, None), None);
        assert_eq!(
            parse_text("il y a 3 heures", fetch, None).as_deref(),
            Some("2020-11-11")
        );
        assert_eq!(
            parse_text("vor 2 Tagen", fetch, None).as_deref(),
            Some("2020-11-10")
        );
        assert_eq!(
            parse_text("hace 1 hora", fetch, None).as_deref(),
            Some("2020-11-12")
        );
        assert_eq!(
            parse_text("5 hours ago", fetch, None).as_deref(),
            Some("2020-11-11")
        );
    }

    #[test]
    fn the_other_reading_of_an_ambiguous_numeric_date() {
        assert_eq!(
            parse_text("03/10/2023", None, Some("en")).as_deref(),
            Some("2023-03-10")
        );
        assert_eq!(
            other_reading("03/10/2023", Some("en")).as_deref(),
            Some("2023-10-03")
        );
        assert_eq!(other_reading("25/10/2023", Some("en")), None);
        assert_eq!(
            other_reading("October 3, 2023 · 03/10/2023", Some("en")),
            None
        );
    }

    #[test]
    fn url_dates_with_month_names() {
        assert_eq!(
            from_url("/blog/2023/october/03/how-many-wine-types").as_deref(),
            Some("2023-10-03")
        );
    }

    #[test]
    fn url_dates() {
        assert_eq!(from_url("/2020/11/12/iptv").as_deref(), Some("2020-11-12"));
        assert_eq!(
            from_url("/news/2020-11-12-iptv").as_deref(),
            Some("2020-11-12")
        );
        assert_eq!(
            from_url("/news/20201112/iptv").as_deref(),
            Some("2020-11-12")
        );
        assert_eq!(from_url("/news/iptv-5500"), None);
    }
}
