//! Translation of what a user types in the search box into an FTS5 expression.
//!
//! A user's query is never handed to FTS5 as it is. It is read as:
//! - words, which must all appear (`iptv europe`);
//! - `"quoted phrases"`, whose words must appear in that order;
//! - `prefix*`, any word that starts so;
//! - `-word` or `-"a phrase"`, which must not appear;
//! - `OR` (in capitals) between two groups of terms, either of which may match.
//!
//! Everything else is plain text: punctuation separates words, and FTS5's own operators and
//! syntax (`NEAR(`, `AND`, `:`, `^`, `(`…) become words inside double quotes, so no input can
//! make a search fail with a syntax error.

use crate::fold::fold;
use crate::snippet::HighlightTerm;

/// One search term: the words of a word or a phrase, with a trailing prefix marker.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    prefix: bool,
}

impl Term {
    fn to_fts(&self) -> String {
        let phrase = self.words.join(" ");
        // Words only hold alphanumeric characters, so there is no quote to escape; keep the
        // escape anyway so the invariant does not rest on the splitter alone.
        let quoted = format!("\"{}\"", phrase.replace('"', "\"\""));
        if self.prefix {
            format!("{quoted} *")
        } else {
            quoted
        }
    }
}

/// A translated search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FtsQuery {
    /// What must match, or `None` when the query only excludes (or is empty).
    pub include: Option<String>,
    /// What must not match.
    pub exclude: Option<String>,
    /// The words to mark in snippets (those of `include`, folded).
    pub highlight: Vec<HighlightTerm>,
}

impl FtsQuery {
    /// True when the query constrains nothing: every clipping matches.
    pub fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    /// Both queries must hold (a saved search narrowed by what the user types).
    pub fn and(self, other: FtsQuery) -> FtsQuery {
        fn join(a: Option<String>, b: Option<String>, op: &str) -> Option<String> {
            match (a, b) {
                (Some(a), Some(b)) => Some(format!("({a}) {op} ({b})")),
                (a, b) => a.or(b),
            }
        }
        let mut highlight = self.highlight;
        highlight.extend(other.highlight);
        FtsQuery {
            include: join(self.include, other.include, "AND"),
            exclude: join(self.exclude, other.exclude, "OR"),
            highlight,
        }
    }

    /// The whole condition as one FTS5 expression, when there is something to include.
    pub fn match_expression(&self) -> Option<String> {
        let include = self.include.as_ref()?;
        Some(match &self.exclude {
            Some(exclude) => format!("({include}) NOT ({exclude})"),
            None => include.clone(),
        })
    }

    /// The clippings whose title alone matches what is included (and nothing excluded).
    pub fn in_titles(&self) -> Option<String> {
        let include = self.include.as_ref()?;
        let titles = format!("{{title}} : ({include})");
        Some(match &self.exclude {
            Some(exclude) => format!("({titles}) NOT ({exclude})"),
            None => titles,
        })
    }

    /// The matches whose title alone does not match: [`Self::in_titles`]' complement.
    pub fn outside_titles(&self) -> Option<String> {
        let whole = self.match_expression()?;
        let include = self.include.as_ref()?;
        Some(format!("({whole}) NOT ({{title}} : ({include}))"))
    }
}

/// Splits text into the words FTS5's `unicode61` tokenizer would see.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

enum Token {
    Term { term: Term, negated: bool },
    Or,
}

fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        let raw: String = if chars.peek() == Some(&'"') {
            chars.next();
            let mut phrase = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                phrase.push(c);
            }
            // A `*` right after the closing quote makes the phrase's last word a prefix.
            if chars.peek() == Some(&'*') {
                chars.next();
                phrase.push('*');
            }
            phrase
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            word
        };
        if !negated && raw == "OR" {
            tokens.push(Token::Or);
            continue;
        }
        let prefix = raw.trim_end().ends_with('*');
        let words = words(&raw);
        if !words.is_empty() {
            tokens.push(Token::Term {
                term: Term { words, prefix },
                negated,
            });
        }
    }
    tokens
}

