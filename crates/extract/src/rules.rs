//! Every selector, word list and threshold the extractor uses, in one place, each with the
//! reason it is what it is. Tune here, against the whole corpus, never for one site.

use regex::Regex;
use std::sync::LazyLock;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

// ---------------------------------------------------------------------------------------------
// Input limits
// ---------------------------------------------------------------------------------------------

/// The HTML standard's prescan looks at 1,024 bytes; real pages often put `<meta charset>` after
/// a long comment or a pile of `<link>`s, so look a little further.
pub(crate) const CHARSET_PRESCAN_BYTES: usize = 8 * 1024;
/// chardetng needs a few KiB of non-ASCII text to be sure; 64 KiB bounds its cost on big pages.
pub(crate) const CHARSET_DETECT_BYTES: usize = 64 * 1024;
/// Share of NUL / control bytes in the first KiB above which the input is not text. Real HTML
/// has none; UTF-16 without a BOM is the only text that has many, and it is vanishingly rare.
pub(crate) const BINARY_CONTROL_SHARE: f32 = 0.10;
/// Output elements nested deeper than this are flattened (their tags dropped, text kept) so the
/// Markdown converter and sanitiser, which recurse, stay far from the stack's end.
pub(crate) const MAX_OUTPUT_DEPTH: usize = 48;
/// Deepest tag nesting passed to the parser (see `guard.rs`): real pages stay under ~100;
/// html5ever's cost grows with depth × tags, so 100,000 nested `<div>`s would take minutes.
pub(crate) const MAX_NESTING: usize = 512;
/// JSON-LD blocks are walked with an explicit stack; deeper values are ignored.
pub(crate) const MAX_JSON_DEPTH: usize = 32;

// ---------------------------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------------------------

/// Never content: code, styling, embedded players and widgets, form controls.
/// (A `match` rather than a list searched in turn: every node of the page is looked up.)
pub(crate) fn is_skip_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "button"
            | "select"
            | "input"
            | "textarea"
            | "option"
            | "label"
            | "dialog"
            | "head"
            | "title"
            | "link"
            | "meta"
            | "audio"
            | "video"
            | "map"
            | "area"
            | "frame"
            | "frameset"
            | "applet"
            | "noembed"
    )
}

/// Page furniture by its HTML5 role. Removed unless they hold most of the page's prose (some
/// themes wrap the whole article in a `<header>` or `<aside>`).
pub(crate) fn is_furniture_tag(tag: &str) -> bool {
    matches!(tag, "nav" | "aside" | "footer" | "header" | "menu")
}

/// ARIA roles that are furniture for the same reason (`role` lowercased).
pub(crate) fn is_furniture_role(role: &str) -> bool {
    matches!(
        role,
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "search"
            | "menu"
            | "menubar"
            | "dialog"
            | "alertdialog"
            | "toolbar"
            | "tablist"
    )
}

/// Block-level elements: text is attributed to its nearest block ancestor ("paragraph").
pub(crate) fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "blockquote"
            | "body"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "aside"
            | "summary"
            | "center"
            | "html"
            | "caption"
    )
}

pub(crate) fn is_heading_tag(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

// ---------------------------------------------------------------------------------------------
// Class and id vocabulary (matched on `id` + `class`, lower-cased, `_` read as `-`)
// ---------------------------------------------------------------------------------------------

/// Page furniture whatever else the element says: comment threads, consent banners, share
/// bars, "related"/"recommended" lists, newsletter boxes, ad slots, author boxes, previous/next
/// navigation. Stems, so `comments-area`, `commentlist`, `sharedaddy` match. Removed unless the
/// element holds `PROTECT_SHARE` of the page's prose.
pub(crate) static STRONG_NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"comment($|[\s-]|s|list|-?form|-?area|-?respond|-?section|-?thread|-?wrap)|disqus|",
        r"respond($|[\s-])|cookie|consent|gdpr|sharing|sharedaddy|share-|-share|^share|",
        r"social|related|recommend|newsletter|subscri|signup|sign-up|outbrain|taboola|",
        r"breadcrumb|pagination|pager($|[\s-])|advert|",
        r"author-?box|author-?bio|about-?the-?author|about-?author|author-?info|",
        r"author-?card|authorbox|post-?nav|nav-?links|next-?post|prev-?post|previous-?post|",
        r"post-?tags|tag-?list|tags-?list|tagcloud|tag-?cloud|entry-?tags|article-?tags|",
        r"addtoany|a2a|jp-relatedposts|yarpp|skip-?link|screen-?reader|sr-only|visually-?hidden|",
        r"tooltip|popover|hover-?card|rollover|excerpt|",
        r"ad-?slot|ad-?unit|ad-?container|ad-?wrapper|adsbygoogle|banner-?ad|inline-?ad|",
        // States a stylesheet hides until a script shows them: a form's "Thank you!" and
        // "Something went wrong" messages, Webflow's conditionally invisible and empty-list
        // elements.
        r"form-?done|form-?fail|form-?success|form-?error|condition-?invisible|dyn-?empty"
    ))
});

