#!/usr/bin/env python3
"""Writes the labelled reference set (tests/labelled/corpus and expected.toml): documents written by the uptake team
in the ways people really cite IGF Best Practice Forum outputs, and traps that must cite nothing. Every document
states what it cites in `expected.toml`, written from the design below, not from uptake's output.

    python3 tests/labelled/generate.py

Organisations and sites are invented (".example" domains). Run `uptake eval` to score uptake against it (docs/references.md).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
sys.path.insert(0, os.path.join(HERE, "..", "..", "data", "demo"))
from generate import write_pdf  # noqa: E402  (the demo's small PDF writer)

DOCS = []


def doc(name, body, cites=(), published=None, published_from=None, form="", trap=False, url="", publisher="",
        sector="", country="", manifest_date="", html_meta="", pdf=None):
    DOCS.append(dict(name=name, body=body, cites=list(cites), published=published, published_from=published_from,
                     form=form, trap=trap, url=url, publisher=publisher, sector=sector, country=country,
                     manifest_date=manifest_date, html_meta=html_meta, pdf=pdf))


def html(title, paras, meta=""):
    ps = "\n".join(f"<p>{p}</p>" for p in paras)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n{meta}\n"
            f"</head><body><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav><main><h1>{title}</h1>\n{ps}\n"
            f"</main><footer>Footer text</footer></body></html>\n")


# ------------------------------------------------------------------ full titles, exact and loose
doc("t01-title-exact.txt", "Policy brief\n\nThe report Online Abuse and Gender-Based Violence Against Women shaped our "
    "submission to the regulator.\n", ["2015-gender"], "2016-02-01", "manifest", "title", manifest_date="2016-02-01")
doc("t02-title-typo.txt", "Workshop notes\n\nWe discussed Enabling Enviroments to Establish Succesful IXPs and its "
    "advice on neutral hosting.\n", ["2015-ixp"], "2016-05-03", "manifest", "title-typo", manifest_date="2016-05-03")
doc("t03-title-case-quotes.txt", "Reading list\n\n“CYBERSECURITY CULTURE, NORMS AND VALUES” is required reading "
    "for the course.\n", ["2018-cybersecurity"], "2019-01-15", "manifest", "title-case", manifest_date="2019-01-15")
doc("t04-title-split-lines.txt", "References\n\n[4] Internet Governance Forum (2016). Understanding the commercial "
    "and economic incentives\nbehind a successful IPv6 deployment. Best Practice Forum output.\n[5] Other work.\n",
    ["2016-ipv6"], "2017-03-10", "manifest", "reference-split", manifest_date="2017-03-10")
doc("t05-title-hyphen-break.txt", "Bibliography\n\nIGF (2015). Creating an Enabling Environment for IPv6 Adop-\ntion. "
    "Best Practice Forum.\n", ["2015-ipv6"], "2016-09-09", "manifest", "reference-hyphenated",
    manifest_date="2016-09-09")
doc("t06-title-page-break.txt", "Annex B: sources\n\n- IGF Best Practice Forum (2017), Internet cultural and "
    "linguistic\n\n12\n\nAnnex B (continued)\n\ndiversity as an engine for growth.\n",
    ["2017-local-content"], "2018-04-04", "manifest", "reference-page-break", manifest_date="2018-04-04")
doc("t07-title-2014-spam.html", html("Spam law review", [
    "The 2014 IGF document Regulation and Mitigation of Unsolicited Communications (e.g. “spam”) lists model clauses."],
    '<meta name="citation_publication_date" content="2015/02/20">'),
    ["2014-spam"], "2015-02-20", "meta:citation_publication_date", "title")
doc("t08-title-child.html", html("Keeping children safe", [
    "Hotlines met at the IGF in 2014, where the Best Practice Forum on Online Child Protection collected practices."],
    '<meta property="article:published_time" content="2014-12-01T10:00:00Z">'),
    ["2014-child-protection"], "2014-12-01", "meta:article:published_time", "alias-with-cue")
doc("t09-title-iot2018.txt", "Committee briefing\n\nInternet of Things (IoT), Big Data, Artificial Intelligence (AI), "
    "the 2018 forum output, recommends trust by design.\n", ["2018-iot-big-data-ai"], "2019-02-02", "manifest",
    "title", manifest_date="2019-02-02")
doc("t10-title-bpfs.txt", "Review\n\nThe MAG adopted Reviewing past Best Practice Forums (BPF) to enhance future BPF "
    "work: a BPF on BPFs in 2020.\n", ["2020-bpf-on-bpfs"], "2020-12-01", "manifest", "title",
    manifest_date="2020-12-01")
doc("t11-title-local2019.txt", "Archive notes\n\nLost and gained in digitisation: Responding to the impact of "
    "political and social upheaval on local content, language and culture (IGF, 2019) guides our archive work.\n",
    ["2019-local-content"], "2020-06-01", "manifest", "title", manifest_date="2020-06-01")
doc("t12-title-2020gender.txt", "Notes\n\nThe BPF output Gender Impact on Shaping Internet Policy was launched "
    "online.\n", ["2020-gender"], "2021-01-12", "manifest", "title", manifest_date="2021-01-12")

# ------------------------------------------------------------------ aliases and acronyms with a year
doc("a01-alias-year.txt", "Newsletter\n\nThe IGF 2016 Best Practice Forum on Gender and Access published its "
    "findings on barriers.\n", ["2016-gender"], "2017-01-20", "manifest", "alias-year", manifest_date="2017-01-20")
doc("a02-bpf-certs-2014.html", html("CERT news", [
    "Our team joined the BPF on CERTs at IGF 2014 in Istanbul."],
    '<meta property="article:published_time" content="2014-09-12T08:00:00Z">'),
    ["2014-csirt"], "2014-09-12", "meta:article:published_time", "acronym-year")
doc("a03-ixp-acronym.txt", "Operators meeting\n\nThe 2016 BPF on IXPs looked at growth after the first years.\n",
    ["2016-ixp"], "2017-05-05", "manifest", "acronym-year", manifest_date="2017-05-05")
doc("a04-internet-exchange-points.txt", "Regional plan\n\nThe Best Practice Forum on Internet Exchange Points "
    "(2015) remains the reference for new exchanges.\n", ["2015-ixp"], "2018-08-08", "manifest", "expansion-year",
    manifest_date="2018-08-08")
doc("a05-iot-2019.txt", "Tech policy digest\n\nThe IGF BPF on IoT, Big Data, AI (2019) asked for justified trust.\n",
    ["2019-iot-big-data-ai"], "2020-03-03", "manifest", "acronym-year", manifest_date="2020-03-03")
doc("a06-spam-2015.txt", "Working group minutes\n\nWe compared the 2015 BPF on Spam with national law.\n",
    ["2015-spam"], "2016-02-02", "manifest", "acronym-year", manifest_date="2016-02-02")
doc("a07-local-2018.txt", "Culture ministry memo\n\nThe IGF's 2018 Best Practice Forum on Local Content described "
    "content industries.\n", ["2018-local-content"], "2019-04-04", "manifest", "alias-year",
    manifest_date="2019-04-04")
doc("a08-multistakeholder-2015.txt", "Participation guide\n\nSee the 2015 Best Practice Forum on Multistakeholder "
    "Mechanisms for engagement practices.\n", ["2015-multistakeholder"], "2016-06-06", "manifest", "alias-year",
    manifest_date="2016-06-06")
doc("a09-data-newtech.txt", "Data governance note\n\nThe BPF on Data and New Technologies (IGF 2020) discussed data "
    "flows.\n", ["2020-data-new-tech"], "2021-02-02", "manifest", "alias", manifest_date="2021-02-02")
doc("a10-csirt-2015.txt", "Incident response teams\n\nThe IGF 2015 BPF on CSIRTs documented trust between response "
    "teams.\n", ["2015-csirt"], "2016-01-10", "manifest", "acronym-year", manifest_date="2016-01-10")

# ------------------------------------------------------------------ theme, forum cue and year
doc("y01-theme-year.txt", "Gender desk\n\nThe IGF's 2019 BPF Gender and Access looked at digital economies.\n",
    ["2019-gender"], "2020-01-30", "manifest", "theme-cue-year", manifest_date="2020-01-30")
doc("y02-theme-year-after.txt", "Security roundup\n\nFindings of the Best Practice Forum on cybersecurity of the "
    "IGF in 2017 were presented to ministers.\n", ["2017-cybersecurity"], "2018-03-03", "manifest",
    "theme-cue-year", manifest_date="2018-03-03")
doc("y03-ipv6-2016.txt", "Address planning\n\nThe IPv6 BPF of IGF 2016 studied commercial incentives.\n",
    ["2016-ipv6"], "2017-07-07", "manifest", "theme-cue-year", manifest_date="2017-07-07")
doc("y04-local-2017.html", html("Languages online", [
    "The 2017 IGF Best Practice Forum on Local Content pointed to linguistic diversity."],
    '<meta name="citation_publication_date" content="2018/02/01">'),
    ["2017-local-content"], "2018-02-01", "meta:citation_publication_date", "alias-year")

# ------------------------------------------------------------------ year from a heading or list above
doc("h01-heading-year.txt", "Resources\n\nIGF 2016 intersessional outputs:\n- Best Practice Forum on Cybersecurity\n"
    "- Best Practice Forum on IXPs\n- Best Practice Forum on Gender and Access\n",
    ["2016-cybersecurity", "2016-ixp", "2016-gender"], "2017-02-14", "manifest", "heading-year",
    manifest_date="2017-02-14")
doc("h02-heading-year-md.md", "# Reading list\n\n## 2018\n\n- BPF on Local Content\n- BPF on Gender and Access\n\n"
    "## Other\n\n- A book on radio\n", ["2018-local-content", "2018-gender"], "2019-05-05", "manifest",
    "heading-year", manifest_date="2019-05-05")

# ------------------------------------------------------------------ this year's / last year's
doc("r01-this-year.html", html("Our IGF week", [
    "This year's BPF on Gender and Access asked how community networks help women connect."],
    '<meta property="article:published_time" content="2018-11-20T09:00:00Z">'),
    ["2018-gender"], "2018-11-20", "meta:article:published_time", "this-year")
doc("r02-last-year.html", html("Planning the next forum", [
    "Last year's Best Practice Forum on Cybersecurity focused on culture, norms and values."],
    '<meta name="citation_publication_date" content="2019/03/15">'),
    ["2018-cybersecurity"], "2019-03-15", "meta:citation_publication_date", "last-year")

# ------------------------------------------------------------------ links
doc("l01-link-utm.html", html("Resources on gender", [
    'Read <a href="https://genderit.org/resources/igf-2015-best-practice-forum-online-abuse-and-gender-based-violence-against-women-report/?utm_source=newsletter">the report</a> first.'],
    '<meta property="article:published_time" content="2016-04-04T08:00:00Z">'),
    ["2015-gender"], "2016-04-04", "meta:article:published_time", "link")
doc("l02-link-bare.txt", "Links\n\nhttps://www.intgovforum.org/en/content/bpf-ixps\n", ["2016-ixp"], "2017-09-09",
    "manifest", "link-bare", manifest_date="2017-09-09")
doc("l03-link-http-www.html", html("Security links", [
    'Background: <a href="http://www.intgovforum.org/en/content/bpf-cybersecurity-2016/">BPF page</a>.'],
    '<meta property="article:published_time" content="2017-01-01T08:00:00Z">'),
    ["2016-cybersecurity"], "2017-01-01", "meta:article:published_time", "link")
doc("l04-link-2019.html", html("IoT trust", [
    '<a href="https://media.intgovforum.org/en/content/bpf-internet-of-things-iot-big-data-and-artificial-intelligence-ai-2019#top">Forum page</a>'],
    '<meta property="article:published_time" content="2020-02-20T08:00:00Z">'),
    ["2019-iot-big-data-ai"], "2020-02-20", "meta:article:published_time", "link")

# ------------------------------------------------------------------ dates from the document itself
doc("d01-first-page-date.txt", "Ministry of Digital Affairs (demo)\nNovember 2019\n\nNational strategy\n\nWe adopt "
    "the advice of Cybersecurity Agreements, the IGF Best Practice Forum output of 2019.\n",
    ["2019-cybersecurity"], "2019-11-01", "text:first-page", "title-short-with-cue")
doc("d02-first-page-day.txt", "Geneva, 12 March 2018\n\nStatement\n\nThe Best Practice Forum on IoT, Big Data and AI "
    "(2018) is a useful start.\n", ["2018-iot-big-data-ai"], "2018-03-12", "text:first-page", "alias-year")
doc("d03-url-date.html", html("Blog", ["Notes on the IGF 2017 BPF Gender and Access and its focus on unique needs."]),
    ["2017-gender"], "2018-06-07", "url", "theme-cue-year", url="https://blog.example/2018/06/07/notes")
doc("d04-pdf-xmp.pdf", None, ["2015-gender"], "2017-06-20", "pdf:xmp", "alias-year", pdf=dict(
    title="Submission on online violence", author="", created=None, xmp="2017-06-20T10:00:00Z",
    paragraphs=["This submission draws on the 2015 BPF on Online Abuse and Gender-Based Violence Against Women."]))
doc("d05-pdf-first-page.pdf", None, ["2016-cybersecurity"], "2017-10-01", "pdf:first-page", "title", pdf=dict(
    title="Annual review", author="", created=None, xmp=None,
    paragraphs=["October 2017", "Building Confidence and Security in the use of Information and Communications "
                "Technologies (ICTs) through Enhanced Cooperation and Collaboration informed this review."]))
doc("d06-pdf-info.pdf", None, ["2014-multistakeholder"], "2015-03-03", "pdf:CreationDate", "title", pdf=dict(
    title="Participation study", author="Civic Lab (demo)", created="20150303120000Z", xmp=None,
    paragraphs=["We build on Developing Meaningful Multistakeholder Mechanisms from the IGF 2014."]))

# ------------------------------------------------------------------ several outputs, repeated mentions
doc("m01-two-gender.txt", "Timeline\n\nThe 2015 BPF on Gender looked at online abuse; the 2016 BPF on Gender at "
    "access barriers; the 2015 BPF on Gender again framed our work.\n", ["2015-gender", "2016-gender"], "2017-04-04",
    "manifest", "repeated", manifest_date="2017-04-04")
doc("m02-ten-times.txt", "Essay\n\n" + " ".join(["Cybersecurity as an enabler of development makes the point."] * 10)
    + "\n", ["2017-cybersecurity"], "2018-05-05", "manifest", "repeated", manifest_date="2018-05-05")

# ------------------------------------------------------------------ theme-level: no year, so no single output
doc("n01-no-year.txt", "Blog\n\nThe BPF on IXPs is a good place to start.\n", [], "2019-09-09", "manifest",
    "theme-level", manifest_date="2019-09-09")
doc("n02-no-year-cyber.txt", "Reading\n\nAnything by the IGF's Best Practice Forum on Cybersecurity is worth reading.\n",
    [], "2020-09-09", "manifest", "theme-level", manifest_date="2020-09-09")

# ------------------------------------------------------------------ traps: must cite nothing
doc("x01-ebpf.txt", "Kernel tracing\n\nWith eBPF and the BPF verifier we filter packets; the 2019 BPF bytecode "
    "changes improved cybersecurity monitoring.\n", trap=True, form="trap-ebpf", published="2020-01-01",
    published_from="manifest", manifest_date="2020-01-01")
doc("x02-berkeley.txt", "Networking 101\n\nThe Berkeley Packet Filter (BPF) of 2016 kernels lets tcpdump select "
    "IPv6 traffic.\n", trap=True, form="trap-bpf", published="2017-01-01", published_from="manifest",
    manifest_date="2017-01-01")
doc("x03-bpf-jit.html", html("JIT notes", ["Our BPF JIT work in 2018 touched the kernel filter path for local "
    "content caches."], '<meta property="article:published_time" content="2018-08-08T08:00:00Z">'),
    trap=True, form="trap-bpf", published="2018-08-08", published_from="meta:article:published_time")
doc("x04-chamber-forum.txt", "Chamber newsletter\n\nThe Best Practices Forum on Cybersecurity hosted by the "
    "Chamber of Commerce in 2016 drew 300 firms.\n", trap=True, form="trap-other-forum", published="2016-10-10",
    published_from="manifest", manifest_date="2016-10-10")
doc("x05-health-forum.txt", "Hospital bulletin\n\nOur Best Practice Forum on Gender and Access to health care met "
    "in 2019.\n", trap=True, form="trap-other-forum", published="2019-10-10", published_from="manifest",
    manifest_date="2019-10-10")
doc("x06-theme-words.txt", "Company report\n\nIn 2016 we invested in cybersecurity, local content and IPv6 "
    "adoption.\n", trap=True, form="trap-theme-words", published="2017-02-02", published_from="manifest",
    manifest_date="2017-02-02")
doc("x07-ixp-market.txt", "Market study\n\nInternet exchange points grew fast in 2015; IXPs in Africa doubled.\n",
    trap=True, form="trap-theme-words", published="2016-03-03", published_from="manifest",
    manifest_date="2016-03-03")
doc("x08-agreements.txt", "Diplomacy brief\n\nBilateral cybersecurity agreements signed in 2019 cover incident "
    "sharing.\n", trap=True, form="trap-short-title", published="2020-04-04", published_from="manifest",
    manifest_date="2020-04-04")
doc("x09-igf-no-bpf.txt", "Travel report\n\nI attended the Internet Governance Forum 2015 in João Pessoa and enjoyed "
    "the main sessions on gender and access.\n", trap=True, form="trap-theme-words", published="2015-12-12",
    published_from="manifest", manifest_date="2015-12-12")
doc("x10-child-online.txt", "School letter\n\nOnline child protection matters; in 2014 our school adopted a "
    "policy.\n", trap=True, form="trap-short-title", published="2014-10-10", published_from="manifest",
    manifest_date="2014-10-10")
doc("x11-local-content-tv.txt", "Broadcast rules\n\nThe 2018 local content quota applies to television.\n",
    trap=True, form="trap-theme-words", published="2018-09-09", published_from="manifest",
    manifest_date="2018-09-09")
doc("x12-spam-filter.txt", "Mail admin\n\nUnsolicited communications rose in 2015; our spam filter blocked most.\n",
    trap=True, form="trap-theme-words", published="2016-01-01", published_from="manifest", manifest_date="2016-01-01")
doc("x13-best-practice-generic.txt", "Engineering handbook\n\nBest practice for IPv6 adoption in 2016: dual "
    "stack first.\n", trap=True, form="trap-theme-words", published="2017-01-05", published_from="manifest",
    manifest_date="2017-01-05")
doc("x14-bpf-abbrev-other.txt", "Finance glossary\n\nBPF: basis point fee. In 2017 the BPF on cybersecurity "
    "insurance products fell.\n", trap=True, form="trap-bpf-defined-otherwise",
    published="2018-01-01", published_from="manifest", manifest_date="2018-01-01")
doc("x15-data-tech.txt", "Startup pitch\n\nData and new technologies in 2020 changed retail.\n", trap=True,
    form="trap-theme-words", published="2020-11-11", published_from="manifest", manifest_date="2020-11-11")
doc("x16-multistakeholder.txt", "Governance essay\n\nMultistakeholder mechanisms were debated in 2014 across "
    "many bodies.\n", trap=True, form="trap-theme-words", published="2015-05-05", published_from="manifest",
    manifest_date="2015-05-05")
doc("x17-gender-stats.txt", "Statistics office\n\nGender and access gaps narrowed in 2018 according to our "
    "survey.\n", trap=True, form="trap-theme-words", published="2019-05-05", published_from="manifest",
    manifest_date="2019-05-05")
doc("x18-xdp.html", html("XDP and BPF", ["XDP programs and BPF maps in 2017 let us drop IXP attack traffic."],
    '<meta property="article:published_time" content="2017-12-12T08:00:00Z">'), trap=True, form="trap-bpf",
    published="2017-12-12", published_from="meta:article:published_time")
doc("x19-certs-vendor.txt", "Vendor blog\n\nOur CERTs course 2014 edition trains incident handlers.\n", trap=True,
    form="trap-theme-words", published="2014-06-06", published_from="manifest", manifest_date="2014-06-06")
doc("x20-summit-best-practices.txt", "Summit agenda\n\nThe Best Practices Forum on IXPs, a vendor summit in 2016, "
    "sold switching gear.\n", trap=True, form="trap-other-forum", published="2016-06-06", published_from="manifest",
    manifest_date="2016-06-06")
doc("x21-iot-gadgets.txt", "Gadget review\n\nIoT, big data and AI in 2018 made our fridge smarter.\n", trap=True,
    form="trap-theme-words", published="2018-12-24", published_from="manifest", manifest_date="2018-12-24")
doc("x22-igf1.txt", "Clinical note\n\nIGF-1 (insulin-like growth factor 1) trials in 2016 looked at gender and "
    "access to care.\n", trap=True, form="trap-igf-otherwise", published="2017-03-03", published_from="manifest",
    manifest_date="2017-03-03")
doc("x23-itu-forum.txt", "Regulators' newsletter\n\nAt the ITU Best Practices Forum on IPv6 in 2016, regulators "
    "compared roadmaps.\n", trap=True, form="trap-other-forum", published="2016-11-11", published_from="manifest",
    manifest_date="2016-11-11")
doc("x24-igf-ai.txt", "Conference diary\n\nAt IGF 2019 many sessions discussed AI ethics and IoT security.\n",
    trap=True, form="trap-igf-theme", published="2019-12-01", published_from="manifest", manifest_date="2019-12-01")
doc("x25-igf-cyber.txt", "Delegation report\n\nAt the IGF in 2016 we spoke about cybersecurity norms with "
    "ministers.\n", trap=True, form="trap-igf-theme", published="2016-12-20", published_from="manifest",
    manifest_date="2016-12-20")
doc("a11-incident-teams.txt", "Training plan\n\nThe 2014 BPF on incident response teams is our starting point.\n",
    ["2014-csirt"], "2015-01-15", "manifest", "theme-expansion-year", manifest_date="2015-01-15")
doc("a12-iot-acronym.txt", "Procurement note\n\nWe follow the IoT BPF of 2019 on justified trust.\n",
    ["2019-iot-big-data-ai"], "2020-05-05", "manifest", "theme-acronym-year", manifest_date="2020-05-05")


# ------------------------------------------------------------------ forms seen in real writing (issue 13)
# Each form of citation found on third-party pages, written again in our own words, with a trap that uses the
# same words without citing. Sites and people are invented.
# 1. enumerations carrying the forum and the year for every item
doc("f01-enumeration-2016.txt", "Regional digest\n\nThe 2016 BPFs published drafts on cybersecurity, gender and "
    "access, IXPs and IPv6, and asked the community for comments.\n",
    ["2016-cybersecurity", "2016-gender", "2016-ixp", "2016-ipv6"], form="enumeration")
doc("f02-enumeration-paraphrase.txt", "Chapter newsletter\n\nIn 2015 the IGF's Best Practice Forums covered six "
    "areas: 1) fighting spam; 2) incident response teams; 3) exchange points; 4) the abuse of women online; 5) "
    "getting IPv6 adopted; 6) stronger multistakeholder participation.\n",
    ["2015-spam", "2015-csirt", "2015-ixp", "2015-gender", "2015-ipv6", "2015-multistakeholder"],
    form="enumeration")
doc("f03-enumeration-lead-in.txt", "Members' bulletin\n\nThe IGF ran five Best Practice Forums in 2014:\n\n"
    "- online child protection\n- regulation and mitigation of unsolicited communications\n"
    "- establishing incident response teams\n- local content\n- multistakeholder mechanisms\n",
    ["2014-child-protection", "2014-spam", "2014-csirt", "2014-local-content", "2014-multistakeholder"],
    form="enumeration")
doc("z01-topics-no-forum.txt", "Summit programme\n\nIn 2016 the summit covered cybersecurity, gender and access, "
    "IXPs and IPv6.\n", form="trap", trap=True)
# 2. the document's own subject
doc("f04-subject-page.txt", "BPF on Gender and Access\n\nThis page follows the forum through 2017. The BPF met "
    "every month, and the 2017 output looked at the needs of women in diverse communities. This year's report "
    "will be presented in Geneva.\n", ["2017-gender"], form="subject")
doc("f05-subject-transcript.txt", "IGF 2017 – BPF Cybersecurity\n\n>> MODERATOR: Welcome, everyone. Today the "
    "forum presents its output document. It builds on what we did in 2016, when we looked at how cooperation "
    "builds confidence.\n", ["2017-cybersecurity", "2016-cybersecurity"], form="subject")
doc("z02-subject-later-bpf.txt", "BPF Cybersecurity 2021\n\nThe BPF met in Katowice. This year's report maps "
    "the norms that states agreed.\n", form="trap", trap=True)
# 3. a theme's history with years
doc("f06-theme-history.txt", "About us\n\nSince 2015 the BPF on Gender and Access has looked at online abuse "
    "(2015), access barriers (2016), the needs of diverse communities of women (2017) and community networks "
    "(2018).\n", ["2015-gender", "2016-gender", "2017-gender", "2018-gender"], form="theme-history")
doc("f07-history-it.txt", "BPF Gender and Access\n\nIn 2016, it looked at the barriers that keep women offline. "
    "In 2015, it gathered cases of online abuse.\n", ["2016-gender", "2015-gender"], form="theme-history")
doc("z03-history-no-forum.txt", "Lab history\n\nSince 2015 our lab has looked at online abuse (2015), access "
    "barriers (2016) and community networks (2018).\n", form="trap", trap=True)
# 4. year ranges and relative years
doc("f08-year-range.txt", "Working paper\n\nIn 2014-2015 the BPF worked on spam and on incident response teams.\n",
    ["2014-spam", "2015-spam", "2014-csirt", "2015-csirt"], form="year-range")
doc("f09-last-year.txt", "Operators' blog\n\nLast year the BPF on IXPs published its findings on regional "
    "exchange points.\n", ["2016-ixp"], "2017-03-01", "manifest", "relative-year", manifest_date="2017-03-01")
doc("f10-past-two-years.txt", "BPF Local Content\n\nOver the past two years the forum has documented how "
    "upheaval erases local archives and languages.\n", ["2018-local-content", "2019-local-content"], "2019-12-10",
    "manifest", "relative-year", manifest_date="2019-12-10")
doc("z04-past-two-years.txt", "Team update\n\nOver the past two years we moved our servers twice and hired a "
    "gender and access specialist.\n", published="2017-06-01", published_from="manifest", form="trap", trap=True,
    manifest_date="2017-06-01")
# 5. meetings standing for years
doc("f11-meeting-city.txt", "Trip report\n\nAt the BPF in Paris, the forum on cybersecurity discussed culture "
    "and norms.\n", ["2018-cybersecurity"], form="meeting")
doc("f12-meeting-edition.txt", "Notes\n\nAt the 11th IGF, the Best Practice Forum on IXPs presented its "
    "findings.\n", ["2016-ixp"], form="meeting")
doc("f13-meeting-glued.txt", "Diary\n\nIGF2019 in Berlin hosted the BPF on Local Content.\n",
    ["2019-local-content"], form="meeting")
doc("z05-meeting-city.txt", "Travel notes\n\nThe best practice seminar in Paris covered cybersecurity norms for "
    "banks.\n", form="trap", trap=True)
# 6. shortened titles
doc("f14-title-cut.txt", "Policy memo\n\nThe report Regulation and Mitigation of Unsolicited Communications (2014) "
    "is still useful.\n", ["2014-spam"], form="title-short")
doc("f15-title-opening.txt", "Syllabus\n\nWeek 3 reads online abuse and gender-based violence (2015).\n",
    ["2015-gender"], form="title-short")
doc("f16-title-acronyms.txt", "Briefing\n\nThe BPF on IoT, Big Data and AI (2018) stressed trust by design.\n",
    ["2018-iot-big-data-ai"], form="title-short")
doc("z06-title-opening-generic.txt", "Strategy\n\nCreating an enabling environment for growth is the aim of our "
    "2015 plan.\n", form="trap", trap=True)
# 7. the forum spelled out, and misspelt
doc("f17-forum-spelled.txt", "Digest\n\nThe IGF's Best Practices Forums on cybersecurity and gender met in 2017.\n",
    ["2017-cybersecurity", "2017-gender"], form="forum-spelled")
doc("f18-forum-misspelt.txt", "Mailing list\n\nThe IGF Best Practice Fortum on IPv6 (2016) asked operators for "
    "case studies.\n", ["2016-ipv6"], form="forum-spelled")
doc("z07-forum-chamber.txt", "Chamber news\n\nThe Best Practices Forums on cybersecurity and gender hosted by the "
    "chamber met in 2017.\n", form="trap", trap=True)
# 8. outputs citing outputs: the 2016 IXP output (at its URL) names the 2015 one
doc("f19-output-cites-output.txt", "Contributing to the success and continued development of Internet exchange "
    "points\n\nThis output builds on the 2015 BPF on IXPs, which focused on enabling environments.\n",
    ["2016-ixp", "2015-ixp"], form="output-cites-output", url="https://www.intgovforum.org/en/content/bpf-ixps")
# 9. other languages
doc("f20-spanish.txt", "Boletín\n\nPublicado el 3 de marzo de 2017\n\nEn 2016, el Foro de Buenas Prácticas del "
    "IGF sobre ciberseguridad publicó su informe final.\n", ["2016-cybersecurity"], "2017-03-03", "text:first-page",
    "other-language")
doc("f21-french.txt", "Lettre d'information\n\nPublié le 12 février 2019\n\nL'année dernière, le forum de "
    "bonnes pratiques du FGI sur la cybersécurité a publié ses normes.\n", ["2018-cybersecurity"], "2019-02-12",
    "text:first-page", "other-language")
doc("f22-portuguese.txt", "Notícia\n\nEm 2017, o Fórum de Boas Práticas do Fórum de Governança da Internet sobre "
    "conteúdo local publicou o relatório.\n", ["2017-local-content"], form="other-language")
doc("z08-igf-mining.txt", "Mining review\n\nThe IGF (Intergovernmental Forum on Mining) published guidance on "
    "local content in 2018, and the IGF secretariat met ministers.\n", form="trap", trap=True)
# other bodies' best practices, later BPFs, a BPF that never ran
doc("z09-gfce-good-practices.txt", "Capacity note\n\nThe GFCE's good practices on cybersecurity capacity (2018) "
    "guide our donors.\n", form="trap", trap=True)
doc("z10-later-bpf.txt", "Session report\n\nThe 2021 BPF on Cybersecurity mapped the use of norms, and the 2022 "
    "BPF on Cybersecurity tested them.\n", form="trap", trap=True)
doc("z11-never-ran.txt", "MAG notes\n\nA BPF on blockchain was proposed in 2018 but never ran.\n", form="trap",
    trap=True)
doc("z12-itu-consultation.txt", "Regulators' circular\n\nThe ITU consultation on best practices for IXPs in 2016 "
    "drew forty replies.\n", form="trap", trap=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    manifest = [("path", "url", "title", "publisher", "published", "sector", "country")]
    for d in DOCS:
        path = os.path.join(OUT, d["name"])
        if d["pdf"]:
            p = d["pdf"]
            write_pdf(path, p["title"], p["author"], p["created"], p["paragraphs"], xmp_date=p.get("xmp"))
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(d["body"])
        if d["url"] or d["manifest_date"] or d["publisher"] or d["sector"] or d["country"]:
            manifest.append((d["name"], d["url"], "", d["publisher"], d["manifest_date"], d["sector"], d["country"]))
    with open(os.path.join(OUT, "manifest.csv"), "w", encoding="utf-8", newline="\n") as f:
        for row in manifest:
            f.write(",".join(row) + "\n")
    with open(os.path.join(HERE, "expected.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# What each document of the labelled set cites (written by tests/labelled/generate.py from the\n"
                "# design of each document). `form` names the citation form; traps cite nothing.\n")
        for d in DOCS:
            f.write(f'\n[[doc]]\npath = "{d["name"]}"\nform = "{d["form"]}"\n')
            f.write("cites = [" + ", ".join(f'"{c}"' for c in d["cites"]) + "]\n")
            if d["trap"]:
                f.write("trap = true\n")
            if d["published"]:
                f.write(f'published = "{d["published"]}"\npublished_from = "{d["published_from"]}"\n')
    traps = sum(d["trap"] for d in DOCS)
    print(f"{len(DOCS)} documents, {traps} traps, {sum(len(d['cites']) for d in DOCS)} expected pairs")


if __name__ == "__main__":
    main()
