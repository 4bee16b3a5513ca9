//! The feed reader on RSS 2.0, RSS 1.0 and Atom documents written for these tests in the forms real feeds take.

use super::parse::{entry_date, html_text, parse_feed, Format};
use super::*;

fn base() -> Url {
    Url::parse("https://news.example/blog/feed/").unwrap()
}

#[test]
fn rss2_items_give_links_ids_titles_text_and_dates() {
    let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Widget News</title>
  <link>https://news.example/</link>
  <atom:link href="https://news.example/blog/feed/" rel="self" type="application/rss+xml"/>
  <generator>https://wordpress.org/?v=6.4.2</generator>
  <item>
    <title>Widgets &amp;amp; gadgets: the BPF&#8217;s view</title>
    <link>https://news.example/2019/widgets-and-gadgets/</link>
    <guid isPermaLink="false">https://news.example/?p=101</guid>
    <pubDate>Wed, 20 Nov 2019 10:00:00 +0000</pubDate>
    <description><![CDATA[<p>The forum&rsquo;s <b>report</b> on widgets.</p><p>More&nbsp;soon.</p>]]></description>
    <content:encoded><![CDATA[<div><p>Full text about exchanges.</p></div>]]></content:encoded>
  </item>
  <item>
    <title>Relative and undated</title>
    <link>/blog/relative-post</link>
  </item>
  <item>
    <title>Only a permalink guid</title>
    <guid>https://news.example/guid-only</guid>
    <dc:date>2018-03-05T08:00:00+01:00</dc:date>
  </item>
  <item><title>No link at all</title><guid isPermaLink="false">x-1</guid></item>
</channel>
</rss>"#;
    let f = parse_feed(xml, &base()).unwrap();
    assert_eq!(f.format, Format::Rss);
    assert!(f.wordpress);
    assert_eq!(f.next, None);
    assert_eq!(f.unlinked, 1);
    assert_eq!(f.entries.len(), 3);
    let a = &f.entries[0];
    assert_eq!(a.link, "https://news.example/2019/widgets-and-gadgets/");
    assert_eq!(a.id, "https://news.example/?p=101");
    assert_eq!(
        a.title.as_deref(),
        Some("Widgets & gadgets: the BPF\u{2019}s view")
    );
    assert_eq!(
        a.text,
        "The forum\u{2019}s report on widgets. More soon. Full text about exchanges."
    );
    assert_eq!(a.date.as_deref(), Some("2019-11-20"));
    let b = &f.entries[1];
    assert_eq!(b.link, "https://news.example/blog/relative-post");
    assert_eq!(b.id, b.link);
    assert_eq!(b.date, None);
    let c = &f.entries[2];
    assert_eq!(c.link, "https://news.example/guid-only");
    assert_eq!(c.date.as_deref(), Some("2018-03-05"));
}

#[test]
fn atom_entries_use_alternate_links_xml_base_and_published_dates() {
    let xml = br#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/base/">
  <title>Exchange notes</title>
  <link rel="self" href="https://blog.example/atom.xml"/>
  <link rel="next" href="atom.xml?page=2"/>
  <entry>
    <id>tag:blog.example,2016:1</id>
    <title type="html">&lt;em&gt;Best Practice Forum&lt;/em&gt; on widgets</title>
    <link rel="edit" href="/edit/1"/>
    <link rel="alternate" type="application/pdf" href="one.pdf"/>
    <link rel="alternate" type="text/html" href="one.html"/>
    <updated>2017-01-02T00:00:00Z</updated>
    <published>2016-12-30T23:30:00-05:00</published>
    <summary>Notes from the forum.</summary>
  </entry>
  <entry xml:base="https://other.example/x/">
    <id>tag:blog.example,2016:2</id>
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Second <b>entry</b></div></title>
    <link href="two"/>
    <updated>2016-11-01T00:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First para.</p><p>Second para.</p></div></content>
  </entry>
</feed>"#;
    let f = parse_feed(xml, &base()).unwrap();
    assert_eq!(f.format, Format::Atom);
    assert!(!f.wordpress);
    assert_eq!(
        f.next.as_deref(),
        Some("https://blog.example/base/atom.xml?page=2")
    );
    let a = &f.entries[0];
    assert_eq!(a.id, "tag:blog.example,2016:1");
    assert_eq!(a.link, "https://blog.example/base/one.html");
    assert_eq!(a.title.as_deref(), Some("Best Practice Forum on widgets"));
    assert_eq!(
        a.date.as_deref(),
        Some("2016-12-30"),
        "published, in its own zone"
    );
    assert_eq!(a.text, "Notes from the forum.");
    let b = &f.entries[1];
    assert_eq!(b.link, "https://other.example/x/two");
    assert_eq!(b.title.as_deref(), Some("Second entry"));
    assert_eq!(
        b.date.as_deref(),
        Some("2016-11-01"),
        "updated when unpublished"
    );
    assert_eq!(b.text, "First para. Second para.");
}

#[test]
fn rss1_rdf_items_are_read_beside_the_channel() {
    let xml = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF news</title><link>https://rdf.example/</link></channel>
  <item rdf:about="https://rdf.example/a">
    <title>First</title><link>https://rdf.example/a</link><dc:date>2015-06-05</dc:date>
    <description>About the IGF.</description>
  </item>
  <item rdf:about="https://rdf.example/b"><title>Second</title></item>
</rdf:RDF>"#;
    let f = parse_feed(xml, &base()).unwrap();
    assert_eq!(f.format, Format::Rdf);
    assert_eq!(f.entries.len(), 2);
    assert_eq!(f.entries[0].id, "https://rdf.example/a");
    assert_eq!(f.entries[0].date.as_deref(), Some("2015-06-05"));
    assert_eq!(f.entries[0].text, "About the IGF.");
    assert_eq!(f.entries[1].link, "https://rdf.example/b");
}

