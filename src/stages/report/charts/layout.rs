//! The geometry of every chart in one place, in pixels: canvas sizes, the margin round each plot, the room kept
//! for axis labels and the font sizes. [`super::Chart::size`] and the drawing in `draw.rs` read only these; to
//! make a chart larger or its text bigger, change a number here.

/// One chart's frame: its title's font size, the margin round the plot and the room for each axis's labels.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub title_font: u32,
    pub margin: u32,
    pub x_label_area: u32,
    pub y_label_area: u32,
}

/// Font sizes of the text inside the charts (titles are in each [`Frame`]).
pub mod font {
    /// Tick labels and the axis description of the ripple curve.
    pub const AXIS: u32 = 13;
    /// Tick labels of the bar charts and the heat map, the numbers in its cells and beside the sector bars, the
    /// ripple legend.
    pub const LABEL: u32 = 12;
    /// Tick labels of a small-multiples panel.
    pub const PANEL_LABEL: u32 = 9;
}

/// The ripple curve of one output: a fixed canvas.
pub const RIPPLE_SIZE: (u32, u32) = (720, 320);
pub const RIPPLE: Frame = Frame {
    title_font: 18,
    margin: 12,
    x_label_area: 34,
    y_label_area: 44,
};

/// Small multiples: panels in a grid of fixed width; the canvas grows by one row of panels at a time.
pub const SMALL_MULTIPLES_WIDTH: u32 = 960;
pub const SMALL_MULTIPLES_COLUMNS: usize = 6;
/// Height of the title above the panels.
pub const SMALL_MULTIPLES_TITLE_HEIGHT: u32 = 40;
pub const SMALL_MULTIPLES_ROW_HEIGHT: u32 = 120;
pub const SMALL_MULTIPLES_TITLE_FONT: u32 = 18;
/// One panel; its title is the output id.
pub const PANEL: Frame = Frame {
    title_font: 11,
    margin: 6,
    x_label_area: 14,
    y_label_area: 18,
};

/// Height of a bar chart's or the heat map's title and x axis; each bar or row adds its own height.
pub const ROWS_BASE_HEIGHT: u32 = 90;

/// Citing documents per output: one bar per output.
pub const OVERVIEW_WIDTH: u32 = 900;
pub const OVERVIEW_ROW_HEIGHT: u32 = 22;
pub const OVERVIEW: Frame = Frame {
    title_font: 20,
    margin: 12,
    x_label_area: 30,
    y_label_area: 190,
};

/// Documents per sector: one bar per sector, with its share.
pub const SECTORS_WIDTH: u32 = 720;
pub const SECTORS_ROW_HEIGHT: u32 = 30;
pub const SECTORS: Frame = Frame {
    title_font: 18,
    margin: 12,
    x_label_area: 30,
    y_label_area: 170,
};

/// Heat map output × year: a row per output, a column per year, never narrower than its minimum.
pub const HEATMAP_MIN_WIDTH: u32 = 600;
/// Width kept for the output names and the margins.
pub const HEATMAP_LABELS_WIDTH: u32 = 230;
pub const HEATMAP_YEAR_WIDTH: u32 = 44;
pub const HEATMAP_ROW_HEIGHT: u32 = 22;
pub const HEATMAP: Frame = Frame {
    title_font: 20,
    margin: 12,
    x_label_area: 30,
    y_label_area: 190,
};
