//! The drawing of each chart kind with plotters, on any backend (SVG string or PNG file). Text is drawn with the
//! bundled DejaVu fonts, so PNGs need no system fonts.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, font, Frame};
use super::Mini;

const BAR: RGBColor = RGBColor(42, 157, 143);
const LINE: RGBColor = RGBColor(231, 111, 81);
const INK: RGBColor = RGBColor(38, 50, 56);
/// Generation colours: direct uptake, second order, third and later.
const GENS: [RGBColor; 3] = [
    RGBColor(42, 157, 143),
    RGBColor(244, 162, 97),
    RGBColor(124, 92, 164),
];
/// Curves of outputs without uptake.
const GREY: RGBColor = RGBColor(176, 190, 197);
const FONT: &str = "sans-serif";

static FONTS: Once = Once::new();

pub fn register_fonts() {
    FONTS.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

fn near_integer(x: f64) -> Option<i64> {
    ((x - x.round()).abs() < 1e-6).then_some(x.round() as i64)
}

pub fn ripple<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    years: &[i32],
    gens: &[Vec<u64>],
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let first = years.first().copied().unwrap_or(2000);
    let last = years.last().copied().unwrap_or(first);
    let totals: Vec<u64> = (0..years.len())
        .map(|i| gens.iter().map(|g| g[i]).sum())
        .collect();
    let cumulative: Vec<u64> = totals
        .iter()
        .scan(0, |c, t| {
            *c += t;
            Some(*c)
        })
        .collect();
    let top = cumulative.last().copied().unwrap_or(0).max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            title,
            (FONT, layout::RIPPLE.title_font).into_font().color(&INK),
        )
        .margin(layout::RIPPLE.margin)
        .x_label_area_size(layout::RIPPLE.x_label_area)
        .y_label_area_size(layout::RIPPLE.y_label_area)
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
        .label_style((FONT, font::AXIS).into_font().color(&INK))
        .axis_desc_style((FONT, font::AXIS).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    let mut base = vec![0u64; years.len()];
    for (g, counts) in gens.iter().enumerate() {
        let colour = GENS[g.min(GENS.len() - 1)];
        let bars: Vec<Rectangle<(f64, f64)>> = years
            .iter()
            .enumerate()
            .filter(|(i, _)| counts[*i] > 0)
            .map(|(i, y)| {
                let y = *y as f64;
                Rectangle::new(
                    [
                        (y - 0.32, base[i] as f64),
                        (y + 0.32, (base[i] + counts[i]) as f64),
                    ],
                    colour.filled(),
                )
            })
            .collect();
        for (b, c) in base.iter_mut().zip(counts) {
            *b += c;
        }
        let label = match g {
            0 => "cite or reuse the output".to_string(),
            1 => "cite a document of the first kind (2nd generation)".to_string(),
            n => format!("generation {}", n + 1),
        };
        chart
            .draw_series(bars)
            .map_err(e)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour.filled()));
    }
    let points: Vec<(f64, f64)> = years
        .iter()
        .zip(&cumulative)
        .map(|(y, c)| (*y as f64, *c as f64))
        .collect();
    chart
        .draw_series(LineSeries::new(points.clone(), LINE.stroke_width(2)))
        .map_err(e)?
        .label("cumulative, all generations")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], LINE.stroke_width(2)));
    chart
        .draw_series(points.iter().map(|&p| Circle::new(p, 3, LINE.filled())))
        .map_err(e)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(INK.mix(0.3))
        .label_font((FONT, font::LABEL).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    root.present().map_err(e)
}

pub fn small_multiples<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    minis: &[Mini],
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let root = root
        .titled(
            "Cumulative citing documents per output, from its publication year",
            (FONT, layout::SMALL_MULTIPLES_TITLE_FONT)
                .into_font()
                .color(&INK),
        )
        .map_err(e)?;
    let cols = layout::SMALL_MULTIPLES_COLUMNS;
    let rows = minis.len().div_ceil(cols).max(1);
    // One scale for all panels, so heights compare.
    let top = minis
        .iter()
        .flat_map(|m| m.cumulative.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let first = minis
        .iter()
        .filter_map(|m| m.years.first())
        .min()
        .copied()
        .unwrap_or(2000);
    let last = minis
        .iter()
        .filter_map(|m| m.years.last())
        .max()
        .copied()
        .unwrap_or(first);
    for (panel, m) in root.split_evenly((rows, cols)).into_iter().zip(minis) {
        let mut chart = ChartBuilder::on(&panel)
            .caption(
                &m.label,
                (FONT, layout::PANEL.title_font).into_font().color(&INK),
            )
            .margin(layout::PANEL.margin)
            .x_label_area_size(layout::PANEL.x_label_area)
            .y_label_area_size(layout::PANEL.y_label_area)
            .build_cartesian_2d(first as f64..last as f64 + 0.01, 0f64..top as f64 * 1.1)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(2)
            .y_labels(2)
            .x_label_formatter(&|x| {
                near_integer(*x)
                    .map(|y| format!("{:02}", y % 100))
                    .unwrap_or_default()
            })
            .y_label_formatter(&|y| near_integer(*y).map(|v| v.to_string()).unwrap_or_default())
            .label_style((FONT, font::PANEL_LABEL).into_font().color(&INK))
            .draw()
            .map_err(e)?;
        let pts: Vec<(f64, f64)> = m
            .years
            .iter()
            .zip(&m.cumulative)
            .map(|(y, c)| (*y as f64, *c as f64))
            .collect();
        let colour = if m.cumulative.last().copied().unwrap_or(0) > 0 {
            BAR
        } else {
            GREY
        };
        chart
            .draw_series(
                AreaSeries::new(pts.clone(), 0.0, colour.mix(0.25))
                    .border_style(colour.stroke_width(2)),
            )
            .map_err(e)?;
    }
    root.present().map_err(e)
}

