//! The HTML page and HTTP messages of a generated WARC page: a record's text (a title line, navigation lines, then
//! paragraphs) wrapped in the markup of a typical site (head with meta tags, a stylesheet and scripts, a header
//! with navigation and search, the article, a sidebar, a footer of links, a cookie banner), so that the HTML is
//! two to three times the text. Every piece of markup here is invented for the benchmark.

use std::fmt::Write as _;

/// Invented inline style, as pages carry a critical-CSS block.
const STYLE: &str = "body{margin:0;font-family:-apple-system,BlinkMacSystemFont,\"Segoe UI\",Roboto,sans-serif;\
line-height:1.6;color:#1d2329;background:#fff}.container{max-width:1140px;margin:0 auto;padding:0 16px}\
.site-header{border-bottom:1px solid #e4e7eb;background:#fafbfc}.site-header .logo{font-weight:700;\
font-size:1.25rem;text-decoration:none;color:#0b3d91}.main-nav ul{list-style:none;display:flex;gap:18px;margin:0;\
padding:12px 0}.main-nav a{color:#2b3640;text-decoration:none}.main-nav a:hover{text-decoration:underline}\
.breadcrumbs{font-size:.85rem;color:#69737d;padding:8px 0}.entry-title{font-size:2rem;line-height:1.25;\
margin:.5em 0}.entry-meta{color:#69737d;font-size:.9rem}.entry-content p{margin:0 0 1.1em}.sidebar{font-size:.9rem}\
.sidebar h3{font-size:1rem;text-transform:uppercase;letter-spacing:.05em}.site-footer{margin-top:48px;\
padding:32px 0;background:#1d2329;color:#c5ccd3}.site-footer a{color:#e4e7eb}.footer-links{columns:3;\
list-style:none;padding:0}#cookie-banner{position:fixed;bottom:0;left:0;right:0;padding:12px;background:#2b3640;\
color:#fff;display:none}#cookie-banner.show{display:flex;justify-content:space-between}@media (max-width:720px){\
.main-nav ul{flex-direction:column}.footer-links{columns:1}.entry-title{font-size:1.5rem}}";

/// Invented inline script: a consent check and a page-view beacon.
const SCRIPT: &str = "(function(w,d){var k='site_consent',c=null;try{c=w.localStorage.getItem(k)}catch(e){}\
var b=d.getElementById('cookie-banner');if(!c&&b){b.className+=' show';var btn=b.querySelector('button');\
if(btn){btn.addEventListener('click',function(){try{w.localStorage.setItem(k,'1')}catch(e){}b.className='';\
})}}var q=w.__pv=w.__pv||[];q.push({t:Date.now(),p:w.location.pathname,r:d.referrer||null,\
s:[w.screen&&w.screen.width,w.screen&&w.screen.height]});function send(){if(!q.length)return;var x=new \
XMLHttpRequest();x.open('POST','/collect',true);x.setRequestHeader('Content-Type','application/json');\
x.send(JSON.stringify(q.splice(0,q.length)))}w.addEventListener('visibilitychange',function(){\
if(d.visibilityState==='hidden')send()});setTimeout(send,4000)})(window,document);";

/// Invented footer link texts.
const FOOTER: &[&str] = &[
    "About us",
    "Contact",
    "Privacy policy",
    "Terms of use",
    "Accessibility",
    "Careers",
    "Press",
    "Advertise",
    "Newsletter",
    "Archive",
    "Site map",
    "Cookie settings",
];

/// `s` with `<`, `>`, `&` and `"` escaped.
fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// A short piece of `s` (at most `n` bytes, at a character boundary).
fn short(s: &str, n: usize) -> &str {
    let mut at = n.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    &s[..at]
}

