//! Charts drawn with plotters, each as SVG and PNG: an overview of citing documents per output, and per output
//! the ripple curve (citing documents per year as bars, cumulative as a line, from the publication year on).

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ReportError, ReportFormat, ReportInput};
use crate::records::UptakeRow;

const BAR: RGBColor = RGBColor(42, 157, 143);
const LINE: RGBColor = RGBColor(231, 111, 81);
const INK: RGBColor = RGBColor(38, 50, 56);
const FONT: &str = "sans-serif";

static FONTS: Once = Once::new();

fn register_fonts() {
    FONTS.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// The chart files: `charts/overview.{svg,png}` and `charts/<output_id>.{svg,png}`.
pub struct Charts;

/// The chart file of an output, relative to the report folder (output ids are validated file-safe names).
pub fn ripple_chart(output_id: &str, ext: &str) -> String {
    format!("charts/{output_id}.{ext}")
}

impl ReportFormat for Charts {
    fn name(&self) -> &'static str {
        "charts"
    }

    fn write(&self, input: &ReportInput, dir: &Path) -> Result<Vec<PathBuf>, ReportError> {
        register_fonts();
        let charts = dir.join("charts");
        std::fs::create_dir_all(&charts).map_err(|error| ReportError::Io {
            path: charts.clone(),
            error,
        })?;
        let mut written = Vec::new();
        let bars: Vec<(String, u64)> = input
            .analysis
            .outputs
            .iter()
            .map(|o| (o.output_id.clone(), o.documents))
            .collect();
        let height = 90 + 22 * bars.len() as u32;
        for ext in ["svg", "png"] {
            let path = dir.join(format!("charts/overview.{ext}"));
            let r = if ext == "svg" {
                overview(
                    SVGBackend::new(&path, (900, height)).into_drawing_area(),
                    &bars,
                )
            } else {
                overview(
                    BitMapBackend::new(&path, (900, height)).into_drawing_area(),
                    &bars,
                )
            };
            r.map_err(|message| ReportError::Chart {
                path: path.clone(),
                message,
            })?;
            written.push(path);
        }
        for o in &input.analysis.outputs {
            let rows: Vec<&UptakeRow> = input
                .analysis
                .uptake
                .iter()
                .filter(|u| u.output_id == o.output_id && u.year.is_some_and(|y| y >= o.year))
                .collect();
            let title = format!("{} ({}): citing documents per year", o.output_id, o.year);
            for ext in ["svg", "png"] {
                let path = dir.join(ripple_chart(&o.output_id, ext));
                let r = if ext == "svg" {
                    ripple(
                        SVGBackend::new(&path, (720, 320)).into_drawing_area(),
                        &title,
                        &rows,
                    )
                } else {
                    ripple(
                        BitMapBackend::new(&path, (720, 320)).into_drawing_area(),
                        &title,
                        &rows,
                    )
                };
                r.map_err(|message| ReportError::Chart {
                    path: path.clone(),
                    message,
                })?;
                written.push(path);
            }
        }
        Ok(written)
    }
}

fn near_integer(x: f64) -> Option<i64> {
    ((x - x.round()).abs() < 1e-6).then_some(x.round() as i64)
}

fn ripple<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    rows: &[&UptakeRow],
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let first = rows.iter().filter_map(|r| r.year).min().unwrap_or(2000);
    let last = rows.iter().filter_map(|r| r.year).max().unwrap_or(first);
    let top = rows
        .iter()
        .map(|r| r.cumulative_documents.max(r.documents))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, 18).into_font().color(&INK))
        .margin(12)
        .x_label_area_size(34)
        .y_label_area_size(44)
        .build_cartesian_2d(
            first as f64 - 0.6..last as f64 + 0.6,
            0f64..top as f64 * 1.15,
        )
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels((last - first + 1).clamp(1, 20) as usize)
        .x_label_formatter(&|x| near_integer(*x).map(|y| y.to_string()).unwrap_or_default())
        .y_labels(top.min(8) as usize + 1)
        .y_label_formatter(&|y| near_integer(*y).map(|v| v.to_string()).unwrap_or_default())
        .y_desc("documents")
        .label_style((FONT, 13).into_font().color(&INK))
        .axis_desc_style((FONT, 13).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(rows.iter().filter_map(|r| {
            let y = r.year? as f64;
            Some(Rectangle::new(
                [(y - 0.32, 0.0), (y + 0.32, r.documents as f64)],
                BAR.filled(),
            ))
        }))
        .map_err(e)?
        .label("citing documents in the year")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR.filled()));
    let points: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|r| Some((r.year? as f64, r.cumulative_documents as f64)))
        .collect();
    chart
        .draw_series(LineSeries::new(points.clone(), LINE.stroke_width(2)))
        .map_err(e)?
        .label("cumulative")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], LINE.stroke_width(2)));
    chart
        .draw_series(points.iter().map(|&p| Circle::new(p, 3, LINE.filled())))
        .map_err(e)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(INK.mix(0.3))
        .label_font((FONT, 12).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    root.present().map_err(e)
}

fn overview<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    bars: &[(String, u64)],
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let n = bars.len().max(1);
    let top = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Citing documents per output",
            (FONT, 20).into_font().color(&INK),
        )
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(190)
        .build_cartesian_2d(0f64..top as f64 * 1.1, -0.6f64..n as f64 - 0.4)
        .map_err(e)?;
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let count = labels.len();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .y_labels(n)
        .y_label_formatter(&|y| {
            near_integer(*y)
                .filter(|i| *i >= 0 && (*i as usize) < count)
                .map(|i| labels[count - 1 - i as usize].clone())
                .unwrap_or_default()
        })
        .x_labels(top.min(10) as usize + 1)
        .x_label_formatter(&|x| near_integer(*x).map(|v| v.to_string()).unwrap_or_default())
        .label_style((FONT, 12).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| {
            let y = (count - 1 - i) as f64;
            Rectangle::new([(0.0, y - 0.36), (b.1 as f64, y + 0.36)], BAR.filled())
        }))
        .map_err(e)?;
    root.present().map_err(e)
}
