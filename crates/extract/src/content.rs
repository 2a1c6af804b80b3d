//! Finding the article body. Every text character is attributed to its nearest block ancestor
//! (its "paragraph"); each paragraph scores its length if it reads as prose and minus its length
//! if it is link-heavy furniture; the article is the element whose subtree scores highest.
//! Before scoring, page furniture is removed by tag, ARIA role and class/id vocabulary, except
//! where an element holds most of the page's prose (themes that put the article in odd places).

use crate::dom::{Dom, ElementExt, Kind, collapse_ws};
use crate::metadata::signature;
use crate::rules;

/// Per-node flags and the chosen article container(s).
pub(crate) struct Selection {
    /// Never content (scripts, hidden elements, form controls …).
    pub skip: Vec<bool>,
    /// Page furniture removed by tag, role or class.
    pub removed: Vec<bool>,
    /// Paragraph-level blocks to drop from the output (link lists, interface text …).
    pub dropped: Vec<bool>,
    /// The article's containers, in document order (usually one).
    pub roots: Vec<usize>,
    /// Letters of prose in the whole page and in the selection (for the confidence).
    pub page_prose: usize,
    pub selected_prose: usize,
}

impl Selection {
    /// The page's text nodes from node `from` on, outside what is never content, with their
    /// node index (as written; a caller trims).
    pub fn texts<'s, 'd>(
        &'s self,
        dom: &'s Dom<'d>,
        from: usize,
    ) -> impl Iterator<Item = (usize, &'d str)> + 's {
        let mut i = from;
        std::iter::from_fn(move || {
            while i < dom.len() {
                if self.skip[i] {
                    i = dom.end[i] as usize;
                    continue;
                }
                let at = i;
                i += 1;
                if let Kind::Text(t) = dom.kind[at] {
                    return Some((at, t));
                }
            }
            None
        })
    }
}

pub(crate) fn is_block(tag: &str) -> bool {
    rules::is_block_tag(tag)
}

/// Base skip flags: tags that are never content.
pub(crate) fn base_skip(dom: &Dom<'_>) -> Vec<bool> {
    (0..dom.len())
        .map(|i| {
            let name = dom.tag(i);
            rules::is_skip_tag(name) || name == "noscript"
        })
        .collect()
}

pub(crate) fn hidden(dom: &Dom<'_>, i: usize) -> bool {
    let Some(e) = dom.elem(i) else { return false };
    if matches!(e.name(), "html" | "body") {
        return false;
    }
    let hidden = e.attr_value("hidden").is_some()
        || e.attr_value("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || e.attr_value("style").is_some_and(|style| {
            let st: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            st.contains("display:none") || st.contains("visibility:hidden")
        });
    // A collapsed accordion panel (WAI-ARIA: `role=region` labelled by its heading button)
    // is text the reader opens in place, not hidden furniture.
    hidden
        && !(e
            .attr_value("role")
            .is_some_and(|r| r.eq_ignore_ascii_case("region"))
            && e.attr_value("aria-labelledby").is_some())
}

/// Text statistics per block: letters attributed to it, letters inside links, commas.
pub(crate) struct Stats {
    pub own: Vec<u32>,
    pub own_link: Vec<u32>,
    pub commas: Vec<u16>,
}

/// Letters (non-whitespace characters) and commas of a text, in one pass over its bytes:
/// ASCII, most of any page's text, is told apart without decoding a `char`.
fn count_text(t: &str) -> (usize, usize) {
    let (mut letters, mut commas) = (0usize, 0usize);
    let bytes = t.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // The ASCII characters `char::is_whitespace` accepts.
            if !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
                letters += 1;
                if b == b',' {
                    commas += 1;
                }
            }
            i += 1;
        } else {
            // `i` is always at a character boundary: it moves by whole characters.
            let Some(ch) = t[i..].chars().next() else {
                break;
            };
            if !ch.is_whitespace() {
                letters += 1;
                if matches!(ch, '،' | '，' | '、') {
                    commas += 1;
                }
            }
            i += ch.len_utf8();
        }
    }
    (letters, commas)
}

/// Marks a text node whose letters `stats` has not counted yet.
const NOT_COUNTED: (u32, u16) = (u32::MAX, 0);