pub fn heatmap<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    rows: &[String],
    years: &[i32],
    cells: &[Vec<u64>],
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let n = rows.len().max(1);
    let first = years.first().copied().unwrap_or(2000);
    let last = years.last().copied().unwrap_or(first);
    let top = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Citing documents per output and year",
            (FONT, layout::HEATMAP.title_font).into_font().color(&INK),
        )
        .margin(layout::HEATMAP.margin)
        .x_label_area_size(layout::HEATMAP.x_label_area)
        .y_label_area_size(layout::HEATMAP.y_label_area)
        .build_cartesian_2d(
            first as f64 - 0.5..last as f64 + 0.5,
            -0.5f64..n as f64 - 0.5,
        )
        .map_err(e)?;
    let count = rows.len();
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(years.len().clamp(1, 30))
        .x_label_formatter(&|x| near_integer(*x).map(|y| y.to_string()).unwrap_or_default())
        .y_labels(n)
        .y_label_formatter(&|y| {
            near_integer(*y)
                .filter(|i| *i >= 0 && (*i as usize) < count)
                .map(|i| rows[count - 1 - i as usize].clone())
                .unwrap_or_default()
        })
        .label_style((FONT, font::LABEL).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    let mut rects = Vec::new();
    let mut labels = Vec::new();
    for (r, row) in cells.iter().enumerate() {
        let y = (count - 1 - r) as f64;
        for (c, &v) in row.iter().enumerate() {
            let x = years[c] as f64;
            let shade = if v == 0 {
                RGBColor(245, 245, 242)
            } else {
                let t = 0.25 + 0.75 * v as f64 / top as f64;
                let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
                RGBColor(mix(224, BAR.0), mix(242, BAR.1), mix(241, BAR.2))
            };
            rects.push(Rectangle::new(
                [(x - 0.47, y - 0.45), (x + 0.47, y + 0.45)],
                shade.filled(),
            ));
            if v > 0 {
                let colour = if v as f64 / top as f64 > 0.5 {
                    WHITE
                } else {
                    INK
                };
                labels.push(Text::new(
                    v.to_string(),
                    (x - 0.1, y + 0.3),
                    (FONT, font::LABEL).into_font().color(&colour),
                ));
            }
        }
    }
    chart.draw_series(rects).map_err(e)?;
    chart.draw_series(labels).map_err(e)?;
    root.present().map_err(e)
}

/// Citing documents per output, one horizontal bar each.
pub fn overview<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    bars: &[(String, u64)],
) -> Result<(), String> {
    hbars(
        root,
        "Citing documents per output",
        layout::OVERVIEW,
        bars,
        false,
    )
}

/// Documents per sector, with each sector's share.
pub fn sectors<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    bars: &[(String, u64)],
) -> Result<(), String> {
    hbars(root, title, layout::SECTORS, bars, true)
}

/// Horizontal bars labelled on the left, top to bottom in the given order; with `shares`, each bar is followed by
/// its count and share of the total.
fn hbars<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    frame: Frame,
    bars: &[(String, u64)],
    shares: bool,
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let n = bars.len().max(1);
    let top = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let total: u64 = bars.iter().map(|b| b.1).sum::<u64>().max(1);
    let room = if shares { 1.25 } else { 1.1 };
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, frame.title_font).into_font().color(&INK))
        .margin(frame.margin)
        .x_label_area_size(frame.x_label_area)
        .y_label_area_size(frame.y_label_area)
        .build_cartesian_2d(0f64..top as f64 * room, -0.6f64..n as f64 - 0.4)
        .map_err(e)?;
    let count = bars.len();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .y_labels(n)
        .y_label_formatter(&|y| {
            near_integer(*y)
                .filter(|i| *i >= 0 && (*i as usize) < count)
                .map(|i| bars[count - 1 - i as usize].0.clone())
                .unwrap_or_default()
        })
        .x_labels(top.min(10) as usize + 1)
        .x_label_formatter(&|x| near_integer(*x).map(|v| v.to_string()).unwrap_or_default())
        .label_style((FONT, font::LABEL).into_font().color(&INK))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| {
            let y = (count - 1 - i) as f64;
            Rectangle::new([(0.0, y - 0.35), (b.1 as f64, y + 0.35)], BAR.filled())
        }))
        .map_err(e)?;
    if shares {
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let y = (count - 1 - i) as f64;
                Text::new(
                    format!("{} ({:.0}%)", b.1, 100.0 * b.1 as f64 / total as f64),
                    (b.1 as f64 + top as f64 * 0.02, y + 0.15),
                    (FONT, font::LABEL).into_font().color(&INK),
                )
            }))
            .map_err(e)?;
    }
    root.present().map_err(e)
}
