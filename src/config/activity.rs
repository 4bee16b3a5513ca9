//! The functioning scorecard's facts (`data/activity.csv`): per output, what is known of how its process ran.
//! Columns: `output_id, open_virtual_meetings, mailing_list_subscribers, mailing_list_messages,
//! mailing_list_active, process_documented, draft_before_meeting, session_at_meeting, output_published, sources`.
//! Counts are whole numbers, answers `yes` or `no`; an empty cell is unknown, never a failure.

use std::collections::HashSet;
use std::path::Path;

use super::ConfigError;
use crate::records::{Activity, Output};

const COLUMNS: [&str; 10] = [
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

/// Reads the activity file; every row must name a catalogue output, once.
pub fn load_activity(path: &Path, outputs: &[Output]) -> Result<Vec<Activity>, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let known: HashSet<&str> = outputs.iter().map(|o| o.id.as_str()).collect();
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (line, rec) in super::read_csv(path, &COLUMNS)? {
        let cell = |c: usize| rec.get(c).unwrap_or("").trim();
        let id = cell(0).to_string();
        if !known.contains(id.as_str()) {
            return Err(invalid(format!(
                "row {line}: {id:?} is not an output of the catalogue"
            )));
        }
        if !seen.insert(id.clone()) {
            return Err(invalid(format!("row {line}: {id:?} appears twice")));
        }
        let count = |c: usize| -> Result<Option<u32>, ConfigError> {
            let v = cell(c);
            if v.is_empty() {
                return Ok(None);
            }
            v.parse().map(Some).map_err(|_| {
                invalid(format!(
                    "row {line}, {}: {v:?} is not a whole number",
                    COLUMNS[c]
                ))
            })
        };
        let answer = |c: usize| -> Result<Option<bool>, ConfigError> {
            match cell(c).to_ascii_lowercase().as_str() {
                "" | "unknown" => Ok(None),
                "yes" => Ok(Some(true)),
                "no" => Ok(Some(false)),
                v => Err(invalid(format!(
                    "row {line}, {}: {v:?} is not yes, no or empty",
                    COLUMNS[c]
                ))),
            }
        };
        rows.push(Activity {
            output_id: id,
            open_virtual_meetings: count(1)?,
            mailing_list_subscribers: count(2)?,
            mailing_list_messages: count(3)?,
            mailing_list_active: answer(4)?,
            process_documented: answer(5)?,
            draft_before_meeting: answer(6)?,
            session_at_meeting: answer(7)?,
            output_published: answer(8)?,
            sources: cell(9).to_string(),
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
            text_path: None,
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
                COLUMNS.join(",")
            ),
        )
        .unwrap();
        let rows = load_activity(&p, &[output("a"), output("b")]).unwrap();
        use Check::*;
        assert_eq!(rows[0].checks(), [Pass, Unknown, Pass, Unknown, Pass, Pass]);
        assert_eq!(rows[1].checks(), [Fail, Fail, Fail, Fail, Unknown, Unknown]);
    }

    #[test]
    fn names_the_row_and_column_of_a_bad_value() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, format!("{}\na,,,,,maybe,,,,\n", COLUMNS.join(","))).unwrap();
        let e = load_activity(&p, &[output("a")]).unwrap_err().to_string();
        assert!(
            e.contains("row 2, process_documented") && e.contains("a.csv"),
            "{e}"
        );
        std::fs::write(&p, format!("{}\nzz,,,,,,,,,\n", COLUMNS.join(","))).unwrap();
        let e = load_activity(&p, &[output("a")]).unwrap_err().to_string();
        assert!(e.contains("not an output"), "{e}");
    }
}
