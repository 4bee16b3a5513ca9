#!/usr/bin/env python3
"""Writes the bundled demo corpus (data/demo/corpus) from the texts below.

Every document here is DEMO TEXT written for uptake: organisations and sites are invented (".example" domains),
and the reused passages come from the demo output texts in data/demo/outputs. Run it again after editing:

    python3 data/demo/generate.py

The corpus is committed, so running uptake never needs Python.
"""
import os
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
OUTPUTS = os.path.join(HERE, "outputs")


def output_paragraph(output_id, starts_with):
    with open(os.path.join(OUTPUTS, output_id + ".txt"), encoding="utf-8") as f:
        for para in f.read().split("\n\n"):
            if para.strip().startswith(starts_with):
                return para.strip()
    raise SystemExit(f"no paragraph of {output_id} starts with {starts_with!r}")


def edit(text, replacements):
    for old, new in replacements:
        if old not in text:
            raise SystemExit(f"cannot edit: {old!r} not in {text[:60]!r}")
        text = text.replace(old, new, 1)
    return text


def html_page(site, title, body, meta="", lang="en", charset="utf-8", head_extra=""):
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="{charset}">
<title>{title} | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{meta}
<link rel="stylesheet" href="/assets/site.css">
<style>body {{ font-family: Georgia, serif; }} .cookie {{ position: fixed; }}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
{head_extra}
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{site}</a>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/about/">About us</a></li>
  <li><a href="/contact/">Contact</a></li></ul></nav>