/// Translates a user's query. Never fails: input with no words gives an empty query.
pub fn translate(input: &str) -> FtsQuery {
    let mut groups: Vec<Vec<Term>> = vec![Vec::new()];
    let mut highlight = Vec::new();
    let mut excluded: Vec<Term> = Vec::new();
    for token in tokenize(input) {
        match token {
            Token::Or => groups.push(Vec::new()),
            Token::Term {
                term,
                negated: true,
            } => excluded.push(term),
            Token::Term {
                term,
                negated: false,
            } => {
                let last = term.words.len() - 1;
                highlight.extend(term.words.iter().enumerate().map(|(i, w)| HighlightTerm {
                    word: fold(w),
                    prefix: term.prefix && i == last,
                }));
                if let Some(group) = groups.last_mut() {
                    group.push(term);
                }
            }
        }
    }
    let groups: Vec<String> = groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| g.iter().map(Term::to_fts).collect::<Vec<_>>().join(" AND "))
        .collect();
    let include = match groups.len() {
        0 => None,
        1 => groups.into_iter().next(),
        _ => Some(
            groups
                .iter()
                .map(|g| format!("({g})"))
                .collect::<Vec<_>>()
                .join(" OR "),
        ),
    };
    let exclude = (!excluded.is_empty()).then(|| {
        excluded
            .iter()
            .map(Term::to_fts)
            .collect::<Vec<_>>()
            .join(" OR ")
    });
    FtsQuery {
        include,
        exclude,
        highlight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(q: &str) -> Option<String> {
        translate(q).match_expression()
    }

    #[test]
    fn words_must_all_appear() {
        assert_eq!(
            expr("iptv europe").as_deref(),
            Some("\"iptv\" AND \"europe\"")
        );
    }

    #[test]
    fn phrases_prefixes_exclusions_and_or() {
        assert_eq!(
            expr("\"vaste réseau\"").as_deref(),
            Some("\"vaste réseau\"")
        );
        assert_eq!(expr("démant*").as_deref(), Some("\"démant\" *"));
        assert_eq!(
            expr("\"serveurs mis\"*").as_deref(),
            Some("\"serveurs mis\" *")
        );
        assert_eq!(
            expr("iptv -football").as_deref(),
            Some("(\"iptv\") NOT (\"football\")")
        );
        assert_eq!(
            expr("iptv piracy OR streaming").as_deref(),
            Some("(\"iptv\" AND \"piracy\") OR (\"streaming\")")
        );
    }

    #[test]
    fn fts_syntax_in_user_input_becomes_plain_words() {
        assert_eq!(expr("NEAR(a b)").as_deref(), Some("\"NEAR a\" AND \"b\""));
        assert_eq!(expr("title:iptv").as_deref(), Some("\"title iptv\""));
        assert_eq!(
            expr("a AND b NOT c").as_deref(),
            Some("\"a\" AND \"AND\" AND \"b\" AND \"NOT\" AND \"c\"")
        );
        assert_eq!(expr("l'article").as_deref(), Some("\"l article\""));
    }

    #[test]
    fn input_without_words_is_an_empty_query() {
        for q in [
            "", "   ", "\"", "*", "-", "OR", "()", "\"\"", "^", "-*", "😀", "OR OR",
        ] {
            assert!(
                translate(q).is_empty(),
                "{q:?} has no words and should constrain nothing"
            );
        }
    }

    #[test]
    fn exclusion_only_query_has_no_include_part() {
        let q = translate("-sport");
        assert_eq!(q.include, None);
        assert_eq!(q.exclude.as_deref(), Some("\"sport\""));
    }

    #[test]
    fn and_combines_saved_and_typed_queries() {
        let q = translate("iptv -sport").and(translate("europe -music"));
        assert_eq!(
            q.match_expression().as_deref(),
            Some("((\"iptv\") AND (\"europe\")) NOT ((\"sport\") OR (\"music\"))")
        );
    }
}
