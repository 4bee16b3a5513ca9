//! Text from documents on the page. maud escapes every value spliced into `html!` (`&`, `<`, `>`, `"`), so a
//! string that reaches the page unwrapped is still inert. [`Text`] is how the templates splice text that came from
//! data (titles, snippets, publishers, ids, URLs): it escapes the apostrophe too and replaces control characters,
//! which HTML does not allow, with U+FFFD. Links keep only http, https and file URLs.

use maud::{html, Markup, Render};

/// Text from data, escaped for HTML content and attribute values when rendered.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a str);

impl Render for Text<'_> {
    fn render_to(&self, out: &mut String) {
        for c in self.0.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
                c => out.push(c),
            }
        }
    }
}

/// A safe href: an http, https or file URL, normalised (not yet escaped); anything else gives `None`.
fn safe_href(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https" | "file").then(|| parsed.to_string())
}

/// A link to `url` showing `text`, or the text alone when the URL is not safe to follow.
pub fn link_or_text(url: &str, text: &str) -> Markup {
    html! {
        @if let Some(href) = safe_href(url) {
            a href=(Text(&href)) rel="noopener noreferrer" { (Text(text)) }
        } @else {
            (Text(text))
        }
    }
}

/// The snippet with the matched words marked.
pub fn highlight(snippet: &str, matched: &str) -> Markup {
    let at = (!matched.is_empty())
        .then(|| snippet.find(matched))
        .flatten();
    html! {
        @if let Some(i) = at {
            (Text(&snippet[..i])) mark { (Text(matched)) } (Text(&snippet[i + matched.len()..]))
        } @else {
            (Text(snippet))
        }
    }
}

/// A date, or `undated`.
pub fn fmt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "undated".into())
}

/// A value, or a dash when there is none.
pub fn dash<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_refuses_script_urls() {
        assert_eq!(
            Text("<script>\"x\" & 'y'\u{0}").render().into_string(),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;\u{FFFD}"
        );
        assert_eq!(
            link_or_text("javascript:alert(1)", "<b>t</b>").into_string(),
            "&lt;b&gt;t&lt;/b&gt;"
        );
        assert!(link_or_text("https://a.org/?q=\"x\"", "t")
            .into_string()
            .starts_with("<a href=\"https://a.org/?q=%22x%22\""));
        assert_eq!(
            link_or_text("https://a.org/it's", "t").into_string(),
            "<a href=\"https://a.org/it&#39;s\" rel=\"noopener noreferrer\">t</a>"
        );
    }

    #[test]
    fn the_engine_escapes_what_is_not_wrapped() {
        let hostile = "<script>alert(\"x\")</script> & more";
        let page = html! { p title=(hostile) { (hostile) } }.into_string();
        assert_eq!(
            page,
            "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more\">\
             &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>"
        );
    }

    #[test]
    fn highlight_marks_the_match_and_escapes_around_it() {
        assert_eq!(
            highlight("a <b> cites Widgets & co", "Widgets").into_string(),
            "a &lt;b&gt; cites <mark>Widgets</mark> &amp; co"
        );
        assert_eq!(highlight("<x>", "").into_string(), "&lt;x&gt;");
        assert_eq!(highlight("<x>", "absent").into_string(), "&lt;x&gt;");
    }
}
