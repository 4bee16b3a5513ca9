//! Charts drawn with plotters. One list of [`Chart`]s is built from the report input; the `Charts` format writes
//! each as SVG and PNG (for slides) and `index.html` inlines the same SVG. The charts: citing documents per output,
//! small multiples of every output's ripple curve, a heat map output × year, sector shares, and per output the
//! ripple curve with its generations stacked and its sector breakdown.

mod draw;
mod layout;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::{ReportError, ReportFormat, ReportInput};

/// What one chart shows.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Citing documents per output.
    Overview(Vec<(String, u64)>),
    /// Per year: documents of each generation (stacked) and the cumulative total.
    Ripple {
        title: String,
        years: Vec<i32>,
        /// `gens[g][i]`: documents of generation g+1 in `years[i]`.
        gens: Vec<Vec<u64>>,
    },
    /// One small cumulative curve per output.
    SmallMultiples(Vec<Mini>),
    /// Citing documents per output (rows) and year (columns).
    Heatmap {
        rows: Vec<String>,
        years: Vec<i32>,
        cells: Vec<Vec<u64>>,
    },
    /// Documents per sector.
    Sectors {
        title: String,
        bars: Vec<(String, u64)>,
    },
}

/// One panel of the small multiples.
#[derive(Debug, Clone)]
pub struct Mini {
    pub label: String,
    pub years: Vec<i32>,
    pub cumulative: Vec<u64>,
}

/// A chart with its file stem (under `charts/`) and the alternative text that describes it.
#[derive(Debug, Clone)]
pub struct Chart {
    pub stem: String,
    pub alt: String,
    pub kind: Kind,
}

/// The chart file of a stem, relative to the report folder (stems come from validated output ids).
pub fn chart_file(stem: &str, ext: &str) -> String {
    format!("charts/{stem}.{ext}")
}

/// The ripple chart of an output.
pub fn ripple_stem(output_id: &str) -> String {
    output_id.to_string()
}

/// The sector chart of an output.
pub fn sectors_stem(output_id: &str) -> String {
    format!("{output_id}-sectors")
}

impl Chart {
    /// Pixel size (from the constants in `layout.rs`).
    pub fn size(&self) -> (u32, u32) {
        use layout::*;
        let rows = |n: usize| n.max(1) as u32;
        match &self.kind {
            Kind::Overview(bars) => (
                OVERVIEW_WIDTH,
                ROWS_BASE_HEIGHT + OVERVIEW_ROW_HEIGHT * rows(bars.len()),
            ),
            Kind::Ripple { .. } => RIPPLE_SIZE,
            Kind::SmallMultiples(m) => (
                SMALL_MULTIPLES_WIDTH,
                SMALL_MULTIPLES_TITLE_HEIGHT
                    + SMALL_MULTIPLES_ROW_HEIGHT * rows(m.len().div_ceil(SMALL_MULTIPLES_COLUMNS)),
            ),
            Kind::Heatmap { rows: r, years, .. } => (
                (HEATMAP_LABELS_WIDTH + HEATMAP_YEAR_WIDTH * rows(years.len()))
                    .max(HEATMAP_MIN_WIDTH),
                ROWS_BASE_HEIGHT + HEATMAP_ROW_HEIGHT * rows(r.len()),
            ),
            Kind::Sectors { bars, .. } => (
                SECTORS_WIDTH,
                ROWS_BASE_HEIGHT + SECTORS_ROW_HEIGHT * rows(bars.len()),
            ),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<(), String> {
        match &self.kind {
            Kind::Overview(bars) => draw::overview(root, bars),
            Kind::Ripple { title, years, gens } => draw::ripple(root, title, years, gens),
            Kind::SmallMultiples(m) => draw::small_multiples(root, m),
            Kind::Heatmap { rows, years, cells } => draw::heatmap(root, rows, years, cells),
            Kind::Sectors { title, bars } => draw::sectors(root, title, bars),
        }
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String, String> {
        draw::register_fonts();
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, self.size()).into_drawing_area();
            self.draw(root)?;
        }
        Ok(out)
    }

    /// Writes the chart as PNG.
    pub fn png(&self, path: &Path) -> Result<(), String> {
        draw::register_fonts();
        self.draw(BitMapBackend::new(path, self.size()).into_drawing_area())
    }
}

/// Text as the charts draw it: control characters, which SVG does not allow, replaced with U+FFFD (plotters
/// escapes markup itself).
fn printable(s: String) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect()
    } else {
        s
    }
}

impl Kind {
    /// The same chart with every text it draws [`printable`].
    fn printable(self) -> Kind {
        let bars = |b: Vec<(String, u64)>| b.into_iter().map(|(s, n)| (printable(s), n)).collect();
        match self {
            Kind::Overview(b) => Kind::Overview(bars(b)),
            Kind::Ripple { title, years, gens } => Kind::Ripple {
                title: printable(title),
                years,
                gens,
            },
            Kind::SmallMultiples(m) => Kind::SmallMultiples(
                m.into_iter()
                    .map(|m| Mini {
                        label: printable(m.label),
                        ..m
                    })
                    .collect(),
            ),
            Kind::Heatmap { rows, years, cells } => Kind::Heatmap {
                rows: rows.into_iter().map(printable).collect(),
                years,
                cells,
            },
            Kind::Sectors { title, bars: b } => Kind::Sectors {
                title: printable(title),
                bars: bars(b),
            },
        }
    }
}

