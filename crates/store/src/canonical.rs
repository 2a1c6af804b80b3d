//! URL canonicalisation: the key that makes the same article clipped twice one clipping.

use url::Url;

use crate::error::{Result, StoreError};

/// Query parameters that only say how a reader arrived (campaigns, click ids, share buttons).
/// Removing them never changes which article a URL shows. Names ending in `*` are prefixes.
const TRACKING_PARAMS: &[&str] = &[
    "utm_*",
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "igsh",
    "mc_cid",
    "mc_eid",
    "mkt_tok",
    "_hsenc",
    "_hsmi",
    "__hstc",
    "__hssc",
    "__hsfp",
    "hsctatracking",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "vero_conv",
    "_ga",
    "_gl",
    "xtor",
    "xts",
    "at_medium",
    "at_campaign",
    "at_custom*",
    "ncid",
    "ocid",
    "cmpid",
    "s_cid",
    "sr_share",
    "spm",
    "ref_src",
    "ref_url",
    "__twitter_impression",
    "wt_mc",
    "wt.mc_id",
    "rb_clickid",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "soc_src",
    "soc_trk",
    "ito",
    "cid_source",
    "taid",
    "smid",
    "sh",
];

fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING_PARAMS.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == *p,
    })
}

/// Parses a user-supplied address, accepting only http and https. An address pasted without
/// its scheme (`www.example.com/article`) is read as https.
pub fn parse_web_url(input: &str) -> Result<Url> {
    let trimmed = input.trim();
    let parsed = match Url::parse(trimmed) {
        Err(url::ParseError::RelativeUrlWithoutBase)
            if looks_like_host(trimmed.split('/').next().unwrap_or("")) =>
        {
            Url::parse(&format!("https://{trimmed}"))
        }
        other => other,
    };
    let url = parsed.map_err(|e| StoreError::InvalidUrl {
        url: trimmed.to_string(),
        reason: match e {
            url::ParseError::RelativeUrlWithoutBase => {
                "it should start with https:// (or be a site's address such as www.example.com/…)"
                    .to_string()
            }
            other => other.to_string(),
        },
    })?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(StoreError::InvalidUrl {
                url: trimmed.to_string(),
                reason: format!("only http and https addresses can be clipped, not {other}:"),
            });
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(StoreError::InvalidUrl {
            url: trimmed.to_string(),
            reason: "it has no host".to_string(),
        });
    }
    Ok(url)
}

/// `www.example.com` or `example.co.uk`: letters, digits, hyphens and dots, with a dot.
fn looks_like_host(text: &str) -> bool {
    text.contains('.')
        && !text.starts_with('.')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == ':')
}

/// The canonical form of a URL: scheme and host lower-cased and the default port dropped (the
/// `url` crate does both), the fragment and tracking parameters removed, an empty query dropped.
pub fn canonicalize(url: &Url) -> Url {
    let mut out = url.clone();
    out.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        out.set_query(None);
    } else if kept.len() != url.query_pairs().count() {
        out.query_pairs_mut().clear().extend_pairs(kept);
    }
    out
}

/// The key under which a clipping is stored: the page's declared canonical URL when it is
/// trustworthy, else the canonical form of the URL it was fetched from.
///
/// A declared canonical is ignored when it is not http(s), or when it points at a site's home
/// page while the article is not one (a common template mistake that would otherwise merge every
/// article of a site into one clipping).
pub fn canonical_key(url: &Url, declared: Option<&str>) -> String {
    if let Some(declared) = declared.map(str::trim).filter(|d| !d.is_empty()) {
        if let Ok(candidate) = url.join(declared) {
            let web = matches!(candidate.scheme(), "http" | "https");
            let to_home = candidate.path() == "/" && url.path() != "/";
            if web && !to_home && candidate.host_str().is_some() {
                return canonicalize(&candidate).into();
            }
        }
    }
    canonicalize(url).into()
}

/// The host a "source" filter matches: lower-case, without a leading `www.`.
pub fn display_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonicalize(&parse_web_url(s).unwrap()).to_string()
    }

    #[test]
    fn lowercases_scheme_and_host_and_drops_default_port() {
        assert_eq!(
            canon("HTTPS://WWW.Example.COM:443/A/Path"),
            "https://www.example.com/A/Path"
        );
        assert_eq!(canon("http://example.com:80/"), "http://example.com/");
        assert_eq!(
            canon("http://example.com:8080/x"),
            "http://example.com:8080/x"
        );
    }

    #[test]
    fn removes_fragment_and_tracking_parameters_but_keeps_the_others_in_order() {
        assert_eq!(
            canon("https://ex.com/a?utm_source=tw&id=3&fbclid=x&UTM_Medium=y&page=2#comments"),
            "https://ex.com/a?id=3&page=2"
        );
        assert_eq!(
            canon("https://ex.com/a?gclid=1&mc_cid=2&xtor=RSS-3"),
            "https://ex.com/a"
        );
        assert_eq!(canon("https://ex.com/a?"), "https://ex.com/a");
    }

    #[test]
    fn prefers_a_declared_canonical_unless_it_is_the_home_page() {
        let url = parse_web_url("https://m.ex.com/news/1?utm_source=x").unwrap();
        assert_eq!(
            canonical_key(&url, Some("https://ex.com/news/1")),
            "https://ex.com/news/1"
        );
        assert_eq!(
            canonical_key(&url, Some("/news/1#top")),
            "https://m.ex.com/news/1"
        );
        assert_eq!(
            canonical_key(&url, Some("https://ex.com/")),
            "https://m.ex.com/news/1"
        );
        assert_eq!(
            canonical_key(&url, Some("javascript:void(0)")),
            "https://m.ex.com/news/1"
        );
        assert_eq!(canonical_key(&url, Some("  ")), "https://m.ex.com/news/1");
    }

    #[test]
    fn an_address_pasted_without_its_scheme_is_read_as_https() {
        assert_eq!(
            canon("www.lemonde.fr/a?utm_source=x"),
            "https://www.lemonde.fr/a"
        );
        assert!(
            parse_web_url("not-a-url")
                .unwrap_err()
                .to_string()
                .contains("should start with https://")
        );
    }

    #[test]
    fn refuses_what_is_not_a_web_address() {
        assert!(parse_web_url("ftp://ex.com/file").is_err());
        assert!(parse_web_url("not a url").is_err());
        assert!(parse_web_url("file:///etc/passwd").is_err());
    }

    #[test]
    fn display_host_strips_www() {
        let url = parse_web_url("https://WWW.Numerama.com/tech/1").unwrap();
        assert_eq!(display_host(&url), "numerama.com");
    }
}