/// The HTML page of a record: its first line is the title, the lines up to the first blank one are
/// navigation, the other lines are paragraphs.
pub fn html_page(rng: &mut fastrand::Rng, url: &str, host: &str, lang: &str, text: &str) -> String {
    let mut lines = text.lines();
    let title = lines.next().unwrap_or("");
    let nav: Vec<&str> = lines
        .by_ref()
        .take_while(|l| !l.trim().is_empty())
        .collect();
    let paras: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let mut h = String::with_capacity(text.len() * 2 + 8_000);
    let lang = if lang == "English" { "en" } else { "x-other" };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
    );
    esc(&mut h, title);
    let _ = write!(
        h,
        " | {host}</title>\n<meta name=\"description\" content=\""
    );
    esc(&mut h, short(paras.first().copied().unwrap_or(""), 160));
    let _ = write!(h, "\">\n<meta property=\"og:title\" content=\"");
    esc(&mut h, title);
    let v = rng.u32(..);
    let _ = write!(
        h,
        "\">\n<meta property=\"og:url\" content=\"{url}\">\n<meta property=\"og:type\" content=\"article\">\n\
         <link rel=\"canonical\" href=\"{url}\">\n<link rel=\"icon\" href=\"/favicon.ico\">\n\
         <link rel=\"stylesheet\" href=\"/static/css/main.{v:08x}.css\">\n<style>{STYLE}</style>\n\
         <script async src=\"/static/js/beacon.{v:08x}.js\"></script>\n\
         <script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"Article\",\
         \"url\":\"{url}\",\"publisher\":{{\"@type\":\"Organization\",\"name\":\"{host}\"}}}}</script>\n\
         </head>\n<body class=\"page page-article\">\n<header class=\"site-header\"><div class=\"container\">\
         <a class=\"logo\" href=\"/\">{host}</a>\n<nav class=\"main-nav\" aria-label=\"Main\"><ul>\n"
    );
    for (k, l) in nav.iter().enumerate() {
        let _ = write!(
            h,
            "<li class=\"menu-item menu-item-{k}\"><a href=\"/section/{k}/\">"
        );
        esc(&mut h, l);
        h.push_str("</a></li>\n");
    }
    let _ = write!(
        h,
        "</ul></nav>\n<form class=\"search\" role=\"search\" action=\"/search\"><input type=\"search\" name=\"q\" \
         aria-label=\"Search\"><button type=\"submit\">&#128269;</button></form></div></header>\n\
         <div class=\"breadcrumbs container\"><a href=\"/\">Home</a> &rsaquo; <a href=\"/section/0/\">Articles</a>\
         </div>\n<main id=\"content\" class=\"container\"><article class=\"post type-post status-publish\">\n\
         <h1 class=\"entry-title\">"
    );
    esc(&mut h, title);
    let _ = write!(
        h,
        "</h1>\n<div class=\"entry-meta\"><time class=\"published\" datetime=\"2026-11-0{}\">{} November 2026\
         </time> <span class=\"byline\">by <a class=\"author\" href=\"/author/{}/\">the editors</a></span></div>\n\
         <div class=\"entry-content\">\n",
        1 + v % 9,
        1 + v % 9,
        v % 40
    );
    for (k, p) in paras.iter().enumerate() {
        let _ = write!(
            h,
            "<div class=\"block block-text\" data-block=\"{k}\"><p class=\"para\">"
        );
        esc(&mut h, p);
        h.push_str("</p></div>\n");
    }
    h.push_str(
        "</div>\n<div class=\"share\"><a class=\"share-link\" href=\"#\" rel=\"nofollow\">Share</a> \
         <a class=\"share-link\" href=\"#\" rel=\"nofollow\">Print</a></div>\n</article>\n\
         <aside class=\"sidebar\"><h3>Related</h3><ul>\n",
    );
    for k in 0..5 {
        let other = rng.u32(..100_000);
        let _ = write!(h, "<li><a href=\"/page/{other}\">");
        esc(&mut h, nav.get(k).copied().unwrap_or(title));
        h.push_str("</a></li>\n");
    }
    h.push_str(
        "</ul></aside></main>\n<footer class=\"site-footer\"><div class=\"container\"><ul class=\"footer-links\">\n",
    );
    for f in FOOTER {
        let slug = f.to_lowercase().replace(' ', "-");
        let _ = writeln!(h, "<li><a href=\"/{slug}/\">{f}</a></li>");
    }
    let _ = write!(
        h,
        "</ul>\n<p class=\"copyright\">&copy; 2026 {host}. All rights reserved.</p></div></footer>\n\
         <div id=\"cookie-banner\" role=\"dialog\" aria-live=\"polite\"><span>This site uses cookies to \
         measure how it is read.</span> <button type=\"button\">Accept</button></div>\n\
         <script src=\"/static/js/vendor.{v:08x}.js\" defer></script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    h
}

/// The HTTP head of a response carrying `len` bytes of HTML (stored decoded, as Common Crawl stores bodies, with
/// the encoding header renamed).
pub fn http_head(len: usize) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=UTF-8\r\n\
         X-Crawler-Content-Encoding: gzip\r\nContent-Length: {len}\r\nCache-Control: max-age=600\r\n\
         Vary: Accept-Encoding\r\nConnection: keep-alive\r\n\r\n"
    )
}

/// The HTTP request of a page.
pub fn request_block(url: &str, host: &str) -> String {
    let path = url
        .trim_start_matches("https://")
        .split_once('/')
        .map_or("/", |(_, p)| p);
    format!(
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: uptake-bench/0.1 (generated)\r\n\
         Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
         Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: br,gzip\r\n\
         Connection: Keep-Alive\r\n\r\n"
    )
}