/// `counts` keeps each text node's (letters, commas) from one call to the next, so that the
/// second pass over the page (without the furniture) does not read the text again; pass an
/// empty vector the first time.
pub(crate) fn stats(
    dom: &Dom<'_>,
    hide: &dyn Fn(usize) -> bool,
    counts: &mut Vec<(u32, u16)>,
) -> Stats {
    let n = dom.len();
    if counts.len() != n {
        counts.clear();
        counts.resize(n, NOT_COUNTED);
    }
    let mut own = vec![0u32; n];
    let mut own_link = vec![0u32; n];
    let mut commas = vec![0u16; n];
    // Stack of (end, nearest block at or above, inside a link) of open ancestors; each entry
    // carries its ancestors' answers so a text node costs O(1) however deep it is.
    let mut stack: Vec<(usize, Option<usize>, bool)> = Vec::new();
    let mut i = 0;
    while i < n {
        while stack.last().is_some_and(|s| s.0 <= i) {
            stack.pop();
        }
        if hide(i) {
            i = dom.end[i] as usize;
            continue;
        }
        match dom.kind[i] {
            Kind::Elem(e) => {
                let name = e.name();
                let (up_block, up_link) = stack.last().map_or((None, false), |s| (s.1, s.2));
                let block = if is_block(name) { Some(i) } else { up_block };
                stack.push((dom.end[i] as usize, block, up_link || name == "a"));
            }
            Kind::Text(t) => {
                let (letters, c) = if counts[i] == NOT_COUNTED {
                    let (letters, c) = count_text(t);
                    counts[i] = (letters as u32, c as u16);
                    counts[i]
                } else {
                    counts[i]
                };
                if letters > 0 {
                    let (block, link) = stack.last().map_or((None, false), |s| (s.1, s.2));
                    if let Some(b) = block {
                        own[b] += letters;
                        commas[b] = commas[b].saturating_add(c);
                        if link {
                            own_link[b] += letters;
                        }
                    }
                }
            }
            Kind::Other => {}
        }
        i += 1;
    }
    Stats {
        own,
        own_link,
        commas,
    }
}

fn link_density(s: &Stats, b: usize) -> f32 {
    if s.own[b] == 0 {
        0.0
    } else {
        s.own_link[b] as f32 / s.own[b] as f32
    }
}

/// Each block's own letters when they read as prose, else 0.
fn prose_per_block(dom: &Dom<'_>, s: &Stats) -> Vec<f32> {
    (0..dom.len())
        .map(|b| {
            if is_prose(dom, s, b) {
                s.own[b] as f32
            } else {
                0.0
            }
        })
        .collect()
}

fn is_prose(dom: &Dom<'_>, s: &Stats, b: usize) -> bool {
    s.own[b] as usize >= rules::MIN_PARAGRAPH_CHARS
        && link_density(s, b) <= rules::MAX_LINK_DENSITY
        && !rules::is_heading_tag(dom.tag(b))
}

/// Sums a per-node value over each subtree (children before parents: reverse pre-order).
fn subtree_sums(dom: &Dom<'_>, v: &[f32]) -> Vec<f32> {
    let [out] = subtree_sums_of(dom, [v.to_vec()]);
    out
}

/// `subtree_sums` of several values in one walk over the page (each value is added up in the
/// same order as alone, so the sums are the same to the bit).
fn subtree_sums_of<const K: usize>(dom: &Dom<'_>, mut vs: [Vec<f32>; K]) -> [Vec<f32>; K] {
    for i in (1..dom.len()).rev() {
        let p = dom.parent[i];
        if p != crate::dom::NONE {
            for v in &mut vs {
                v[p as usize] += v[i];
            }
        }
    }
    vs
}

