//! Hostile documents: each is refused or read within bounds with its reason logged, and the run goes on with the
//! good document beside them. The inputs are built here: a PDF decompression bomb (a 64 MB content stream in
//! about 64 KB), a PDF whose page tree contains itself, HTML nested 100,000 elements deep (and one just under the limit), a text of two million
//! one-letter words, and a file over the source's `max_bytes`.

use std::io::Write;

use super::{describe, s, uptake, write_config};

fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    crate::pdf::assemble(objects)
}

fn bomb() -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        z.write_all(&chunk).unwrap();
    }
    let data = z.finish().unwrap();
    let mut stream = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        data.len()
    )
    .into_bytes();
    stream.extend(&data);
    stream.extend(b"\nendstream");
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        stream,
    ])
}

fn page_tree_loop() -> Vec<u8> {
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Loop page text) Tj ET\nendstream"
            .to_vec(),
    ])
}

#[test]
fn hostile_documents_are_refused_or_read_within_bounds_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("bomb.pdf"), bomb()).unwrap();
    std::fs::write(corpus.join("loop.pdf"), page_tree_loop()).unwrap();
    let deep = format!(
        "<html><head><title>Deep</title></head><body>{}deep text at the bottom{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    std::fs::write(corpus.join("deep.html"), deep).unwrap();
    let limit = uptake::extract::MAX_HTML_DEPTH - 2;
    let nested = format!(
        "<html><head><title>Nested</title></head><body>{}deep text at the bottom{}</body></html>",
        "<div>".repeat(limit),
        "</div>".repeat(limit)
    );
    std::fs::write(corpus.join("nested.html"), nested).unwrap();
    let letters: String = (0..2_000_000)
        .map(|i| ((b'a' + (i % 26) as u8) as char).to_string() + " ")
        .collect();
    std::fs::write(corpus.join("letters.txt"), letters).unwrap();
    std::fs::write(corpus.join("huge.txt"), vec![b'x'; 6 << 20]).unwrap();
    std::fs::write(
        corpus.join("good.txt"),
        "The Best Practice Forum on IXPs (IGF 2015) is cited here.",
    )
    .unwrap();
    let cfg = write_config(
        tmp.path(),
        &format!(
            "catalogue = {:?}\n[[source]]\nname = \"hostile\"\nkind = \"dir\"\npath = \"corpus\"\nmax_bytes = {}\n",
            super::catalogue(),
            5 << 20
        ),
    );
    let out = tmp.path().join("out");
    let o = uptake(&[
        "run",
        "--config",
        s(&cfg),
        "--out",
        s(&out),
        "--report-dir",
        s(&tmp.path().join("r")),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bomb.pdf") && err.contains("decompresses to more than 32 MB"),
        "{err}"
    );
    assert!(
        err.contains("loop.pdf") && err.contains("no text could be extracted"),
        "{err}"
    );
    assert!(err.contains("huge.txt"), "{err}");
    assert!(
        err.contains("deep.html") && err.contains("elements nested 100002 deep"),
        "{err}"
    );
    // a page nested as deep as the limit allows and the letters are read; the good document is found citing
    // its output
    let docs = uptake::load::read_documents(&out).unwrap();
    let names: Vec<&str> = docs
        .iter()
        .map(|d| d.location.rsplit('/').next().unwrap())
        .collect();
    for n in ["nested.html", "letters.txt", "good.txt"] {
        assert!(names.contains(&n), "{n} not read: {names:?}");
    }
    let deep = docs
        .iter()
        .find(|d| d.location.ends_with("nested.html"))
        .unwrap();
    let text =
        std::fs::read_to_string(uptake::pipeline::doc_text_path(&out, &deep.doc_id)).unwrap();
    assert!(text.contains("deep text at the bottom"));
    let mentions = uptake::load::read_mentions(&out).unwrap();
    let good = docs
        .iter()
        .find(|d| d.location.ends_with("good.txt"))
        .unwrap();
    assert!(mentions
        .iter()
        .any(|m| m.doc_id == good.doc_id && m.output_id == "2015-ixp"));
}