/// Furniture that page builders also use as generic wrapper names (`elementor-widget`,
/// `widget-span`, `sticky-wrapper`): removed only while it holds less than
/// `PROTECT_PROSE_CHARS` of prose.
pub(crate) static MEDIUM_NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"sidebar|sticky|overlay|lightbox|byline|dateline|post-?meta|entry-?meta|",
        r"article-?meta|meta-?data|publish-?date|post-?date|entry-?date|timestamp|rating|",
        r"reactions|emoji|login|register|donate|donation|membership|upsell|toolbar|print-?only|",
        r"no-?print|promo|sponsor|trending|most-?popular|more-?stories|read-?more|readmore|",
        r"read-?next|popup|modal|paywall|post-?author|follow-?us|correction-?box|dfp|",
        r"disclosure|disclaimer|affiliate|(^|[\s-])cta($|[\s-])|opt-?in($|[\s-])|",
        r"restricted-?content|mega-?menu|mega-?dropdown|featured?-?posts"
    ))
});

/// Furniture words that are also used on content wrappers (`site-header` vs `entry-header`),
/// so they only count when no positive word is present.
pub(crate) static WEAK_NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(^|[\s-])(ad|ads|nav|navbar|navigation|menu|footer|header|masthead|banner|meta|tags?|",
        r"hidden|hide|extra|aside|shoutbox|combx|community|remark|replies|rss|skyscraper|",
        r"supplemental|legends|caption-?credit|credits?|share|shares|links|bio|author|byline|",
        r"date|time|categories|category|cats|topics|keywords|copyright|disclaimer|subscribe|",
        r"utility|utilities|tools|actions|icons?|badge|cta|promo|teaser|card|list-?item|widget|",
        r"widgets)($|[\s-])"
    ))
});

/// The `WEAK_NEGATIVE` words that CSS utility classes and lists put on content wrappers too
/// (Tailwind's `overflow-hidden`, list items): an element named only by these (or by a page
/// builder's widget, `BUILDER_WIDGET`) is furniture only while it holds no real paragraph.
pub(crate) static WRAPPER_WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"list-?item|hidden|hide|utility|utilities"));
/// A page builder's content widget (`elementor-widget-container`, `…-widget-wrap`,
/// `…-text-editor`), unlike a blog sidebar's `widget` boxes.
pub(crate) static BUILDER_WIDGET: LazyLock<Regex> =
    LazyLock::new(|| re(r"widget-?container|widget-?wrap|text-?editor"));

/// Image captions and credits outside `<figcaption>`: kept in the HTML, left out of the text
/// like `<figcaption>` (see `Config::captions_in_text`).
pub(crate) static CAPTION: LazyLock<Regex> =
    LazyLock::new(|| re(r"caption|credit|image-?source|photo-?source"));

/// Posts embedded in the article (tweets, Instagram posts): quoted content, not share bars,
/// though their classes say "social".
pub(crate) static EMBED: LazyLock<Regex> =
    LazyLock::new(|| re(r"embed|twitter-tweet|instagram-media|tiktok-embed|fb-post|bluesky-embed"));

/// Words that mark the article's own containers.
pub(crate) static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        // "text" but not the utility classes that style text (`text-center`, `text-lg`).
        r"article|body|content|entry|hentry|h-entry|main|page|post|blog|story|prose|",
        r"text($|\s)|-text|text-?(block|content|body|wrap|container|editor|widget|module|inner)|",
        r"instapaper-?body|articlebody|article-?body|story-?body|post-?body|entry-?content|",
        r"rich-?text|markdown|column"
    ))
});