/// A per-node count as the `f32` the scores are computed in.
fn as_f32(v: &[u32]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

/// Step 4b of `select`: boxes in the article whose text is all in dropped link lists but which
/// still hold a picture inside a link are teaser cards; they go whole.
fn drop_teaser_thumbnails(
    dom: &Dom<'_>,
    roots: &[usize],
    own: &[u32],
    all: &[f32],
    hide: &dyn Fn(usize) -> bool,
    dropped: &mut [bool],
) {
    // With nothing dropped in the article, every box still shows all its text: no candidate.
    if !roots
        .iter()
        .any(|&r| dropped[r..dom.end[r] as usize].contains(&true))
    {
        return;
    }
    let n = dom.len();
    // Text still shown, per subtree (`all`: all text, per subtree).
    let mut live = vec![0.0f32; n];
    for &r in roots {
        let end = dom.end[r] as usize;
        let mut j = r;
        while j < end {
            if hide(j) || dropped[j] {
                j = dom.end[j] as usize;
                continue;
            }
            live[j] = own[j] as f32;
            j += 1;
        }
    }
    let live = subtree_sums(dom, &live);
    for &r in roots {
        let end = dom.end[r] as usize;
        let mut b = r + 1;
        while b < end {
            if hide(b) || dropped[b] {
                b = dom.end[b] as usize;
                continue;
            }
            let candidate = is_block(dom.tag(b)) && all[b] > 0.0 && live[b] == 0.0;
            let linked_picture = candidate
                && (b + 1..dom.end[b] as usize).any(|j| {
                    dom.tag(j) == "img"
                        && !hide(j)
                        && dom
                            .ancestors(j)
                            .take_while(|&a| a != b)
                            .any(|a| dom.tag(a) == "a")
                });
            if linked_picture {
                for d in &mut dropped[b..dom.end[b] as usize] {
                    *d = true;
                }
                b = dom.end[b] as usize;
                continue;
            }
            b += 1;
        }
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Furniture {
    No,
    /// Protected only when it holds most of the page's prose.
    Strong,
    /// Protected by one real paragraph.
    Medium,
    /// Only words page builders and CSS frameworks also give content wrappers
    /// (`elementor-widget-container`, `overflow-hidden`, `list-item`): protected by a
    /// paragraph's worth of prose that is most of its text.
    Weak,
}

fn furniture(dom: &Dom<'_>, i: usize) -> Furniture {
    let Some(e) = dom.elem(i) else {
        return Furniture::No;
    };
    let name = e.name();
    if matches!(name, "html" | "body" | "main") {
        return Furniture::No;
    }
    if e.attr_value("itemprop")
        .is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
    {
        return Furniture::No;
    }
    if hidden(dom, i) || rules::is_furniture_tag(name) {
        return Furniture::Strong;
    }
    if let Some(role) = e.attr_value("role") {
        // Lowercased only when it has capitals (rare), not copied for every element.
        let furniture_role = if role.bytes().any(|b| b.is_ascii_uppercase()) {
            rules::is_furniture_role(&role.to_ascii_lowercase())
        } else {
            rules::is_furniture_role(role)
        };
        if furniture_role {
            return Furniture::Strong;
        }
    }
    // "Skip to content" / "Jump to the list": in-page links for keyboards and impatient
    // readers, whatever their class.
    if name == "a" && e.attr_value("href").is_some_and(|h| h.starts_with('#')) {
        let t = dom.text_of(i, &|_| false).to_lowercase();
        if t.starts_with("skip to") || t.starts_with("jump to") {
            return Furniture::Strong;
        }
    }
    // Forms hold newsletter sign-ups and comment boxes; ASP.NET pages wrap the whole page in
    // one, which its prose protects.
    if name == "form" {
        return Furniture::Medium;
    }
    let sig = signature(dom, i);
    if sig.is_empty() || rules::BODY_HINT.is_match(sig) || rules::EMBED.is_match(sig) {
        return Furniture::No;
    }
    // Syntax highlighting names its tokens (`hljs-comment`, `token comment`): inside code,
    // classes describe the code, not the page.
    if matches!(
        name,
        "span" | "code" | "i" | "b" | "em" | "strong" | "a" | "div"
    ) && (name == "code"
        || dom
            .ancestors(i)
            .take(rules::CODE_ANCESTOR_DEPTH)
            .any(|a| matches!(dom.tag(a), "pre" | "code")))
    {
        return Furniture::No;
    }
    if rules::STRONG_NEGATIVE.is_match(sig) || testimonial_series(dom, i, sig) {
        return Furniture::Strong;
    }
    if name != "article" && rules::MEDIUM_NEGATIVE.is_match(sig) {
        return Furniture::Medium;
    }
    // A data table's cells carry styling words (`date`, `font-utility`), not furniture.
    if name != "article"
        && !matches!(name, "td" | "th" | "tr")
        && rules::WEAK_NEGATIVE.is_match(sig)
        && !rules::POSITIVE.is_match(sig)
    {
        // Only wrapper words ("elementor-widget-container", `overflow-hidden`): weak.
        let builder = rules::BUILDER_WIDGET.is_match(sig);
        let wrapper = rules::WEAK_NEGATIVE.find_iter(sig).all(|m| {
            rules::WRAPPER_WORDS.is_match(m.as_str()) || (builder && m.as_str().contains("widget"))
        });
        return if wrapper {
            Furniture::Weak
        } else {
            Furniture::Medium
        };
    }
    Furniture::No
}

/// A customer testimonial in a carousel (see `rules::TESTIMONIAL`).
fn testimonial_series(dom: &Dom<'_>, i: usize, sig: &str) -> bool {
    if !rules::TESTIMONIAL.is_match(sig) {
        return false;
    }
    let p = dom.parent[i];
    if p == crate::dom::NONE {
        return false;
    }
    rules::CAROUSEL.is_match(sig) || rules::CAROUSEL.is_match(signature(dom, p as usize))
}

/// Lists of teasers ("more stories", "latest news"): three or more sibling elements of the same
/// tag and class, each a short text carrying a link of headline length. Article paragraphs are
/// siblings of one kind too, so paragraphs (`<p>`) and linkless or long siblings never count.
fn card_lists(
    dom: &Dom<'_>,
    skip: &[bool],
    text_sub: &[f32],
    link_sub: &[f32],
    prose_sub: &[f32],
    page_prose: f32,
) -> Vec<bool> {
    let n = dom.len();
    let mut cards = vec![false; n];
    let may_be_card = |c: usize| {
        let tag = dom.tag(c);
        !(tag.is_empty()
            || matches!(tag, "p" | "br" | "span" | "a" | "tr" | "td" | "option")
            || skip[c])
    };
    // The children that may be cards, as (tag, signature, node).
    let mut kids: Vec<(&str, &str, usize)> = Vec::new();
    for (p, &skipped) in skip.iter().enumerate() {
        if skipped || dom.elem(p).is_none() {
            continue;
        }
        // Most elements have fewer than `CARD_LIST_MIN` such children: no list, and no need
        // for their signatures.
        if dom.children(p).filter(|&c| may_be_card(c)).count() < rules::CARD_LIST_MIN {
            continue;
        }
        kids.clear();
        for c in dom.children(p) {
            if !may_be_card(c) {
                continue;
            }
            let sig = signature(dom, c);
            // (`EMBED` has no match in an empty signature.)
            if !sig.is_empty() && rules::EMBED.is_match(sig) {
                continue;
            }
            kids.push((dom.tag(c), sig, c));
        }
        // Kinds are tag and signature. A stable sort keeps each kind's members in document
        // order.
        kids.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for kind in kids.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            if kind.len() < rules::CARD_LIST_MIN {
                continue;
            }
            let members = || kind.iter().map(|k| k.2);
            let teasers = members()
                .filter(|&c| {
                    text_sub[c] < rules::CARD_MAX_CHARS
                        && link_sub[c] >= rules::CARD_MIN_LINK_CHARS
                        && link_sub[c] >= rules::CARD_MIN_LINK_SHARE * text_sub[c]
                        && link_sub[c] < text_sub[c]
                })
                .count();
            // A list that holds most of the page's prose is the page's subject (a "best
            // alternatives" roundup), not a sidebar.
            let group_prose: f32 = members().map(|c| prose_sub[c]).sum();
            if teasers >= rules::CARD_LIST_MIN
                && teasers * 3 >= kind.len() * 2
                && group_prose < rules::PROTECT_SHARE * page_prose
            {
                for c in members() {
                    cards[c] = true;
                }
            }
        }
    }
    cards
}

pub(crate) fn select(dom: &Dom<'_>, skip: Vec<bool>) -> Selection {
    let n = dom.len();
    // 1. Prose per subtree before any removal, to protect the article's own containers.
    let mut counts = Vec::new();
    let s0 = stats(dom, &|i| skip[i], &mut counts);
    let prose0 = prose_per_block(dom, &s0);
    let [prose_sub0, text_sub0, link_sub0] =
        subtree_sums_of(dom, [prose0, as_f32(&s0.own), as_f32(&s0.own_link)]);
    let page_prose = prose_sub0.first().copied().unwrap_or(0.0);

    let cards = card_lists(dom, &skip, &text_sub0, &link_sub0, &prose_sub0, page_prose);

    // 2. Remove furniture.
    let mut removed = vec![false; n];
    let mut i = 0;
    while i < n {
        if skip[i] {
            i = dom.end[i] as usize;
            continue;
        }
        let kind = if cards[i] {
            Furniture::Strong
        } else {
            furniture(dom, i)
        };
        let protected = match kind {
            Furniture::No => true,
            Furniture::Strong => prose_sub0[i] >= rules::PROTECT_SHARE * page_prose.max(1.0),
            Furniture::Medium => prose_sub0[i] >= rules::PROTECT_PROSE_CHARS,
            Furniture::Weak => {
                prose_sub0[i] >= rules::PROTECT_PROSE_CHARS
                    || (prose_sub0[i] >= rules::WEAK_PROTECT_PROSE_CHARS
                        && prose_sub0[i] >= rules::WEAK_PROTECT_PROSE_SHARE * text_sub0[i])
            }
        };
        if !protected {
            removed[i] = true;
            i = dom.end[i] as usize;
            continue;
        }
        i += 1;
    }

    // 3. Score blocks again without the furniture, and find the best subtree.
    let hide = |i: usize| skip[i] || removed[i];
    let s = stats(dom, &hide, &mut counts);
    let value: Vec<f32> = (0..n)
        .map(|b| {
            let own = s.own[b] as f32;
            if own == 0.0 {
                return 0.0;
            }
            let ld = link_density(&s, b);
            if rules::is_heading_tag(dom.tag(b)) {
                0.0
            } else if ld > rules::MAX_LINK_DENSITY {
                -own * rules::BOILERPLATE_PENALTY
            } else if (s.own[b] as usize) < rules::MIN_PARAGRAPH_CHARS {
                -own * rules::SHORT_BLOCK_PENALTY
            } else {
                own * (1.0 - ld) + 10.0 * s.commas[b] as f32
            }
        })
        .collect();
    // Prose per block, for step 4.
    let prose = prose_per_block(dom, &s);
    let [score, prose_sub, text_sub] = subtree_sums_of(dom, [value, prose, as_f32(&s.own)]);
    let mut best = None;
    let mut best_score = 0.0f32;
    let mut i = 0;
    while i < n {
        if hide(i) {
            i = dom.end[i] as usize;
            continue;
        }
        if let Kind::Elem(e) = dom.kind[i] {
            if !matches!(
                e.name(),
                "html" | "p" | "li" | "td" | "th" | "a" | "span" | "b" | "i" | "em" | "strong"
            ) && score[i] >= best_score
                && score[i] > 0.0
            {
                best = Some(i);
                best_score = score[i];
            }
        }
        i += 1;
    }
    let mut roots = Vec::new();
    if let Some(b) = best {
        // A declared article body that contains the best block and scores nearly as well is
        // the author's own boundary: take it (keeps lists and tables at its edges).
        let hinted = dom.ancestors(b).take(4).find(|&a| {
            let sig = signature(dom, a);
            (rules::BODY_HINT.is_match(sig)
                || dom
                    .attr(a, "itemprop")
                    .is_some_and(|p| p.eq_ignore_ascii_case("articleBody")))
                && score[a] >= 0.9 * best_score
        });
        let b = hinted.unwrap_or(b);
        roots.push(b);
        // Siblings that are prose in their own right (an article split around an ad).
        let p = dom.parent[b];
        if p != crate::dom::NONE {
            let sibs: Vec<usize> = dom.children(p as usize).collect();
            roots.clear();
            for c in sibs {
                let prose_sibling = !hide(c)
                    && matches!(dom.kind[c], Kind::Elem(_))
                    && score[c] >= rules::SIBLING_SHARE * best_score;
                if c == b || prose_sibling {
                    roots.push(c);
                }
            }
        }
    }

    // 4. Inside the article, drop link lists and interface text.
    let mut dropped = vec![false; n];
    for &r in &roots {
        let end = dom.end[r] as usize;
        for b in r + 1..end {
            // Only blocks with no prose below them: a link-heavy wrapper may hold paragraphs.
            if hide(b) || s.own[b] == 0 || prose_sub[b] > 0.0 {
                continue;
            }
            let own = s.own[b] as usize;
            let ld = link_density(&s, b);
            if ld > rules::DROP_LINK_DENSITY && own < rules::SHORT_LINKY_CHARS {
                dropped[b] = true;
            }
        }
    }
    // 4b. A box whose every line of text went above as a link list and that still shows
    // linked pictures is a list of teaser cards (thumbnail + title): the thumbnails go with
    // their titles, and a heading over the box is then left with nothing under it.
    drop_teaser_thumbnails(dom, &roots, &s.own, &text_sub, &hide, &mut dropped);
    // 5. An article starts and ends with prose: short or link-heavy blocks before its first
    // paragraph and after its last one are furniture no class gave away (buttons, labels,
    // "share" rows). Headings just above the first paragraph are kept.
    if roots.len() == 1 {
        let r = roots[0];
        let end = dom.end[r] as usize;
        let leaf = |b: usize, dropped: &[bool]| !hide(b) && s.own[b] > 0 && !dropped[b];
        let first = (r..end).find(|&b| leaf(b, &dropped) && is_prose(dom, &s, b));
        let last = (r..end)
            .rev()
            .find(|&b| leaf(b, &dropped) && is_prose(dom, &s, b));
        if let (Some(first), Some(last)) = (first, last) {
            for b in r + 1..end {
                let before = dom.end[b] as usize <= first;
                let after = b > last && !dom.ancestors(b).any(|a| a == last);
                if leaf(b, &dropped)
                    && (before || after)
                    && !is_prose(dom, &s, b)
                    && prose_sub[b] == 0.0
                {
                    let heading = rules::is_heading_tag(dom.tag(b));
                    if !(heading && before) {
                        dropped[b] = true;
                    }
                }
            }
        }
    }
    // 6. A "Related articles" / "More like this" heading near the article's end opens the
    // teasers that follow it: the heading and the rest of the article go.
    for &r in &roots {
        if let Some(h) = related_heading(dom, r, &s, &|b| hide(b) || dropped[b]) {
            for d in &mut dropped[h..dom.end[r] as usize] {
                *d = true;
            }
        }
    }
    // 7. A pitch box: a line or two with a button under it ("Earn your degree … [Learn
    // more]", "Plan your project with precision [Estimate now!]") is an advertisement in the
    // article, whatever its class. Link-only blocks dropped above still show the buttons.
    for &r in &roots {
        for b in pitch_boxes(dom, r, &text_sub, &hide) {
            for d in &mut dropped[b..dom.end[b] as usize] {
                *d = true;
            }
        }
    }
    // 8. Placeholder text a template left in ("Lorem ipsum dolor sit amet …") is never content.
    for &r in &roots {
        let mut b = r + 1;
        while b < dom.end[r] as usize {
            if hide(b) || dropped[b] {
                b = dom.end[b] as usize;
                continue;
            }
            if s.own[b] > 0 {
                let first = (b + 1..dom.end[b] as usize).find_map(|j| match dom.kind[j] {
                    Kind::Text(t) if !t.trim().is_empty() => Some(t.trim_start()),
                    _ => None,
                });
                if first.is_some_and(|t| {
                    t.get(..rules::PLACEHOLDER.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(rules::PLACEHOLDER))
                }) {
                    dropped[b] = true;
                    b = dom.end[b] as usize;
                    continue;
                }
            }
            b += 1;
        }
    }
    // 9. A credit line closing the article ("Written by Jane Doe", "Posted by David at
    // December 16, 2025 11:15 AM") is the byline repeated as a signature, not text. It is the
    // largest short element around the article's last text (a paragraph, or a `<span>` left
    // at the end of the article's `<div>`); a copyright line or similar interface text the
    // output drops anyway may follow it.
    for &r in &roots {
        let gone = |j: usize| hide(j) || dropped[j];
        let short =
            |j: usize| dom.text_of(j, &gone).chars().count() <= rules::CLOSING_CREDIT_MAX_CHARS;
        let mut upto = dom.end[r] as usize;
        for _ in 0..rules::CLOSING_CREDIT_SKIP_LINES + 1 {
            let last = (r + 1..upto).rev().find(|&j| {
                matches!(dom.kind[j], Kind::Text(t) if !t.trim().is_empty())
                    && !gone(j)
                    && !dom.ancestors(j).take_while(|&a| a != r).any(gone)
            });
            let Some(t) = last else { break };
            let mut c = t;
            for a in dom.ancestors(t).take_while(|&a| a != r) {
                if !short(a) {
                    break;
                }
                c = a;
            }
            let text = match dom.kind[c] {
                Kind::Text(t) => collapse_ws(t),
                _ => dom.text_of(c, &gone),
            };
            if rules::CLOSING_CREDIT.is_match(&text) {
                dropped[c] = true;
                break;
            }
            if text.chars().count() > rules::SHORT_BOILERPLATE_CHARS
                || !rules::BOILERPLATE_TEXT.is_match(&text)
            {
                break;
            }
            upto = c;
        }
    }
    let selected_prose = roots
        .iter()
        .map(|&r| {
            (r..dom.end[r] as usize)
                .filter(|&b| !hide(b) && is_prose(dom, &s, b))
                .map(|b| s.own[b] as usize)
                .sum::<usize>()
        })
        .sum();
    Selection {
        skip,
        removed,
        dropped,
        roots,
        page_prose: page_prose as usize,
        selected_prose,
    }
}

/// An author's biography printed after the article ("Jane Doe is a freelance writer…", "Jane
/// has covered…"): the page's furniture about the writer, not the article, however its box is
/// classed. Found by the article's own authors' names opening a block in the article's last
/// stretch; the box around it (a wrapper named for the author or bio) goes with it, with its
/// "View all posts by" link.
pub(crate) fn drop_author_bio(
    dom: &Dom<'_>,
    sel: &mut Selection,
    authors: &[String],
    site_norms: &[String],
) {
    // Only people's names: an "author" that is the publisher ("Acme", "Acme Official", "the
    // Acme team") is what the article is often about ("Acme is a …").
    let names: Vec<(&str, &str)> = authors
        .iter()
        .map(|a| a.trim())
        .filter(|a| a.split_whitespace().count() >= 2 && !rules::NOT_A_PERSON.is_match(a))
        .filter_map(|a| Some((a, a.split_whitespace().next()?)))
        .filter(|(_, first)| {
            let f = crate::output::norm(first);
            !site_norms.iter().any(|s| !s.is_empty() && s.contains(&f))
        })
        .collect();
    if names.is_empty() || sel.roots.is_empty() {
        return;
    }
    let hide = |j: usize| sel.skip[j] || sel.removed[j] || sel.dropped[j];
    let mut drops = Vec::new();
    for &r in &sel.roots {
        let end = dom.end[r] as usize;
        // Letters of text from each node to the end of the article (suffix sums).
        let mut after = vec![0u32; end - r + 1];
        let mut j = r + 1;
        while j < end {
            if hide(j) {
                j = dom.end[j] as usize;
                continue;
            }
            if let Kind::Text(t) = dom.kind[j] {
                after[j - r] = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
            }
            j += 1;
        }
        for j in (r..end).rev() {
            after[j - r] += after[j - r + 1];
        }
        let mut b = r + 1;
        while b < end {
            if hide(b) {
                b = dom.end[b] as usize;
                continue;
            }
            let Some(e) = dom.elem(b) else {
                b += 1;
                continue;
            };
            if !matches!(e.name(), "p" | "div" | "section") {
                b += 1;
                continue;
            }
            // Cheap test first: the block's first text opens with an author's first name.
            let first_text = (b + 1..dom.end[b] as usize).find_map(|j| match dom.kind[j] {
                Kind::Text(t) if !t.trim().is_empty() => Some(t.trim_start()),
                _ => None,
            });
            if !first_text.is_some_and(|t| names.iter().any(|(_, f)| t.starts_with(f))) {
                b += 1;
                continue;
            }
            let text = dom.text_of(b, &hide);
            let letters = text.chars().filter(|c| !c.is_whitespace()).count();
            let bio = (rules::MIN_PARAGRAPH_CHARS..=rules::AUTHOR_BIO_MAX_CHARS).contains(&letters)
                && names.iter().any(|(full, first)| {
                    [*full, *first].iter().any(|n| {
                        text.strip_prefix(n)
                            .is_some_and(|rest| rules::AUTHOR_BIO_VERB.is_match(rest))
                    })
                });
            let tail = after[dom.end[b] as usize - r] as usize;
            if !bio || tail > rules::AUTHOR_BIO_TAIL_CHARS {
                b += 1;
                continue;
            }
            // The author box around the biography, if a wrapper says so and holds little else.
            let mut target = b;
            for a in dom.ancestors(b).take(rules::AUTHOR_BIO_BOX_DEPTH) {
                if a == r || sel.roots.contains(&a) || dom.ancestors(r).any(|x| x == a) {
                    break;
                }
                let box_letters = (after[a - r] - after[dom.end[a] as usize - r]) as usize;
                if box_letters > 2 * letters + rules::AUTHOR_BIO_BOX_EXTRA_CHARS {
                    break;
                }
                if rules::AUTHOR_BOX.is_match(signature(dom, a)) {
                    target = a;
                }
            }
            drops.push(target);
            b = dom.end[target] as usize;
        }
    }
    for d in drops {
        sel.dropped[d] = true;
    }
}

/// The first "Related articles"-like heading in the article's last stretch (at most
/// `RELATED_TAIL_CHARS` letters, and a small share of the article, after it).
fn related_heading(
    dom: &Dom<'_>,
    r: usize,
    s: &Stats,
    hide: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let end = dom.end[r] as usize;
    // Letters attributed to the visible blocks from each node on (suffix sums).
    let mut after = vec![0u32; end - r + 1];
    let mut j = r;
    while j < end {
        if hide(j) {
            j = dom.end[j] as usize;
            continue;
        }
        after[j - r] = s.own[j];
        j += 1;
    }
    for j in (r..end).rev() {
        after[j - r] += after[j - r + 1];
    }
    let total = after[0] as f32;
    let mut b = r + 1;
    while b < end {
        if hide(b) {
            b = dom.end[b] as usize;
            continue;
        }
        let tail = after[dom.end[b] as usize - r];
        if (tail as usize) > rules::RELATED_TAIL_CHARS
            || tail as f32 > rules::RELATED_TAIL_SHARE * total
        {
            b += 1;
            continue;
        }
        let own = s.own[b] as usize;
        // A heading, or a paragraph or box standing in for one; not a list item or a fact
        // box's "Related topics:" label.
        let tag = dom.tag(b);
        if own > 0
            && own <= rules::RELATED_HEADING_CHARS
            && (rules::is_heading_tag(tag) || matches!(tag, "p" | "div"))
        {
            let text = dom.text_of(b, hide);
            if rules::RELATED_HEADING.is_match(&text) {
                return Some(b);
            }
            // A closing call to action: a heading that asks the reader to act ("Ready to get
            // started?", "Request information", "Book a demo") with a line or two under it.
            // `role="heading"` makes a `<div>` one.
            if (rules::is_heading_tag(tag) || dom.attr(b, "role") == Some("heading"))
                && (tail as usize) <= rules::CLOSING_CTA_TAIL_CHARS
                && rules::CLOSING_CTA.is_match(&text)
                && !rules::QUESTION_HEADING.is_match(&text)
            {
                return Some(b);
            }
        }
        b += 1;
    }
    None
}

/// A link that looks like a button: a short text and a button class on it or on its wrapper,
/// or a call to action for its whole text ("Estimate now!", "Get started").
fn is_button_link(dom: &Dom<'_>, a: usize, r: usize, text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if letters == 0 || letters > rules::BUTTON_MAX_CHARS {
        return false;
    }
    let classed = std::iter::once(a)
        .chain(dom.ancestors(a).take(rules::BUTTON_WRAPPER_DEPTH))
        .take_while(|&x| x != r)
        .any(|x| {
            rules::BUTTON_CLASS.is_match(signature(dom, x))
                || dom
                    .attr(x, "role")
                    .is_some_and(|v| v.eq_ignore_ascii_case("button"))
        });
    (classed || rules::BUTTON_TEXT.is_match(text.trim())) && !rules::SHOP_BUTTON.is_match(text)
}

/// Pitch boxes in the article under `r`: the largest block around a button link that holds at
/// most `PITCH_BOX_CHARS` letters besides the button, and some text besides it.
fn pitch_boxes(
    dom: &Dom<'_>,
    r: usize,
    text_sub: &[f32],
    hide: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    let end = dom.end[r] as usize;
    let mut out: Vec<usize> = Vec::new();
    let mut a = r + 1;
    while a < end {
        if hide(a) {
            a = dom.end[a] as usize;
            continue;
        }
        if dom.tag(a) != "a" {
            a += 1;
            continue;
        }
        let text = dom.text_of(a, hide);
        if !is_button_link(dom, a, r, &text) || !standalone(dom, a, hide) {
            a = dom.end[a] as usize;
            continue;
        }
        let button = text.chars().filter(|c| !c.is_whitespace()).count() as f32;
        let mut boxed = None;
        for x in dom.ancestors(a) {
            // A table row or list item with a link is an item of the article's own list (a
            // product comparison, a list of resources), not a pitch.
            if x == r || matches!(dom.tag(x), "td" | "th" | "tr" | "table" | "li") {
                break;
            }
            if !is_block(dom.tag(x)) {
                continue;
            }
            // The box holding the headline is the article's header (a "Contact us" button
            // beside the title), not a pitch.
            if text_sub[x] - button > rules::PITCH_BOX_CHARS
                || (x..dom.end[x] as usize).any(|j| dom.tag(j) == "h1")
            {
                break;
            }
            boxed = Some(x);
        }
        match boxed {
            Some(x) if text_sub[x] - button > 0.0 => {
                out.push(x);
                a = dom.end[x] as usize;
            }
            // A box holding nothing but the button: its pitch is the short, link-free line
            // just before it ("Stop searching. Talk to our experts" [Talk to us!]).
            Some(x) => {
                if let Some(p) = pitch_lead(dom, r, x, text_sub, hide) {
                    out.push(p);
                    out.push(x);
                }
                a = dom.end[x] as usize;
            }
            _ => a = dom.end[a] as usize,
        }
    }
    // Cards of a grid or list (a course catalogue, a listicle's entries, a portfolio): at
    // least `CARD_LIST_MIN` boxes of one kind (tag and first class; later classes and ids
    // number or colour the cards). Their buttons belong to the items.
    let kinds: Vec<String> = out
        .iter()
        .map(|&x| {
            let first = dom.elem(x).and_then(|e| e.classes().next()).unwrap_or("");
            format!(
                "{} {}",
                dom.tag(x),
                first.trim_end_matches(|c: char| c.is_ascii_digit())
            )
        })
        .collect();
    out.into_iter()
        .zip(&kinds)
        .filter(|(_, k)| kinds.iter().filter(|l| l == k).count() < rules::CARD_LIST_MIN)
        .map(|(x, _)| x)
        .collect()
}

/// The block just before `x` (skipping empty ones) when it is a short line without links.
fn pitch_lead(
    dom: &Dom<'_>,
    r: usize,
    x: usize,
    text_sub: &[f32],
    hide: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let parent = dom.parent[x] as usize;
    if x == r || parent < r {
        return None;
    }
    let prev = dom
        .children(parent)
        .take_while(|&c| c != x)
        .filter(|&c| !hide(c) && text_sub[c] > 0.0)
        .last()?;
    let tag = dom.tag(prev);
    let short = text_sub[prev] <= rules::PITCH_LEAD_CHARS;
    let linked = (prev..dom.end[prev] as usize).any(|j| dom.tag(j) == "a");
    // Set off as a pitch: a heading, or a line in bold throughout.
    let bold = (prev..dom.end[prev] as usize)
        .filter(|&j| matches!(dom.kind[j], Kind::Text(t) if !t.trim().is_empty()))
        .all(|j| {
            dom.ancestors(j)
                .take_while(|&a| a != prev)
                .any(|a| matches!(dom.tag(a), "strong" | "b"))
        });
    let set_off = rules::is_heading_tag(tag) || (tag == "p" && bold);
    (short && !linked && set_off).then_some(prev)
}

/// A button stands alone: nothing but punctuation follows it in its block, and no sentence
/// runs into it (a "please contact us" link inside a paragraph is the paragraph's).
fn standalone(dom: &Dom<'_>, a: usize, hide: &dyn Fn(usize) -> bool) -> bool {
    let Some(b) = dom.ancestors(a).find(|&x| is_block(dom.tag(x))) else {
        return true;
    };
    let a_end = dom.end[a] as usize;
    let mut before: Option<usize> = None;
    let mut j = b + 1;
    while j < dom.end[b] as usize {
        if hide(j) {
            j = dom.end[j] as usize;
            continue;
        }
        if j == a {
            j = a_end;
            continue;
        }
        if let Kind::Text(t) = dom.kind[j] {
            if j >= a_end && t.chars().any(char::is_alphanumeric) {
                return false;
            }
            if j < a && !t.trim().is_empty() {
                before = Some(j);
            }
        }
        j += 1;
    }
    // Text that runs into the link: a bare text beside it ending mid-sentence.
    !before.is_some_and(|t| {
        let Kind::Text(text) = dom.kind[t] else {
            return false;
        };
        dom.parent[t] == dom.parent[a]
            && text
                .trim_end()
                .ends_with(|c: char| c.is_alphanumeric() || c == ',')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_counts_match_a_count_by_char() {
        for t in [
            "",
            "  Hello,\tworld,\n",
            "a\u{a0}b\u{3000}c\u{2003}d\u{85}e\u{1c}f\u{b}g\u{c}",
            "مرحبا، عالم",
            "你好，世界、再见",
            "émigré — naïve, “quoted”",
        ] {
            let letters = t.chars().filter(|c| !c.is_whitespace()).count();
            let commas = t
                .chars()
                .filter(|&c| matches!(c, ',' | '،' | '，' | '、'))
                .count();
            assert_eq!(count_text(t), (letters, commas), "{t:?}");
        }
    }
}
