//! A minimal PDF writer for the benchmark: pages of text lines in a standard font, with the `fi` and `fl`
//! ligature glyphs mapped through an encoding's `/Differences` (as typesetting programs do), so that
//! extraction meets the artefacts of real PDFs.

/// One byte per character: Latin-1 as is, the two ligatures as codes 1 and 2, anything else as `?`.
fn encode(line: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in line.chars() {
        let b = match c {
            'ﬁ' => 1,
            'ﬂ' => 2,
            c if (c as u32) < 256 => c as u32 as u8,
            _ => b'?',
        };
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            32..=126 => out.push(b),
            _ => out.extend(format!("\\{b:03o}").bytes()),
        }
    }
    out
}

/// A PDF whose pages hold the given lines, top to bottom.
pub fn write(pages: &[Vec<String>]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let n = pages.len();
    // 1 catalog, 2 pages, 3 font, 4 encoding, then (page, content) pairs
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects
        .push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding 4 0 R >>".to_vec());
    objects.push(
        b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >>".to_vec(),
    );
    for (i, lines) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> \
                 /Contents {} 0 R >>",
                6 + 2 * i
            )
            .into_bytes(),
        );
        let mut content = b"BT /F1 10 Tf 12 TL 60 740 Td\n".to_vec();
        for line in lines {
            content.push(b'(');
            content.extend(encode(line));
            content.extend(b") Tj T*\n");
        }
        content.extend(b"ET");
        let mut obj = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        obj.extend(content);
        obj.extend(b"\nendstream");
        objects.push(obj);
    }
    assemble(&objects)
}

/// A PDF file of the given objects (numbered from 1; object 1 is the catalog), with its cross-reference table.
pub fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}