/// Containers whose class says "this is the article body" so strongly that a candidate inside
/// it is trusted (WordPress `entry-content`, schema.org `articleBody`, common CMS names).
pub(crate) static BODY_HINT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(^|[\s-])(entry-?content|post-?content|article-?content|article-?body|articlebody|",
        r"story-?body|story-?content|post-?body|post-?entry|entry-?body|article-?text|",
        r"body-?text|main-?content|single-?content|content-?body|article__body|",
        r"article-?main|post-?text|text-?content|rich-?text|td-post-content|field-?body|",
        r"blog-?post-?body|content-?article|news-?content|news-?text)($|[\s-])"
    ))
});

// ---------------------------------------------------------------------------------------------
// Block scoring thresholds
// ---------------------------------------------------------------------------------------------

/// A block with at least this many letters reads as prose (a sentence or more).
pub(crate) const MIN_PARAGRAPH_CHARS: usize = 25;
/// Share of a block's text inside links above which it is navigation, not prose: menus and
/// "related" lists run at 0.8–1.0, real paragraphs with a few links at 0.0–0.3.
pub(crate) const MAX_LINK_DENSITY: f32 = 0.5;
/// Weight of link-heavy blocks when a candidate's score is computed: each letter of a link list
/// costs half a letter of prose, so a container that grows to take in a menu or sidebar loses,
/// while an article whose sections end in short lists of references still wins (1.0 lost
/// such articles; measured on both corpora, 0.5 was best, 0.25 let sidebars in).
pub(crate) const BOILERPLATE_PENALTY: f32 = 0.5;
/// Weight of short, link-free blocks (labels, bylines, buttons) in a candidate's score: a
/// little negative, so a container does not grow to take in a header or a footer of them.
pub(crate) const SHORT_BLOCK_PENALTY: f32 = 0.3;
/// Share of the page's prose an element must hold to be protected from removal by its class
/// or tag (themes that wrap the article in `<div class="has-sidebar">` or in `<header>`).
pub(crate) const PROTECT_SHARE: f32 = 0.5;
/// Prose (letters) that protects an element matched by `MEDIUM_NEGATIVE` or `WEAK_NEGATIVE`:
/// one real paragraph. Furniture rarely holds that much prose; content wrappers always do.
pub(crate) const PROTECT_PROSE_CHARS: f32 = 300.0;
/// An element named only by a weak furniture word is content when it holds a paragraph of
/// this many letters of prose and prose is most of its text (a page builder's text widget).
pub(crate) const WEAK_PROTECT_PROSE_CHARS: f32 = 120.0;
pub(crate) const WEAK_PROTECT_PROSE_SHARE: f32 = 0.8;
/// The article header (headline, byline, date) is searched up to the first paragraph of at
/// least this many letters: shorter ones are standfirsts, captions or bylines.
pub(crate) const HEADER_END_PARAGRAPH_CHARS: usize = 120;
/// The header ends at this paragraph of prose (a standfirst of one or two paragraphs may come
/// before the byline).
pub(crate) const HEADER_END_PARAGRAPHS: usize = 3;
/// How far before the headline a date may be printed (section label + date above the title).
pub(crate) const HEADER_LOOKBACK_NODES: usize = 80;
/// Words that label a date as a modification rather than the publication.
pub(crate) static UPDATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)updat|modif|revised|reviewed|aktualisiert|geändert|mis à jour|mise à jour|actualiz|aggiornat|bijgewerkt|atualizad",
    )
});
/// Words that label a date as the publication.
pub(crate) static PUBLISH_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)publi|posted|veröffentlicht|erschienen|pubblicat|gepubliceerd|first")
});
/// A heading that stands in for the headline because the metadata title echoes it is at least
/// this long (normalised): short headings ("Overview", "Notes") echo titles by chance.
pub(crate) const ECHOED_HEADING_MIN_CHARS: usize = 12;
/// A label before the headline in its `<h1>` ("Blog:", "Case study:") is a word or two.
pub(crate) const HEADLINE_LABEL_MAX_WORDS: usize = 2;
/// An `<h1>` of this many words or more that ends like a sentence is a standfirst, not a
/// headline (headlines rarely end with a full stop; "Things to know before you go." is
/// shorter than most standfirsts).
pub(crate) const STANDFIRST_MIN_WORDS: usize = 10;
/// How far up an element looks for the `<pre>`/`<code>` that makes its classes syntax
/// highlighting: highlighters nest tokens a few levels deep at most.
pub(crate) const CODE_ANCESTOR_DEPTH: usize = 8;
/// Double-encoded UTF-8 is repaired when the page shows at least this many such sequences:
/// a real one is rarely alone, and one "Â£" may be genuine Latin-1 text.
pub(crate) const MOJIBAKE_MIN_SEQUENCES: usize = 3;
/// A date the header shows is in a short text (a byline, "Updated …"); a longer one is a
/// sentence of the article that mentions a date.
pub(crate) const DATE_TEXT_MAX_CHARS: usize = 120;
/// A label in front of a date ("Last updated on", "Published:", "Posted by Jane Doe on") is
/// short; a longer text before it is a headline or a sentence, not the date's label.
pub(crate) const DATE_LABEL_MAX_CHARS: usize = 40;
/// A label ("Published", "Last updated:") is followed by its date within this many nodes (its
/// closing tag, a screen-reader repeat of the label, a wrapper, the `<time>`).
pub(crate) const DATE_LABEL_LOOKAHEAD_NODES: usize = 8;
/// One field of a byline ("Published Apr 26, 2023", "Reading time 15 minutes") is at most this
/// long; a teaser, comment or live-blog entry beside its like siblings holds more (a title, a
/// line of text).
pub(crate) const BYLINE_FIELD_MAX_CHARS: usize = 45;
/// A credit label ("Author", "Written by") names the author in a text at most this many nodes
/// further on (the label's closing tag, a wrapper, then the name).
pub(crate) const CREDIT_NAME_LOOKAHEAD: usize = 8;
/// Bound on the header search, in nodes, so a page without paragraphs stays cheap.
pub(crate) const HEADER_SCAN_NODES: usize = 400;
/// A teaser list has at least three cards; two of a kind happen by chance in articles.
pub(crate) const CARD_LIST_MIN: usize = 3;
/// A teaser (headline + one-paragraph excerpt) is short; article sections are longer.
pub(crate) const CARD_MAX_CHARS: f32 = 700.0;
/// Its headline is a link of headline length, at least this share of the card's text.
pub(crate) const CARD_MIN_LINK_SHARE: f32 = 0.2;
/// Its headline is a link of headline length.
pub(crate) const CARD_MIN_LINK_CHARS: f32 = 15.0;
/// Inside the article, a short block is dropped as a link list above this link density.
pub(crate) const DROP_LINK_DENSITY: f32 = 0.8;
/// Text blocks of the chosen container that are shorter than this and link-heavy are dropped.
pub(crate) const SHORT_LINKY_CHARS: usize = 200;
/// Siblings of the chosen container whose prose score is at least this share of the chosen
/// one join it (articles split by an ad or a pull quote into sibling divs).
pub(crate) const SIBLING_SHARE: f32 = 0.25;