</header>
<div class="cookie" role="dialog">We use cookies to improve your experience. <button>Accept</button></div>
<main>
<article>
<h1>{title}</h1>
{body}
</article>
</main>
<aside class="sidebar"><h2>Most read</h2><ul><li><a href="/news/other">Other news of the week</a></li></ul></aside>
<footer><p>&copy; {site}. All rights reserved.</p><nav><a href="/privacy/">Privacy</a> <a href="/terms/">Terms</a></nav></footer>
<script src="/assets/analytics.js"></script>
</body>
</html>
"""


def paras(*ps):
    return "\n".join(f"<p>{p}</p>" for p in ps)


def pdf_escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path, title, author, created, paragraphs, xmp_date=None):
    """A one- or two-page PDF with Helvetica text and an Info dictionary, written by hand; `created` (without
    "D:") may be None, and `xmp_date` adds an XMP metadata stream carrying xmp:CreateDate."""
    lines = []
    for p in paragraphs:
        lines.extend(textwrap.wrap(p, 88) or [""])
        lines.append("")
    pages = [lines[i:i + 48] for i in range(0, len(lines), 48)]
    objects = []

    def add(obj):
        objects.append(obj)
        return len(objects)

    catalog = add(None)
    pages_id = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page_lines in pages:
        ops = ["BT", "/F1 10 Tf", "14 TL", "56 780 Td"]
        for line in page_lines:
            ops.append(f"({pdf_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()))
    metadata = ""
    if xmp_date:
        packet = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
                  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
                  f'xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>{xmp_date}</xmp:CreateDate>'
                  '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()
        meta_id = add(b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(packet) + packet
                      + b"\nendstream")
        metadata = f" /Metadata {meta_id} 0 R"
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R{metadata} >>".encode()
    objects[pages_id - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                             f"/Count {len(kids)} >>").encode()
    created_entry = f"/CreationDate (D:{created}) " if created else ""
    info = add(f"<< /Title ({pdf_escape(title)}) /Author ({pdf_escape(author)}) "
               f"{created_entry}/Producer (uptake demo generator) >>".encode("cp1252"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    with open(path, "wb") as f:
        f.write(out)


def write(rel, content, encoding="utf-8"):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding=encoding, newline="\n") as f:
        f.write(content)


def main():
    gender_definition = output_paragraph("2015-gender", "For the purposes of this report")
    gender_survivors = output_paragraph("2015-gender", "Survivors described")
    ixp_trust = output_paragraph("2015-ixp", "The experiences gathered")
    ixp_start = output_paragraph("2015-ixp", "Successful exchange points")
    csirt_stats = output_paragraph("2014-csirt", "Incident response teams should publish")
    cyber_follow = output_paragraph("2019-cybersecurity", "Agreements that include")

    # ---------------------------------------------------------------- HTML
    write("html/netops-blog-2014-certs.html", html_page(
        "NetOps Asia Blog", "Best Practice Forum on CERTs at IGF 2014",
        paras(
            "Next week in Istanbul, the Internet Governance Forum will host a session of the Best Practice Forum on "
            "CERTs at IGF 2014, and our team has been contributing case studies from the region.",
            "We hope the discussion moves beyond definitions. Operators in smaller economies need practical help: "
            "templates for incident handling, contacts in neighbouring countries and a way to ask for assistance "
            "without exposing their customers.",
            "If you run a network and have a story to share, the mailing list is open to everyone.",
        ),
        meta='<meta property="og:site_name" content="NetOps Asia Blog">\n'
             '<link rel="canonical" href="https://blog.netops-asia.example/2014/09/12/best-practice-forum-certs/">',
    ))

    write("html/women-online-2016-definition.html", html_page(
        "Women Online Network", "Naming the harm: how a forum defined online abuse",
        paras(
            "When campaigners ask platforms to act, the first obstacle is often vocabulary. What counts as abuse? "
            "One definition has travelled further than most.",
            gender_definition,
            "That wording (Document of the IGF BPF on Online Abuse and Gender-Based Violence Against Women, 2015) "
            "is now quoted in policy submissions on three continents.",
            "It matters because it names technology as a means, not a cause: the violence is old, the tools are new.",
        ),
        meta='<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article", '
             '"headline": "Naming the harm", "datePublished": "2016-03-08", '
             '"publisher": {"@type": "Organization", "name": "Women Online Network"}}</script>',
    ))

    write("html/pacific-ixp-guideline-2021.html", html_page(
        "Pacific Connectivity Partnership", "Operating guideline for exchange points in small island states",
        paras(
            "This guideline draws on regional experience and on two earlier pieces of community work: the IGF Best "
            "Practices Fortum on IXPs (2015), whose findings on trust shaped our approach, and later material "
            "on growth.",
            edit(ixp_trust, [("is rarely the hard part", "is seldom the difficult part"),
                             ("Switches are affordable", "Switches are cheap"),
                             ("that trust takes years", "such trust takes many years")]),
            edit(ixp_start, [("a small group of operators", "a handful of operators"),
                             ("least when they tried", "least when they attempted")]),
            "For growth after launch, members should read the Best Practice Forum on IXPs, IGF 2016, which "
            "collected the experience of exchange points in their second decade.",
        ),
        meta='<meta name="citation_title" content="Operating guideline for exchange points in small island states">\n'
             '<meta name="citation_publication_date" content="2021/05/17">\n'
             '<meta name="citation_publisher" content="Pacific Connectivity Partnership">',
    ))

    write("html/ecommerce-week-2016.html", html_page(
        "Trade and Development Weekly", "E-Commerce Week 2016: what we heard on infrastructure",
        paras(
            "The infrastructure track opened with the key findings of the 2015 BPF 'Creating an enabling "
            "environment for IPv6 adoption', presented by one of its contributors.",
            "Delegates asked how governments can encourage deployment without mandating it. The answer offered "
            "was procurement: public tenders that require support for the new protocol move the market.",
        ),
        meta='<meta property="article:published_time" content="2016-04-20T09:30:00+02:00">\n'
             '<meta property="og:site_name" content="Trade and Development Weekly">',
    ))

    write("html/incident-teams-governance.html", html_page(
        "Forum of Incident Teams", "Governance and policy engagement",
        paras(
            "Our members take part in policy discussions where incident response is at stake.",
            "In 2014 the Internet Governance Forum ran a Best Practices Forum on Establishing Computer Security "
            "Incident Response teams for Internet Security, to which our members contributed extensively.",
            "We continue to brief policy makers on what incident teams can and cannot do.",
        ),
        meta='<meta property="og:site_name" content="Forum of Incident Teams">',
    ))

    write("html/advocacy-annual-report-2017.html", html_page(
        "Advocacy Network for Communications", "Annual report 2017: women's rights online",
        paras(
            "In 2017, the Network co-facilitated the IGF Best Practice Forum on Gender and Access, which this "
            "year looked at the needs of women from diverse communities.",
            "We also ran twelve training workshops and published four research papers.",
        ),
        meta='<meta property="og:site_name" content="Advocacy Network for Communications">',
        head_extra="",
    ).replace("<h1>", '<p class="byline"><time datetime="2017-12-15">15 December 2017</time></p>\n<h1>'))

    write("html/trap-ebpf-tracing.html", html_page(
        "Kernel Notes", "Tracing IPv6 traffic with BPF",
        paras(
            "The Berkeley Packet Filter lets you attach small programs to kernel hooks. In 2016 the BPF IPv6 "
            "filters we wrote for the IGF lab network, a test bed named after the Internet Governance Forum "
            "room it sat in, were rewritten for eBPF.",
            "Best practice: keep each BPF program small, verify it, and measure its cost per packet.",
        ),
        meta='<meta name="DC.date" content="2019-02-11">',
    ))

    write("html/trap-chamber-forum-2017.html", html_page(
        "Metro Chamber of Commerce", "Cybersecurity Best Practices Forum 2017",
        paras(
            "The Chamber's annual Best Practices Forum on Cybersecurity took place on 3 May 2017 with 200 small "
            "business owners.",
            "Speakers covered password managers, backups and phishing drills. The Best Practice Forum on Local "
            "Content for retailers follows in 2018.",
        ),
        meta='<meta name="dcterms.issued" content="2017-05-04">',
    ))

    write("html/news-2016-11-ixp.html", html_page(
        "Regional Internet News", "Exchange points: a forum looks at the next decade",
        paras(
            "Operators gathered in Guadalajara for the Best Practice Forum on IXPs, IGF 2016, to compare notes on "
            "how exchange points grow once the first members are connected.",
            'The <a href="https://www.intgovforum.org/en/content/bpf-ixps/?utm_source=newsletter">forum\'s page</a> '
            "collects the contributions.",
        ),
        meta='<link rel="canonical" href="https://news.region-net.example/2016/11/exchange-points-next-decade">',
    ))

    write("html/oewg-briefing-2020.html", html_page(
        "Cyber Diplomacy Briefings", "What the OEWG heard from the multistakeholder community",
        paras(
            "Among the inputs to the working group were the findings of the 2019 BPF on Cybersecurity, which "
            "studied how signatories implement international agreements.",
            edit(cyber_follow, [("Agreements that include", "Agreements which include"),
                                ("a regular meeting of signatories", "regular meetings of the signatories"),
                                ("a simple form for reporting on progress", "a short reporting template"),
                                ("far more visible implementation", "much more visible implementation"),
                                ("that end with the signature ceremony", "that stop at signature")]),
            "Several delegations cited this point in their statements.",
        ),
        meta='<meta name="dcterms.issued" content="2020-02">\n'
             '<meta property="og:site_name" content="Cyber Diplomacy Briefings">',
    ))

    write("html/contenu-local-latin1.html", html_page(
        "Réseau Francophone du Numérique", "Diversité culturelle et linguistique en ligne",
        paras(
            "Le Best Practice Forum on Local Content de l'IGF 2017 a étudié la diversité culturelle et "
            "linguistique comme moteur de croissance.",
            "Nos membres ont présenté des études de cas sur les médias communautaires et les archives numériques.",
        ),
        meta='<meta property="og:site_name" content="Réseau Francophone du Numérique">\n'
             '<meta name="citation_publication_date" content="2018-01-22">',
        lang="fr", charset="iso-8859-1",
    ), encoding="latin-1")

    write("html/connectivity-women-2019.html", html_page(
        "Community Networks Digest", "Community networks and women's access",
        paras(
            "The report Impact of Supplementary Models of Connectivity in Enabling Meaningful Internet Access for "
            "Women and Gender Non-Binary Persons remains the best survey of community networks from a gender "
            "perspective.",
            "Its case studies from four continents show what changes when women run the network themselves.",
        ),
        meta='<meta property="og:site_name" content="Community Networks Digest">\n'
             '<meta property="article:published_time" content="2019-07-02">',
    ))

    with open(os.path.join(OUTPUTS, "2015-gender.txt"), encoding="utf-8") as f:
        gender_paras = [p.strip() for p in f.read().split("\n\n") if p.strip()]
    write("html/mirror-bpf-gender-2015.html", html_page(
        "DocMirror", "Online Abuse and Gender-Based Violence Against Women",
        paras(*gender_paras[1:]),
        meta='<meta name="citation_publication_date" content="2016-01-10">',
    ))

    write("html/iot-link-2020.html", html_page(
        "Smart Cities Policy Lab", "Reading list: trust in connected devices",
        paras(
            "Before our workshop, please read the forum output on trust in connected devices: "
            '<a href="https://media.intgovforum.org/en/content/bpf-internet-of-things-iot-big-data-and-artificial-'
            'intelligence-ai-2019?utm_medium=email&amp;utm_campaign=reading">the 2019 output</a>.',
            "We will discuss procurement rules for city sensors.",
        ),
        meta='<meta name="citation_publication_date" content="2020-03-02">',
    ))

    write("html/unrelated-news.html", html_page(
        "City Gazette", "New bicycle lanes open downtown",
        paras(
            "The city opened four kilometres of protected bicycle lanes on Monday.",
            "Residents asked for more trees along the route.",
        ),
        meta='<meta property="article:published_time" content="2018-06-01">',
    ))

    write("html/bpf-on-bpfs-commentary-2021.html", html_page(
        "Governance Review", "Do the forums make a difference?",
        paras(
            "The BPF on BPFs report (2020) asked how to measure the uptake of forum outputs, and proposed counting "
            "references, citations and reused text.",
            "Our own reading list for this essay included the BPF Gender and Access 2019 output on participation "
            "in digital economies.",
        ),
        meta='<meta name="citation_publication_date" content="2021-02-15">',
    ))

    # ---------------------------------------------------------------- PDF
    os.makedirs(os.path.join(OUT, "pdf"), exist_ok=True)
    write_pdf(os.path.join(OUT, "pdf", "rapporteur-report-2018.pdf"),
              "Report on online violence against women", "Office of the Special Rapporteur (demo)",
              "20180614120000Z", [
                  "Report of the Special Rapporteur on online violence against women (demo text)",
                  "1. This report drew extensively on the work of the IGF Best Practice Forum on Online Abuse and "
                  "Gender-Based Violence Against Women (2015), and on submissions from States and civil society.",
                  "2. " + edit(gender_survivors, [("faster than any complaint", "more quickly than any complaint"),
                                                  ("on a third service", "on another service"),
                                                  ("Each platform treats", "Every platform treats")]),
                  "3. The Special Rapporteur recommends that States recognise technology-facilitated violence in law.",
              ])
    write_pdf(os.path.join(OUT, "pdf", "csirt-statistics-2015.pdf"),
              "Measuring digital security incidents", "Working Party on Security (demo)", "20150930", [
                  "Measuring digital security incidents: a review of national statistics (demo text)",
                  "The 2014 BPF on CSIRTs made a point that this review shares:",
                  csirt_stats,
                  "Few countries publish such figures today, and those that do use incompatible categories.",
              ])
    write_pdf(os.path.join(OUT, "pdf", "ixp-reference-list-2017.pdf"),
              "Exchange points in landlocked countries", "Connectivity Research Group (demo)", "20171103", [
                  "Exchange points in landlocked countries (demo text)",
                  "Landlocked countries pay more for transit because their traffic crosses at least one border.",
                  "References",
                  "Internet Governance Forum (2016). Contributing to the success and continued development of "
                  "Internet exchange points. Geneva: IGF Secretariat.",
                  "Regional Operators Group (2014). Transit prices survey.",
              ])

    # ---------------------------------------------------------------- text and Markdown
    write("txt/connect-wg-2016.txt",
          "Subject: Call for input: IGF Best Practice Forum on IXPs 2016\n\n"
          "Dear colleagues,\n\nThe IGF Best Practice Forum on IXPs 2016 is collecting experiences from exchange "
          "points that have operated for more than five years. Please send a short case study before the end of "
          "the month.\n\nBest regards,\nThe coordinators\n")
    write("txt/multistakeholder-2017.txt",
          "What if everyone governed? Notes on multistakeholder participation (demo text)\n\n"
          "Section 4 refers to the work of the 2015 BPF on Strengthening Multistakeholder Participation "
          "Mechanisms for examples of conduct that undermines participation.\n")
    write("txt/handbook-2019.md",
          "# Handbook on violence against women in the media (demo text)\n\n"
          "## Further resources\n\n"
          "- The report of the 2015 BPF Online Abuse and Gender-Based Violence Against Women, a resource on "
          "gender-based violence on social media.\n"
          "- National helpline directories.\n")
    write("txt/trap-theme-words.txt",
          "Regional policy roundup, 2018 (demo text)\n\n"
          "Ministers discussed cybersecurity, local content and IPv6 deployment at their 2018 meeting, and agreed "
          "to meet again on gender and access in 2019.\n")
    write("txt/egov-survey-2018.txt",
          "E-Government Survey 2018, chapter 5 (demo text)\n\n"
          "Global initiatives listed in this chapter include the 2017 BPF Cybersecurity, which examined how a "
          "cybersecurity strategy helps ICTs contribute to development.\n")
    write("txt/spam-notes-2015.txt",
          "Anti-spam working group, meeting notes (demo text)\n\n"
          "We reviewed Regulation and Mitigation of Unsolicited Communications (2015), the IGF forum output, and "
          "agreed to translate its checklist.\n")
    write("txt/child-protection-2014.md",
          "# Child safety online: a reading list (demo text)\n\n"
          "The IGF 2014 Best Practice Forum on Online Child Protection gathered hotline operators and educators.\n")
    write("txt/iot-briefing-2018.txt",
          "Briefing for the digital committee (demo text)\n\n"
          "The BPF IoT, Big Data, AI 2018 output argues that trust must be designed into connected products.\n")

    # ---------------------------------------------------------------- second-order ripple
    # These cite no BPF output. They link to documents that do, so the ripple reaches them: generation 2 (they
    # link to a direct citer) and generation 3 (it links to a generation-2 document).
    write("html/policy-digest-2017.html", html_page(
        "Policy Digest", "What we read this spring",
        paras(
            "Our reading list for May opens with a short essay on vocabulary: "
            '<a href="https://women-online.example/naming-the-harm">Naming the harm</a> explains why one '
            "definition of online abuse keeps being quoted by campaigners and regulators.",
            "We also recommend two long reads on platform accountability and a podcast on digital rights in "
            "schools.",
        ),
        meta='<meta property="article:published_time" content="2017-05-10T08:00:00Z">\n'
             '<meta property="og:site_name" content="Policy Digest">',
    ))
    write("txt/course-reading-2019.md",
          "# Course reading: technology and gender (demo text)\n\n"
          "Week 3 starts from a press digest that collected the early debate: "
          "https://policy-digest.example/2017/05/what-we-read\n\n"
          "Students summarise the arguments and compare them with the national law of their choice.\n")
    write("html/island-ministers-2022.html", html_page(
        "Ministry of Communications", "Ministers endorse a regional exchange point plan",
        paras(
            "Ministers meeting in March endorsed a plan for a regional exchange point, following the "
            '<a href="https://pcp.example/docs/ixp-guideline-2021">operating guideline for exchange points</a> '
            "published by the partnership last year.",
            "The plan sets out a neutral host, a shared cost model and a timetable for the first two members.",
        ),
        meta='<meta name="citation_publication_date" content="2022/03/15">\n'
             '<meta property="og:site_name" content="Ministry of Communications">',
    ))

    # ---------------------------------------------------------------- the IGF's own pages
    # Invented pages at intgovforum.org URLs (given in the manifest): the organisation's own follow-up of its
    # outputs. The catalogue lists intgovforum.org in `own_sites`, so they are detected and listed apart, never
    # counted as uptake.
    write("html/igf-bpf-gender-session-2016.html", html_page(
        "Internet Governance Forum", "BPF Gender and Access: main session summary",
        paras(
            "The Best Practice Forum on Gender and Access presented its output, Overcoming Barriers to Enable "
            "Women’s Meaningful Internet Access, in a main session on the third day of the annual meeting.",
            "Panellists walked through the barriers the forum had surveyed: cost, skills, safety and the lack of "
            "content that speaks to women's own needs. The report and the survey results are on "
            '<a href="https://www.intgovforum.org/en/content/bpf-gender-and-access-2016">the forum\'s page</a>.',
            "Speakers from the floor asked the forum to publish its drafts earlier, so that more communities can "
            "comment on them before the meeting.",
        ),
        meta='<meta property="og:site_name" content="Internet Governance Forum">',
    ))
    write("txt/igf-transcript-2019-bpf-cybersecurity.txt",
          "Session transcript: Best Practice Forum on Cybersecurity (demo text)\n\n"
          "MODERATOR: Good morning, and welcome. Before we start, a word on where we come from. The forum's "
          "report Cybersecurity Culture, Norms and Values collected the norms that stakeholders already follow, "
          "and many of you contributed to it.\n\n"
          "PANELLIST: Thank you. Our members asked us to look next at how agreements are carried out once they "
          "are signed, and that is what the contributions on the table today describe.\n\n"
          "MODERATOR: We have forty minutes. Please keep your interventions to three minutes.\n")

    manifest = [
        ("path", "url", "title", "publisher", "published", "sector", "country"),
        ("html/netops-blog-2014-certs.html", "", "", "", "", "technical community", "SG"),
        ("html/women-online-2016-definition.html", "https://women-online.example/naming-the-harm", "", "", "",
         "civil society", "ZA"),
        ("html/pacific-ixp-guideline-2021.html", "https://pcp.example/docs/ixp-guideline-2021", "", "", "",
         "intergovernmental", "FJ"),
        ("html/incident-teams-governance.html", "https://incident-teams.example/global/governance", "", "", "",
         "technical community", "US"),
        ("html/advocacy-annual-report-2017.html", "", "", "", "", "civil society", "ZA"),
        ("html/mirror-bpf-gender-2015.html", "https://docmirror.example/doc/online-abuse-2015", "", "DocMirror", "",
         "", ""),
        ("pdf/rapporteur-report-2018.pdf", "https://rapporteur.example/reports/2018-online-violence.pdf", "", "",
         "", "intergovernmental", "CH"),
        ("pdf/csirt-statistics-2015.pdf", "", "", "", "", "intergovernmental", "CH"),
        ("txt/connect-wg-2016.txt", "https://lists.operators.example/connect-wg/2016-05/msg00012.html", "",
         "Operators Mailing Lists", "2016-05-09", "technical community", "NL"),
        ("txt/multistakeholder-2017.txt", "", "", "Education and Culture Agency (demo)", "2017-06",
         "intergovernmental", "FR"),
        ("txt/handbook-2019.md", "", "", "Media Handbook Project (demo)", "2019", "intergovernmental", "FR"),
        ("txt/egov-survey-2018.txt", "", "E-Government Survey 2018", "Public Administration Division (demo)",
         "2018-07-19", "intergovernmental", "US"),
        ("txt/spam-notes-2015.txt", "", "", "Anti-Spam Working Group (demo)", "2015-12-02", "technical community", "DE"),
        ("txt/child-protection-2014.md", "", "", "Child Safety Coalition (demo)", "2014-11-20", "civil society", "GB"),
        ("txt/iot-briefing-2018.txt", "", "", "Parliamentary Research Service (demo)", "2018-12-03", "government", "BE"),
        ("html/policy-digest-2017.html", "https://policy-digest.example/2017/05/what-we-read", "", "", "", "media",
         "KE"),
        ("txt/course-reading-2019.md", "", "", "Open University of the Coast (demo)", "2019-09-02", "academia", "GH"),
        ("html/island-ministers-2022.html", "https://moc.example/news/2022/regional-ixp", "", "", "", "government",
         "TO"),
        ("html/igf-bpf-gender-session-2016.html",
         "https://www.intgovforum.org/en/content/bpf-gender-and-access-main-session-summary-2016", "", "",
         "2016-12-08", "", ""),
        ("txt/igf-transcript-2019-bpf-cybersecurity.txt",
         "https://www.intgovforum.org/en/content/igf-2019-bpf-cybersecurity-session-transcript", "", "",
         "2019-11-27", "", ""),
    ]
    with open(os.path.join(OUT, "manifest.csv"), "w", encoding="utf-8", newline="\n") as f:
        for row in manifest:
            f.write(",".join(f'"{c}"' if "," in c else c for c in row) + "\n")


if __name__ == "__main__":
    main()