/// Every chart of the report, in the order the page shows them.
pub fn charts(input: &ReportInput) -> Vec<Chart> {
    let a = input.analysis;
    let mut out = vec![Chart {
        stem: "overview".into(),
        alt: "Bar chart: citing documents per output".into(),
        kind: Kind::Overview(
            a.outputs
                .iter()
                .map(|o| (o.output_id.clone(), o.documents))
                .collect(),
        ),
    }];
    // Years shown: from the earliest output to the last year with data.
    let last = a
        .uptake
        .iter()
        .filter(|u| u.documents > 0)
        .filter_map(|u| u.year)
        .chain(a.outputs.iter().map(|o| o.year))
        .max()
        .unwrap_or(2000);
    let first = a.outputs.iter().map(|o| o.year).min().unwrap_or(last);
    let years: Vec<i32> = (first..=last).collect();
    let cumulative = |id: &str, from: i32| -> (Vec<i32>, Vec<u64>) {
        let by_year: BTreeMap<i32, u64> = a
            .uptake
            .iter()
            .filter(|u| u.output_id == id)
            .filter_map(|u| Some((u.year?, u.cumulative_documents)))
            .collect();
        let ys: Vec<i32> = (from..=last).collect();
        let mut c = 0;
        let vals = ys
            .iter()
            .map(|y| {
                c = by_year.get(y).copied().unwrap_or(c);
                c
            })
            .collect();
        (ys, vals)
    };
    out.push(Chart {
        stem: "small-multiples".into(),
        alt: "Small multiples: the cumulative number of citing documents of every output, from its publication \
              year on"
            .into(),
        kind: Kind::SmallMultiples(
            a.outputs
                .iter()
                .map(|o| {
                    let (ys, vals) = cumulative(&o.output_id, o.year);
                    Mini {
                        label: o.output_id.clone(),
                        years: ys,
                        cumulative: vals,
                    }
                })
                .collect(),
        ),
    });
    out.push(Chart {
        stem: "heatmap".into(),
        alt: "Heat map: citing documents per output and year; darker cells hold more documents"
            .into(),
        kind: Kind::Heatmap {
            rows: a.outputs.iter().map(|o| o.output_id.clone()).collect(),
            years: years.clone(),
            cells: a
                .outputs
                .iter()
                .map(|o| {
                    years
                        .iter()
                        .map(|y| {
                            a.uptake
                                .iter()
                                .find(|u| u.output_id == o.output_id && u.year == Some(*y))
                                .map_or(0, |u| u.documents)
                        })
                        .collect()
                })
                .collect(),
        },
    });
    out.push(Chart {
        stem: "sectors".into(),
        alt: "Bar chart: documents citing or reusing any output, per sector of the publisher"
            .into(),
        kind: Kind::Sectors {
            title: "Citing documents per sector".into(),
            bars: input.sector_shares(),
        },
    });
    for o in &a.outputs {
        let rows: Vec<_> = a
            .ripple
            .iter()
            .filter(|r| r.output_id == o.output_id && r.year.is_some_and(|y| y >= o.year))
            .collect();
        let oyears: Vec<i32> = (o.year..=last.max(o.year)).collect();
        let generations = rows.iter().map(|r| r.generation).max().unwrap_or(1);
        let gens: Vec<Vec<u64>> = (1..=generations)
            .map(|g| {
                oyears
                    .iter()
                    .map(|y| {
                        rows.iter()
                            .find(|r| r.generation == g && r.year == Some(*y))
                            .map_or(0, |r| r.documents)
                    })
                    .collect()
            })
            .collect();
        out.push(Chart {
            stem: ripple_stem(&o.output_id),
            alt: format!(
                "Ripple curve of {}: citing documents per year from {}, stacked by generation (direct uptake, \
                 then documents citing those), with the cumulative total as a line",
                o.output_id, o.year
            ),
            kind: Kind::Ripple {
                title: format!("{} ({}): ripple by year", o.output_id, o.year),
                years: oyears,
                gens,
            },
        });
        if o.documents > 0 {
            out.push(Chart {
                stem: sectors_stem(&o.output_id),
                alt: format!("Bar chart: documents citing {} per sector", o.output_id),
                kind: Kind::Sectors {
                    title: format!("{}: citing documents per sector", o.output_id),
                    bars: o.by_sector.clone(),
                },
            });
        }
    }
    out.into_iter()
        .map(|c| Chart {
            kind: c.kind.printable(),
            ..c
        })
        .collect()
}

/// The chart files: `charts/<stem>.{svg,png}` for every chart.
pub struct Charts;

impl ReportFormat for Charts {
    fn name(&self) -> &'static str {
        "charts"
    }

    fn write(&self, input: &ReportInput, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
        let folder = dir.join("charts");
        std::fs::create_dir_all(&folder).map_err(|error| ReportError::Io {
            path: folder.clone(),
            error,
        })?;
        let mut written = Vec::new();
        for c in charts(input) {
            let svg_path = dir.join(chart_file(&c.stem, "svg"));
            let svg = c.svg().map_err(|message| ReportError::Chart {
                path: svg_path.clone(),
                message,
            })?;
            written.push(super::write_file(&svg_path, &svg)?);
            let png_path = dir.join(chart_file(&c.stem, "png"));
            c.png(&png_path).map_err(|message| ReportError::Chart {
                path: png_path.clone(),
                message,
            })?;
            written.push(png_path);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_text_has_no_control_characters() {
        let chart = Chart {
            stem: "sectors".into(),
            alt: String::new(),
            kind: Kind::Sectors {
                title: "Per\u{7} sector".into(),
                bars: vec![("a <b>\u{0}".into(), 2)],
            }
            .printable(),
        };
        let svg = chart.svg().unwrap();
        assert!(!svg.chars().any(|c| c.is_control() && c != '\n'), "{svg}");
        assert!(svg.contains("Per\u{FFFD} sector"), "{svg}");
        assert!(svg.contains("a &lt;b&gt;\u{FFFD}"), "{svg}");
    }
}