// ---------------------------------------------------------------------------------------------
// Text patterns
// ---------------------------------------------------------------------------------------------

/// Short blocks that are interface text, in the languages the issue names. A block is dropped
/// when it *starts* with one of these and is short (see `SHORT_BOILERPLATE_CHARS`).
pub(crate) static BOILERPLATE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\s*(read more|read also|see also|related\b[^:.]{0,30}:|source\s*:|sources\s*:|",
        r"buyer'?s guide\s*:|(additional )?reporting by|editing by|writing by|compiled by|",
        r"also read|recommended|more from|share (this|on)|share:|follow us|sign up|subscribe|",
        r"advertisement|sponsored|click here|previous (article|post)|next (article|post)|",
        r"article (précédent|suivant)|lire (aussi|la suite|également)|à lire aussi|",
        r"publicité|partager|abonnez|inscrivez|lesen sie auch|mehr zum thema|anzeige|",
        r"weiterlesen|teilen|leer (más|también)|lee también|publicidad|compartir|",
        r"leggi anche|pubblicità|condividi|leia (também|mais)|publicidade|compartilhe|",
        r"lees ook|advertentie|delen|all rights reserved|copyright|©|tags?\s*:|filed under|",
        r"posted in|categories\s*:|catégories?\s*:|mots-clés|schlagwörter|etiquetas|",
        r"this (article|story) (was|is) (originally )?(published|updated)|updated:|",
        r"photo:|image:|credit:|getty images|reuters$|afp$|loading|please enable javascript|",
        r"you (may|might) also like|we recommend|trending|popular|top stories|most read|",
        r"print|email|facebook|twitter|linkedin|whatsapp|pinterest|table of contents|contents\s*$|",
        r"recent posts|recommended posts|related posts|popular posts|view all posts|more posts|",
        r"join the conversation|leave a (comment|reply)|get started|start (your )?free trial|",
        r"request a (quote|demo)|book (a|your) |contact us|get in touch|save\s*$|",
        r"medically reviewed|fact[- ]checked|reviewed by|in partnership with|privacy policy|",
        r"accessibility|terms of (use|service)|sommaire|inhaltsverzeichnis|índice|indice)"
    ))
});
/// Blocks that are nothing but an interface word (ad labels in several languages, widget
/// buttons, lone separators).
pub(crate) static INTERFACE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\W*(advert|advertisement|advertising|ad|ads|iklan|anzeige|werbung|publicité|",
        r"publicidad|pubblicità|reclame|publicidade|caption|close|x|comments?|share|print|email|",
        r"menu|search|loading|more|next|previous|prev|back to top|top|skip|expand|collapse|",
        r"toggle|play|pause|mute|unmute|video|photo|image|gallery|listen|audio|download|",
        // Reading time, a pager's position, a pin button's prompt.
        r"\d+ min(ute)?s? read|page \d+ (of|/) \d+|pin (this|it) for later!?)\W*$"
    ))
});

