//! Coverage: which hosts the crawl did not reach, read from the crawl log alone (its `outcome` and `error`
//! columns), so `uptake report` run later from the tables says what the run said. The report opens with it: the
//! counts below it cover only what was reached.

use std::collections::BTreeMap;

use crate::records::{CrawlLogRow, NetworkFailure, UrlKind, UrlOutcome};

/// One host of one source that was not reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreached<'a> {
    pub source: &'a str,
    pub host: &'a str,
    /// The kind of failure, when the reason names one.
    pub kind: Option<NetworkFailure>,
    /// The reason as the crawl log has it (`dns: failed to lookup address …`).
    pub reason: &'a str,
    /// URLs of the host not fetched for it.
    pub urls: usize,
    /// Of them, seeds.
    pub seeds: usize,
}

/// What the crawl did not reach.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coverage<'a> {
    /// Hosts not reached, in the order of the crawl log.
    pub unreached: Vec<Unreached<'a>>,
    /// Sources with a host not reached that gave no document at all.
    pub empty_sources: Vec<&'a str>,
    /// No host of the crawl answered at all (every one failed on the network): the machine was likely offline.
    pub nothing_answered: bool,
}

/// A URL the crawl did not reach: never asked because its host was unreachable, or a seed whose own request
/// failed on the network.
fn not_reached(r: &CrawlLogRow) -> bool {
    let seed = r.kind == UrlKind::Page && r.depth == 0 && r.linked_from.is_none();
    r.outcome == UrlOutcome::Unreachable
        || (seed
            && r.outcome == UrlOutcome::Failed
            && r.error
                .as_deref()
                .and_then(NetworkFailure::of_error)
                .is_some())
}

/// The hosts `log` did not reach; `None` when every host was reached.
pub fn coverage(log: &[CrawlLogRow]) -> Option<Coverage<'_>> {
    let mut order: Vec<(&str, &str)> = Vec::new();
    let mut by: BTreeMap<(&str, &str), Unreached> = BTreeMap::new();
    for r in log.iter().filter(|r| not_reached(r)) {
        let key = (r.source.as_str(), r.host.as_str());
        let u = by.entry(key).or_insert_with(|| {
            order.push(key);
            let reason = r.error.as_deref().unwrap_or("");
            Unreached {
                source: key.0,
                host: key.1,
                kind: NetworkFailure::of_error(reason),
                reason,
                urls: 0,
                seeds: 0,
            }
        });
        u.urls += 1;
        if r.depth == 0 && r.linked_from.is_none() {
            u.seeds += 1;
        }
    }
    if order.is_empty() {
        return None;
    }
    let mut empty_sources: Vec<&str> = Vec::new();
    for (source, _) in &order {
        let gave = log
            .iter()
            .any(|r| r.source == *source && r.kind == UrlKind::Page && r.outcome.has_body());
        if !gave && !empty_sources.contains(source) {
            empty_sources.push(source);
        }
    }
    let unreached: Vec<Unreached> = order.into_iter().filter_map(|k| by.remove(&k)).collect();
    let offline = |host: &str, source: &str| {
        unreached.iter().any(|u| {
            u.host == host && u.source == source && u.kind.is_some_and(NetworkFailure::is_network)
        })
    };
    let nothing_answered = log
        .iter()
        .all(|r| !r.outcome.has_body() && offline(&r.host, &r.source));
    Some(Coverage {
        unreached,
        empty_sources,
        nothing_answered,
    })
}

impl Unreached<'_> {
    /// The kind for people (`DNS`, `connection refused`, …), or `not reached`.
    pub fn label(&self) -> &'static str {
        self.kind.map_or("not reached", NetworkFailure::label)
    }

    /// The reason without the kind it starts with (`failed to lookup address …`).
    pub fn cause(&self) -> &str {
        self.kind
            .and_then(|k| self.reason.strip_prefix(k.as_str()))
            .and_then(|r| r.strip_prefix(": "))
            .unwrap_or(self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(source: &str, host: &str, depth: u32, outcome: UrlOutcome, error: &str) -> CrawlLogRow {
        CrawlLogRow {
            source: source.into(),
            url: format!("{host}/{depth}"),
            host: host.into(),
            depth,
            linked_from: (depth > 0).then(|| format!("{host}/")),
            outcome,
            error: (!error.is_empty()).then(|| error.to_string()),
            ..CrawlLogRow::default()
        }
    }

    #[test]
    fn hosts_not_reached_are_named_with_their_reason() {
        let log = [
            row("a", "https://up", 0, UrlOutcome::Fetched, ""),
            row(
                "a",
                "https://gone",
                0,
                UrlOutcome::Unreachable,
                "dns: no such name",
            ),
            row(
                "a",
                "https://gone",
                1,
                UrlOutcome::Unreachable,
                "dns: no such name",
            ),
            row(
                "b",
                "https://slow",
                0,
                UrlOutcome::Failed,
                "timeout: operation timed out",
            ),
            row("b", "https://up", 1, UrlOutcome::Failed, "HTTP 404"),
            row(
                "b",
                "https://down",
                0,
                UrlOutcome::Unreachable,
                "server_error: robots.txt answered HTTP 503",
            ),
        ];
        let c = coverage(&log).unwrap();
        let got: Vec<(&str, &str, Option<NetworkFailure>, usize, usize)> = c
            .unreached
            .iter()
            .map(|u| (u.source, u.host, u.kind, u.urls, u.seeds))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "https://gone", Some(NetworkFailure::Dns), 2, 1),
                ("b", "https://slow", Some(NetworkFailure::Timeout), 1, 1),
                ("b", "https://down", Some(NetworkFailure::ServerError), 1, 1),
            ]
        );
        assert_eq!(c.unreached[0].reason, "dns: no such name");
        assert_eq!(c.unreached[0].cause(), "no such name");
        // source a gave a document; b gave none
        assert_eq!(c.empty_sources, ["b"]);
        assert!(!c.nothing_answered);
        // every host failing on the network: nothing answered (a 5xx is an answer)
        assert!(coverage(&log[1..4]).unwrap().nothing_answered);
        assert!(!coverage(&log[1..]).unwrap().nothing_answered);
        // a failed page that is not a seed, or fails on HTTP, is no coverage gap
        assert_eq!(coverage(&log[..1]), None);
        assert_eq!(
            coverage(&[row("b", "https://up", 0, UrlOutcome::Failed, "HTTP 404")]),
            None
        );
    }
}
