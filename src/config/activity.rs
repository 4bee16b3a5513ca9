//! The functioning scorecard's facts (`data/activity.csv`): per output, what is known of how its process ran.
//! Columns: `output_id, open_virtual_meetings, mailing_list_subscribers, mailing_list_messages,
//! mailing_list_active, process_documented, draft_before_meeting, session_at_meeting, output_published, sources`.
//! Counts are whole numbers, answers `yes` or `no`; an empty cell is unknown, never a failure.

use std::collections::HashSet;
use std::path::Path;

use super::rows::{read_rows, whole_number, yes_no, CsvRow};
use super::ConfigError;
use crate::records::{Activity, Output};

/// A row of the activity file, as read (see [`super::rows`] for the rules every input CSV follows).
#[derive(Debug, serde::Deserialize)]
struct Row {
    output_id: Option<String>,
    #[serde(deserialize_with = "whole_number")]
    open_virtual_meetings: Option<u32>,
    #[serde(deserialize_with = "whole_number")]
    mailing_list_subscribers: Option<u32>,
    #[serde(deserialize_with = "whole_number")]
    mailing_list_messages: Option<u32>,
    #[serde(deserialize_with = "yes_no")]
    mailing_list_active: Option<bool>,
    #[serde(deserialize_with = "yes_no")]
    process_documented: Option<bool>,
    #[serde(deserialize_with = "yes_no")]
    draft_before_meeting: Option<bool>,
    #[serde(deserialize_with = "yes_no")]
    session_at_meeting: Option<bool>,
    #[serde(deserialize_with = "yes_no")]
    output_published: Option<bool>,
    sources: Option<String>,
}

impl CsvRow for Row {
    const COLUMNS: &'static [&'static str] = &[
        "output_id",
        "open_virtual_meetings",
        "mailing_list_subscribers",
        "mailing_list_messages",
        "mailing_list_active",
        "process_documented",
        "draft_before_meeting",
        "session_at_meeting",
        "output_published",
        "sources",
    ];
}

/// Reads the activity file; every row must name a catalogue output, once.
pub fn load_activity(path: &Path, outputs: &[Output]) -> Result<Vec<Activity>, ConfigError> {
    let invalid = |line: u64, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: format!("line {line}: {message}"),
    };
    let known: HashSet<&str> = outputs.iter().map(|o| o.id.as_str()).collect();
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (line, r) in read_rows::<Row>(path)? {
        let id = r.output_id.unwrap_or_default();
        if !known.contains(id.as_str()) {
            return Err(invalid(
                line,
                format!("{id:?} is not an output of the catalogue"),
            ));
        }
        if !seen.insert(id.clone()) {
            return Err(invalid(line, format!("{id:?} appears twice")));
        }
        rows.push(Activity {
            output_id: id,
            open_virtual_meetings: r.open_virtual_meetings,
            mailing_list_subscribers: r.mailing_list_subscribers,
            mailing_list_messages: r.mailing_list_messages,
            mailing_list_active: r.mailing_list_active,
            process_documented: r.process_documented,
            draft_before_meeting: r.draft_before_meeting,
            session_at_meeting: r.session_at_meeting,
            output_published: r.output_published,
            sources: r.sources.unwrap_or_default(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Check;

    fn output(id: &str) -> Output {
        Output {
            id: id.into(),
            year: 2015,
            title: "T".into(),
            theme: None,
            theme_aliases: vec![],
            aliases: vec![],
            urls: vec![],
            texts: Vec::new(),
            published: None,
        }
    }

    #[test]
    fn reads_answers_counts_and_unknowns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(
            &p,
            format!(
                "{}\n# a comment\na,5,,,,yes,,yes,yes,seed\nb,2,,0,,no,no,,,x\n",
                Row::COLUMNS.join(",")
            ),
        )
        .unwrap();
        let rows = load_activity(&p, &[output("a"), output("b")]).unwrap();
        use Check::*;
        assert_eq!(rows[0].checks(), [Pass, Unknown, Pass, Unknown, Pass, Pass]);
        assert_eq!(rows[1].checks(), [Fail, Fail, Fail, Fail, Unknown, Unknown]);
    }

    #[test]
    fn sources_may_hold_quoted_commas_and_columns_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        let mut columns = Row::COLUMNS.to_vec();
        columns.reverse();
        std::fs::write(
            &p,
            format!(
                "{}\n\"BPF on BPFs, p. 12; https://igf.org/a,b\",yes,,,,,,,7,a\n",
                columns.join(",").to_uppercase()
            ),
        )
        .unwrap();
        let rows = load_activity(&p, &[output("a")]).unwrap();
        assert_eq!(rows[0].sources, "BPF on BPFs, p. 12; https://igf.org/a,b");
        assert_eq!(rows[0].output_published, Some(true));
        assert_eq!(rows[0].open_virtual_meetings, Some(7));
    }

    #[test]
    fn names_the_row_and_column_of_a_bad_value() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, format!("{}\na,,,,,maybe,,,,\n", Row::COLUMNS.join(","))).unwrap();
        let e = load_activity(&p, &[output("a")]).unwrap_err().to_string();
        assert!(
            e.contains("line 2: process_documented") && e.contains("a.csv"),
            "{e}"
        );
        std::fs::write(&p, format!("{}\nzz,,,,,,,,,\n", Row::COLUMNS.join(","))).unwrap();
        let e = load_activity(&p, &[output("a")]).unwrap_err().to_string();
        assert!(e.contains("not an output"), "{e}");
    }
}