/// Affiliate and editorial-policy disclosures: furniture however they are worded, up to
/// `DISCLOSURE_CHARS` long.
pub(crate) static DISCLOSURE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\W*(disclosure|advertiser disclosure|affiliate disclosure|editorial disclosure|",
        r"as an amazon associate|this (post|article|page|site) (may )?contains? affiliate|",
        r"(we|our (editors|reviewers|team)) independently|products are (chosen|selected) independently|",
        r"when you (buy|purchase|shop|click)|if you (buy|purchase|click)|",
        r".{0,80}\b(may|might|could) (earn|receive|get) (a |an )?(small |affiliate )?(commission|compensation)|",
        // "I use affiliate links where I can", "Note: Some of the links on example.com are
        // affiliate links."
        r"(i|we) (\w+ )?use affiliate links|",
        r".{0,40}\b(links?|post|article|page|site|video)\b[^!?]{0,60}\b(are|is|contains?|includes?) (\w+ ){0,2}affiliate links?\b)"
    ))
});
pub(crate) const DISCLOSURE_CHARS: usize = 400;
/// Words one of which every `DISCLOSURE` match holds (same case folding): blocks without one are
/// not searched with `DISCLOSURE`, whose Unicode word boundaries make the regex engine fall back
/// to its slowest search on non-ASCII text (≈7 µs a block, on every block under
/// `DISCLOSURE_CHARS`). Keep it a superset when `DISCLOSURE` changes.
pub(crate) static DISCLOSURE_HINT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)disclosure|amazon associate|affiliate|independently|",
        r"(when|if) you (buy|purchase|shop|click)|commission|compensation"
    ))
});

/// Date lines and bylines printed as their own block ("Posted: Fri 6:45 PM, Feb 16, 2018",
/// "Last Updated : Nov 20, 2019", "First published on …"): the date is metadata, not text.
pub(crate) static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\W*(posted|published|updated|last updated|last modified|first published|",
        r"publié|mis à jour|veröffentlicht|aktualisiert|publicado|actualizado|pubblicato|",
        r"aggiornato|gepubliceerd|bijgewerkt)\b"
    ))
});
/// A block that is mostly a date has at most this many words besides it.
pub(crate) const DATELINE_MAX_WORDS: usize = 6;