#[test]
fn bad_feeds_are_refused_with_the_reason() {
    for (bytes, expect) in [
        (
            &b"<html><body>Not a feed</body></html>"[..],
            "root element is <html>",
        ),
        (
            b"<rss><channel><item><title>x</channel></rss>",
            "not well-formed",
        ),
        (b"<rss><channel><item><title>cut", "cut short"),
        (b"", "no root element"),
        (b"{\"items\": []}", "no root element"),
    ] {
        let e = parse_feed(bytes, &base()).unwrap_err();
        assert!(e.contains(expect), "{expect}: {e}");
    }
}

#[test]
fn legacy_encodings_declared_or_not_are_read() {
    let mut latin =
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Caf\xe9 \
        num\xe9rique</title><link>https://x.example/c</link></item></channel></rss>"
            .to_vec();
    let f = parse_feed(&latin, &base()).unwrap();
    assert_eq!(f.entries[0].title.as_deref(), Some("Café numérique"));
    // The same bytes without a declaration: not UTF-8, read as windows-1252.
    latin.drain(..latin.iter().position(|&b| b == b'>').unwrap() + 1);
    let f = parse_feed(&latin, &base()).unwrap();
    assert_eq!(f.entries[0].title.as_deref(), Some("Café numérique"));
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(
        "<feed><entry><id>1</id><title>Été</title><link href=\"https://x.example/e\"/></entry></feed>"
            .as_bytes(),
    );
    assert_eq!(
        parse_feed(&bom, &base()).unwrap().entries[0]
            .title
            .as_deref(),
        Some("Été")
    );
}

#[test]
fn entry_dates_are_read_leniently() {
    for (written, want) in [
        ("Wed, 20 Nov 2019 10:00:00 GMT", Some("2019-11-20")),
        ("Wed, 20 Nov 2019 10:00:00 +0200", Some("2019-11-20")),
        ("Wed, 20 Nov 2019 23:30:00 -0500", Some("2019-11-20")),
        ("20 Nov 2019 10:00 EST", Some("2019-11-20")),
        ("Wed, 20 Nov 19 10:00:00 PST", Some("2019-11-20")),
        ("Wednesday, 20 November 2019", Some("2019-11-20")),
        ("Wed, 5 Jun 2015 10:01:00 CEST", Some("2015-06-05")),
        ("November 20, 2019", Some("2019-11-20")),
        ("Sept 3rd, 2018", Some("2018-09-03")),
        ("2019-11-20T10:00:00.000+01:00", Some("2019-11-20")),
        ("2019-11-20 10:00:00", Some("2019-11-20")),
        ("2019-11", Some("2019-11")),
        ("2019", Some("2019")),
        ("31 Feb 2019", None),
        ("soon", None),
        ("", None),
    ] {
        assert_eq!(entry_date(written).as_deref(), want, "{written:?}");
    }
}

#[test]
fn html_is_read_as_text() {
    assert_eq!(html_text("AT&T and a < b"), "AT&T and a < b");
    assert_eq!(html_text("<p>one</p><p>two</p>"), "one two");
    assert_eq!(html_text("IG<b>F</b> &amp; &eacute;"), "IGF & é");
    let deep = "<div>".repeat(2000) + "deep";
    assert_eq!(html_text(&deep), "deep");
}

#[test]
fn include_matches_title_text_or_link() {
    let re = [Regex::new("(?i)igf|best practice forum|bpf").unwrap()];
    assert!(selected(&re, Some("The IGF meets"), "", "https://x/a"));
    assert!(selected(
        &re,
        None,
        "a best practice forum report",
        "https://x/a"
    ));
    assert!(selected(&re, None, "", "https://x/bpf-widgets"));
    assert!(!selected(&re, Some("Weather"), "rain", "https://x/a"));
    assert!(selected(&[], Some("Weather"), "rain", "https://x/a"));
}

#[test]
fn wordpress_pages_replace_paged() {
    assert_eq!(
        wordpress_page("https://wp.example/feed/", 2).as_deref(),
        Some("https://wp.example/feed/?paged=2")
    );
    assert_eq!(
        wordpress_page("https://wp.example/?feed=rss2&paged=2", 3).as_deref(),
        Some("https://wp.example/?feed=rss2&paged=3")
    );
}

#[test]
fn garbage_never_panics() {
    let samples: [&[u8]; 8] = [
        b"<rss><channel><item><link>javascript:alert(1)</link></item></channel></rss>",
        b"<feed><entry><link href=\"\"/></entry></feed>",
        b"<rss><item><link>https://x/</link></item></rss><rss/>",
        b"<feed><entry><entry><link href=\"https://x/\"/></entry></entry></feed>",
        b"<rss><channel><item><title>&bogus;</title><link>https://x/y</link></item></channel></rss>",
        b"\xff\xfe<\x00r\x00s\x00s\x00/\x00>\x00",
        b"<?xml encoding='nonsense'?><rss/>",
        b"<rss><channel><item><link>https://x/&#0;</link></item></channel></rss>",
    ];
    for s in samples {
        let _ = parse_feed(s, &base());
    }
    let f = parse_feed(samples[0], &base()).unwrap();
    assert_eq!((f.entries.len(), f.unlinked), (0, 1), "only http(s) links");
    let f = parse_feed(samples[4], &base()).unwrap();
    assert_eq!(f.entries[0].title.as_deref(), Some("&bogus;"));
}