/// Calls to action that give a short block away wherever they appear in it.
/// "newsletters?" ends a word: `(\W|$)` says so without a Unicode word boundary, which would make
/// the regex engine fall back to its slowest search on non-ASCII text (every short block).
pub(crate) static CALL_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)(click here|sign up (for|to)|subscribe (to|now|today)|newsletters?(\W|$)|in your inbox|",
        r"have a (news )?tip|follow (us|her|him|me) on|give us feedback|have your say|",
        r"delivered (to|through) your|join our|download (our|the) app|free trial|",
        r"no credit card|book a (demo|call|consultation)|request a (quote|demo)|",
        r"talk to (our|an|a) (expert|sales|specialist)|get a (free )?quote|contact sales|",
        r"abonnez-vous|inscrivez-vous|jetzt abonnieren|suscríbete|iscriviti)"
    ))
});
/// A block that opens by asking the reader to join ("Become a member", "Join the Facebook
/// group – …"); in the middle of a sentence these words are the article's. Judged like
/// `CALL_TO_ACTION` (anchored, so most blocks fail at their first letters).
pub(crate) static JOIN_CALL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\W*(become a (paid )?(member|subscriber|patron|contributor|supporter)|",
        r"join (the|our) ([a-z]+ )?(facebook|discord|slack|telegram|whatsapp|reddit) (group|community|server|channel))"
    ))
});
/// Blocks up to this long are judged by `CALL_TO_ACTION`.
pub(crate) const CALL_TO_ACTION_CHARS: usize = 200;

/// A form's fine print: consent to terms or to being contacted, and the sign-up box's
/// reassurances ("By submitting this form, you agree to …", "We will never sell your
/// information. Unsubscribe at any time."). Never the article's text, wherever it sits.
/// ASCII word boundaries: Unicode ones make the regex engine fall back to its slowest search
/// on non-ASCII text, and this runs on every short block.
pub(crate) static FORM_FINE_PRINT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)(unsubscribe (at any time|anytime)|opt[- ]out at any time|",
        r"(we|we'll|we will) never (sell|share|spam)|(won't|will not|never) (sell|share) your ",
        r"(email|information|data|details)|(?-u:\b)no spam(?-u:\b)|",
        r"(?-u:\b)by (submitting|signing up|subscribing|clicking|posting|entering|registering|providing|pressing)(?-u:\b)",
        r"[^.]{0,80}(?-u:\b)(agree|consent|acknowledge|confirm)|(?-u:\b)(agree|consent) to receiv|",
        r"(?-u:\b)agree that .{0,60}(?-u:\b)may (contact|call|email|text)|(?-u:\b)agree to (our|the) (terms|privacy))"
    ))
});
/// Words every `FORM_FINE_PRINT` match holds: a cheap literal search that spares most blocks
/// the full pattern.
pub(crate) static FORM_FINE_PRINT_HINT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)unsubscri|opt.out|sell|share|spam|agree|consent|acknowledg|confirm"));
/// Fine print runs to a long paragraph (SMS consent, data-use notes); an article paragraph
/// that mentions "unsubscribe at any time" in passing is longer still.
pub(crate) const FORM_FINE_PRINT_CHARS: usize = 700;

/// Interface text is short: a sentence-long paragraph that happens to start with "Share" is kept.
pub(crate) const SHORT_BOILERPLATE_CHARS: usize = 120;

/// Byline prefixes: "By", "Par", "Von", "Por", "Di", "Door", "Written by", "Auteur :" …
pub(crate) static AUTHOR_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\s*(written by|authored by|posted by|reviewed by|edited by|fact checked by|medically reviewed by|published by|reported by|words by|text by|story by|",
        r"article by|by|par|von|por|di|door|da|de|auteur|autor|autore|author|text|texte|",
        r"redactie|redacción|redaktion|rédaction|reporter|verfasst von|geschrieben von|",
        r"escrito por|scritto da|écrit par)\b\s*[:\-–—]?\s*"
    ))
});

/// Words after which a byline stops being a name (a date, a role, a place).
pub(crate) static AUTHOR_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)(\s[|•·]\s|\s[-–—]\s|\bupdated\b|\bpublished\b|\bposted\b|\bpublié\b|\bmis à jour\b|",
        r"\baktualisiert\b|\bveröffentlicht\b|\bactualizado\b|\bpublicado\b|\baggiornato\b|",
        r"\bpubblicato\b|\bbijgewerkt\b|\bgepubliceerd\b|\bon\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|",
        r"\ble\s+\d|\bam\s+\d|\bel\s+\d|\bil\s+\d|\bem\s+\d|\bop\s+\d|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|",
        r"\b\d+\s+(min|minutes?|hours?|heures?|stunden?|horas?|ore|uur)\b|\bread\b|\bfollow\b|\btwitter\b|",
        r"\bemail\b|\blast\b|\bon\s+\d|\b(january|february|march|april|june|july|august|september|october|november|december)\b|\b\d{1,2}(st|nd|rd|th)\b|@|",
        r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|",
        r"\bon\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
    ))
});

/// Credits in a byline that name someone other than the author: the text after them is not
/// the author's name ("Jane Doe, DVM. Reviewed by John Roe, DVM").
pub(crate) static NOT_AUTHOR_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(reviewed|fact[- ]?checked|edited|illustrated|photographed|translated)\s+by\b")
});

/// Job titles glued after a name ("Jane Doe, Senior Reporter").
pub(crate) static AUTHOR_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(reporter|editor|correspondent|writer|columnist|contributor|journalist|",
        r"photographer|staff|intern|producer|analyst|founder|ceo|director|manager|attorney|lawyer|",
        r"rédact|journaliste|envoyé|korrespondent|redakteur|redakteurin|autorin|periodista|",
        r"redactor|giornalista|corrispondente|jornalista|redacteur|verslaggever|team|desk)\b"
    ))
});

/// An author's biography opens with their name and a verb of description ("Jane Doe is a …",
/// "Jane has covered …", "Jane Doe, a reporter at …").
pub(crate) static AUTHOR_BIO_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(,\s|\s(is|was|has|had|writes|covers|joined|leads|holds|brings|specializes|works)\s)")
});
/// A biography is a paragraph or two; longer text opening with the author's name is the article.
pub(crate) const AUTHOR_BIO_MAX_CHARS: usize = 1200;
/// A biography closes the article: at most this many letters follow it (links to the author's
/// posts, a second author's biography). An article that only mentions its author comes earlier.
pub(crate) const AUTHOR_BIO_TAIL_CHARS: usize = 1500;
/// The author box is searched this many levels above the biography.
pub(crate) const AUTHOR_BIO_BOX_DEPTH: usize = 4;
/// The box holds the biography and a little more (name, role, "View all posts").
pub(crate) const AUTHOR_BIO_BOX_EXTRA_CHARS: usize = 200;
/// Author names that are an organisation's account, not a person.
pub(crate) static NOT_A_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(official|team|staff|desk|editors?|editorial|admin|newsroom|media|inc|llc|ltd)\b")
});
/// Wrapper names of an author box.
pub(crate) static AUTHOR_BOX: LazyLock<Regex> =
    LazyLock::new(|| re(r"author|bio($|[\s-])|biography|writer|contributor|profile|about"));

/// A credit line as the article's last block ("Written by Jane Doe", "Posted by David at
/// December 16, 2025 11:15 AM"): a signature repeating the byline. Not a bare "By …", which
/// also opens closing sentences ("By submitting your number, you agree …").
pub(crate) static CLOSING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\W*(written|posted|authored|published|submitted|contributed)\s+by\s*:?\s*\w")
});
/// Such a credit line is short: a name, perhaps a date and time.
pub(crate) const CLOSING_CREDIT_MAX_CHARS: usize = 80;
/// Interface lines (`BOILERPLATE_TEXT`: "Copyright …", "Share this") the output drops anyway
/// that may come after the credit line: at most this many.
pub(crate) const CLOSING_CREDIT_SKIP_LINES: usize = 2;

/// Headings that open a list of other articles ("Related articles", "You might also like",
/// "More from …", "Read next"): near the article's end, what follows them is teasers.
pub(crate) static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\W*(related( \w+)?( articles| posts| stories| reading| content| guides| resources|",
        r" reads| topics| links)?|you (may|might)( also)? (like|enjoy)|",
        // "You may be interested in the following topics as well:"
        r"you (may|might)( also)? be interested in\b(\W+\w+){0,6}|",
        // "More from The Verge", not "More from Cornell on climate change and gardening:".
        r"more (from|stories|articles|posts|to read|like this)\b(\W+\w+){0,3}|recommended( for you| reading| articles| posts| stories)?|",
        r"read next|up next|keep reading|further reading|popular (posts|articles|stories)|",
        r"latest (posts|articles|news|stories)|recent (posts|articles)|",
        r"à lire aussi|sur le même sujet|lire aussi|mehr zum thema|das könnte sie auch interessieren|",
        r"artículos relacionados|noticias relacionadas|articoli correlati|leia também|",
        r"gerelateerde artikelen|",
        // A comment form's heading: what follows is the form and the comments.
        r"(leave|add|post|write) a (comment|reply)|join the (discussion|conversation))\W*$"
    ))
});
/// A related-articles heading is short.
pub(crate) const RELATED_HEADING_CHARS: usize = 60;
/// What follows such a heading to the article's end is teasers when it is at most this many
/// letters…
pub(crate) const RELATED_TAIL_CHARS: usize = 1200;
/// …and at most this share of the article's text (a long article's real last section may be
/// titled "Related research").
pub(crate) const RELATED_TAIL_SHARE: f32 = 0.25;

/// A heading this close to the article's end (letters after it) with a call to action in it or
/// under it closes the article with a pitch, not with text.
pub(crate) const CLOSING_CTA_TAIL_CHARS: usize = 300;
/// Calls to action of a closing pitch box.
pub(crate) static CLOSING_CTA: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(get started|get in touch|contact us|book (a|your)|schedule (a|your)|",
        r"reserve your|request (a|an|information|more)|sign[- ]?up|join (our|the|us)|subscribe|",
        r"download (our|the)|talk to (us|our|an)|ready to|take the next step|",
        r"start (your|building|training|today|now)|try \w+ (today|free|for free|now)|",
        r"free (trial|quote|consultation|valuation|demo)|get (your|a) (free|instant)|",
        r"fill out the form|get my)\b"
    ))
});
/// An FAQ's question ("Where can I sign up?") is the article's, not a pitch.
pub(crate) static QUESTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\W*(where|what|how|when|why|who|which|can|could|do|does|is|are|should|will)\b")
});

/// Customer testimonials: the site vouching for itself. A single quote classed "testimonial"
/// may be an expert the article quotes (a pull-quote block named `…-testimonial__quote`), so
/// only testimonials in a carousel (`CAROUSEL` on it or on its parent) are furniture: a
/// rotating series of customers' praise.
pub(crate) static TESTIMONIAL: LazyLock<Regex> = LazyLock::new(|| re(r"testimonial"));
/// Slider and carousel widgets (Owl, Slick, Swiper, Splide, Glide and home-made ones).
pub(crate) static CAROUSEL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"carousel|slider|(^|[\s-])slides?($|[\s-])|swiper|slick|splide|glide|owl-")
});

/// A button is a short link: a label, not a headline.
pub(crate) const BUTTON_MAX_CHARS: usize = 40;
/// Its button class may be on the link or on a wrapper this many levels up.
pub(crate) const BUTTON_WRAPPER_DEPTH: usize = 2;
/// Class words of buttons (`btn`, `wp-block-button`, `fusion-button`, `cta-button`).
pub(crate) static BUTTON_CLASS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(^|[\s-])(btn|button|buttons)($|[\s-])"));
/// A link whose whole text is a call to action is a button whatever its class.
pub(crate) static BUTTON_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\W*(learn more|find out more|discover more|get started|start now|talk to us|contact us|",
        r"get in touch|try (it )?(for )?free|sign up|register|subscribe|book (a|your|now)|",
        r"request (a|an|information|more)|get (a|your|the|my) \w+|apply|enrol|enroll|",
        r"download|shop now|buy now|order now|\w+ now|schedule|estimate|",
        r"en savoir plus|jetzt \w+|mehr erfahren|más información|saiba mais|scopri di più)\W*$"
    ))
});
/// A pitch box holds a line or two besides its button.
pub(crate) const PITCH_BOX_CHARS: f32 = 300.0;
/// A box holding only a button takes the line just before it as its pitch when that line
/// is set off (a heading, or bold throughout), has no link and is at most this many letters
/// (one or two sentences). Plain lines before buttons are often the article's own (a list of
/// distances, an instruction): measured, they broke as many pages as they fixed.
pub(crate) const PITCH_LEAD_CHARS: f32 = 160.0;
/// A button that names a shop or a price ("Buy on Amazon", "$150 at Zappos") belongs to a
/// product the review describes: its box is the review's text, not the site's pitch.
pub(crate) static SHOP_BUTTON: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(at|on|from|bei|chez|en|su)\s+\w|[$€£¥]\s?\d|\d\s?[$€£¥]"));
/// The filler text of page templates and design mock-ups: a block opening with it is a
/// template's unfilled slot, never an article's text.
pub(crate) const PLACEHOLDER: &str = "lorem ipsum";
