//! The crawler of one `kind = "http"` source. One coordinator owns the frontier and the state: it keeps a queue
//! per host (origin), sends at most one request per host at a time and waits the host's delay after each answer,
//! fetches robots.txt before anything else on a host, runs up to `concurrency` hosts at once, and writes each
//! answer with the links it adds in one transaction. Requests and body handling run as tokio tasks.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use reqwest::Client;
use tokio::task::JoinSet;
use url::Url;

use super::fetch::{self, Conditional, Limits};
use super::gate::HostGate;
use super::links::{origin_key, Scope};
use super::robots::Rules;
use super::state::{Answer, BodyCache, Queued, State, Validators};
use super::warcout::{prepare_off_thread, Earlier, Prepared, WarcWriter};
use super::CrawlError;
use crate::config::HttpSource;
use crate::records::{NetworkFailure, UrlKind, UrlOutcome};
use crate::textutil::frontier_url;

mod answer;
use answer::{fetch_robots, process, Done, Item, Processed};

/// Most answers stored in one commit.
const MAX_BATCH: usize = 256;

/// What robots.txt said of a host, for the summary.
#[derive(Debug, Clone, Default)]
pub struct RobotsNote {
    pub origin: String,
    pub note: String,
}

struct Host {
    queue: VecDeque<Item>,
    busy: bool,
    ready_at: Instant,
    rules: Option<Rules>,
    delay: Duration,
    failures_in_row: u32,
    gave_up: bool,
}

/// Counters for the progress bar.
#[derive(Debug, Default)]
struct Counts {
    fetched: u64,
    failed: u64,
    bytes: u64,
}

/// The crawl of one source in one run.
pub struct Crawler<'a> {
    src: &'a HttpSource,
    run: i64,
    scope: Scope,
    limits: Limits,
    hosts: HashMap<String, Host>,
    order: Vec<String>,
    next_host: usize,
    seen: HashSet<String>,
    /// Validators of the URLs with a cached copy, read once.
    validators: HashMap<String, Validators>,
    pages_started: u64,
    counts: Counts,
    pub robots_notes: Vec<RobotsNote>,
    progress: ProgressBar,
    /// Politeness shared with the other sources of the crawl, and this crawler's place in it.
    gate: &'a RefCell<HostGate>,
    gate_id: usize,
    /// The crawl's WARC files, when written.
    warc: Option<&'a RefCell<WarcWriter>>,
    /// The source's name, for the WARC metadata records.
    name: std::sync::Arc<str>,
    /// Answers stored so far by this crawler, for the crash tests' checkpoints (`crawl:N`).
    stored: usize,
}

impl<'a> Crawler<'a> {
    /// Crawls only the hosts of `shard` of a sharded run: a link, sitemap entry or redirect to another host is
    /// left to the shard it belongs to.
    pub fn keep_shard(&mut self, shard: crate::shard::Shard) {
        self.scope = self.scope.clone().sharded(shard);
    }

    /// A crawler for `run`; on a resumed run the frontier is read back from the state.
    pub fn new(
        src: &'a HttpSource,
        run: i64,
        resumed: bool,
        state: &mut State,
        gate: &'a RefCell<HostGate>,
        warc: Option<&'a RefCell<WarcWriter>>,
        progress: ProgressBar,
    ) -> Result<Crawler<'a>, CrawlError> {
        let gate_id = gate.borrow_mut().register();
        let mut limits = Limits::of(src);
        limits.record = warc.is_some();
        let mut c = Crawler {
            gate,
            gate_id,
            warc,
            name: src.name.as_str().into(),
            src,
            run,
            scope: Scope::new(src),
            limits,
            hosts: HashMap::new(),
            order: Vec::new(),
            next_host: 0,
            seen: HashSet::new(),
            validators: state.all_validators(&src.name)?,
            pages_started: 0,
            counts: Counts::default(),
            robots_notes: Vec::new(),
            progress,
            stored: 0,
        };
        if resumed {
            let mut finished = 0;
            for (q, done) in state.queued_in_run(&src.name, run)? {
                c.seen.insert(q.url.clone());
                if done {
                    finished += 1;
                    if q.kind == UrlKind::Page {
                        c.pages_started += 1;
                    }
                } else {
                    c.push_back(Item { q, chain: vec![] });
                }
            }
            tracing::info!(
                "source {:?}: resuming an interrupted crawl ({finished} URLs already done)",
                src.name
            );
        }
        let mut seeds = Vec::new();
        for s in &src.seeds {
            let Ok(url) = Url::parse(s) else { continue };
            let url = frontier_url(url);
            if c.seen.insert(url.to_string()) {
                seeds.push(Queued {
                    url: url.to_string(),
                    kind: UrlKind::Page,
                    depth: 0,
                    linked_from: None,
                    redirected_from: None,
                    sitemap_lastmod: None,
                });
            }
        }
        state.record(&src.name, run, None, &seeds)?;
        for q in seeds {
            c.push_back(Item { q, chain: vec![] });
        }
        Ok(c)
    }

    fn host(&mut self, origin: &str) -> &mut Host {
        if !self.hosts.contains_key(origin) {
            self.order.push(origin.to_string());
            self.hosts.insert(
                origin.to_string(),
                Host {
                    queue: VecDeque::new(),
                    busy: false,
                    ready_at: Instant::now(),
                    rules: None,
                    delay: Duration::from_millis(self.src.delay_ms),
                    failures_in_row: 0,
                    gave_up: false,
                },
            );
        }
        self.hosts.get_mut(origin).expect("just inserted")
    }

    fn origin_of(url: &str) -> String {
        Url::parse(url)
            .map(|u| origin_key(&u))
            .unwrap_or_else(|_| url.to_string())
    }

    fn push_back(&mut self, item: Item) {
        let origin = Self::origin_of(&item.q.url);
        self.host(&origin).queue.push_back(item);
    }

    fn push_front(&mut self, item: Item) {
        let origin = Self::origin_of(&item.q.url);
        self.host(&origin).queue.push_front(item);
    }

    /// A host's request has been answered: it may be asked again (by any source) from `ready_at`.
    fn free(&mut self, origin: &str, ready_at: Instant) {
        let host = self.host(origin);
        host.busy = false;
        host.ready_at = ready_at;
        self.gate
            .borrow_mut()
            .release(origin, self.gate_id, ready_at);
    }

    /// Takes the host in the shared gate before a request; when another source holds it or its delay has not
    /// passed, the host waits and `false` is returned.
    fn claim(&mut self, origin: &str, now: Instant) -> bool {
        let claimed = self.gate.borrow_mut().claim(origin, self.gate_id, now);
        match claimed {
            Ok(()) => true,
            Err(at) => {
                self.host(origin).ready_at = at;
                false
            }
        }
    }

    fn queued(&self) -> usize {
        self.hosts.values().map(|h| h.queue.len()).sum()
    }

    fn show(&self) {
        self.progress.set_message(format!(
            "{}: fetched {}, queued {}, failed {}, {:.1} MB",
            self.src.name,
            self.counts.fetched,
            self.queued(),
            self.counts.failed,
            self.counts.bytes as f64 / 1e6
        ));
    }

    /// A host that may be asked now, round robin.
    fn pick_ready(&mut self, now: Instant) -> Option<String> {
        let n = self.order.len();
        for i in 0..n {
            let idx = (self.next_host + i) % n;
            let h = &self.hosts[&self.order[idx]];
            if !h.busy && !h.queue.is_empty() && h.ready_at <= now {
                self.next_host = (idx + 1) % n;
                return Some(self.order[idx].clone());
            }
        }
        None
    }

    /// When the next idle host with work becomes ready.
    fn next_ready_at(&self) -> Option<Instant> {
        self.hosts
            .values()
            .filter(|h| !h.busy && !h.queue.is_empty())
            .map(|h| h.ready_at)
            .min()
    }

    /// Runs the crawl to the end.
    pub async fn run(
        &mut self,
        state: &RefCell<State>,
        cache: &BodyCache,
        client: &Client,
    ) -> Result<(), CrawlError> {
        let mut tasks: JoinSet<Done> = JoinSet::new();
        let mut task_origin: HashMap<tokio::task::Id, (String, Option<Item>)> = HashMap::new();
        loop {
            self.launch(
                &mut tasks,
                &mut task_origin,
                &mut state.borrow_mut(),
                cache,
                client,
            )?;
            self.show();
            let wake = self.next_ready_at();
            if tasks.is_empty() {
                match wake {
                    None => break,
                    Some(t) => {
                        tokio::time::sleep_until(t.into()).await;
                        continue;
                    }
                }
            }
            let far = Instant::now() + Duration::from_secs(3600);
            tokio::select! {
                joined = tasks.join_next_with_id() => {
                    if let Some(first) = joined {
                        self.store_ready(first, &mut tasks, &mut task_origin, &mut state.borrow_mut())?;
                    }
                }
                _ = tokio::time::sleep_until(wake.unwrap_or(far).into()) => {}
            }
        }
        // Anything left queued (max_pages reached) is written down as not fetched.
        let leftover: Vec<Item> = self
            .hosts
            .values_mut()
            .flat_map(|h| h.queue.drain(..))
            .collect();
        let mut state = state.borrow_mut();
        for item in leftover {
            self.record_without_request(
                &mut state,
                &item,
                UrlOutcome::NotFetched,
                "max_pages reached",
            )?;
        }
        self.progress.finish_and_clear();
        Ok(())
    }

    /// Handles a finished task and every other one already finished, storing their answers in one commit.
    fn store_ready(
        &mut self,
        first: Result<(tokio::task::Id, Done), tokio::task::JoinError>,
        tasks: &mut JoinSet<Done>,
        task_origin: &mut HashMap<tokio::task::Id, (String, Option<Item>)>,
        state: &mut State,
    ) -> Result<(), CrawlError> {
        state.begin_batch()?;
        let mut next = Some(first);
        let mut handled = 0;
        while let Some(joined) = next.take() {
            handled += 1;
            match joined {
                Ok((id, done)) => {
                    task_origin.remove(&id);
                    self.handle(done, state)?;
                }
                Err(e) => {
                    // A task that panicked: free its host and record the URL as failed.
                    if let Some((origin, item)) = task_origin.remove(&e.id()) {
                        tracing::error!("{origin}: a crawl task failed: {e}");
                        let delay = self.host(&origin).delay;
                        self.free(&origin, Instant::now() + delay);
                        if let Some(item) = item {
                            let answer = Answer {
                                outcome: UrlOutcome::Failed,
                                error: Some(format!("internal error: {e}")),
                                ..Answer::default()
                            };
                            state.record(
                                &self.src.name,
                                self.run,
                                Some((&item.q, &answer)),
                                &[],
                            )?;
                        }
                    }
                }
            }
            if handled < MAX_BATCH {
                next = tasks.try_join_next_with_id();
            }
        }
        state.end_batch()?;
        // a crash test may stop the process here, with these answers committed
        for n in self.stored + 1..=self.stored + handled {
            crate::fsutil::checkpoint(&format!("crawl:{n}"));
        }
        self.stored += handled;
        Ok(())
    }

    fn record_without_request(
        &mut self,
        state: &mut State,
        item: &Item,
        outcome: UrlOutcome,
        why: &str,
    ) -> Result<(), CrawlError> {
        let answer = Answer {
            outcome,
            error: Some(why.to_string()),
            ..Answer::default()
        };
        state.record(&self.src.name, self.run, Some((&item.q, &answer)), &[])
    }

    fn launch(
        &mut self,
        tasks: &mut JoinSet<Done>,
        task_origin: &mut HashMap<tokio::task::Id, (String, Option<Item>)>,
        state: &mut State,
        cache: &BodyCache,
        client: &Client,
    ) -> Result<(), CrawlError> {
        let now = Instant::now();
        while tasks.len() < self.src.concurrency {
            let Some(origin) = self.pick_ready(now) else {
                break;
            };
            let limits = self.limits.clone();
            let host = self.hosts.get_mut(&origin).expect("picked");
            let floor = host.delay;
            if host.rules.is_none() {
                // a host another source found unreachable in this run is not asked again
                let dead = self.gate.borrow().dead(&origin).map(str::to_string);
                if let Some(reason) = dead {
                    let kind = NetworkFailure::of_error(&reason).unwrap_or(NetworkFailure::Other);
                    host.busy = true;
                    let done = Done::Robots {
                        origin,
                        status: 0,
                        body: Vec::new(),
                        failure: Some((kind, reason)),
                        warc: Vec::new(),
                    };
                    self.handle(done, state)?;
                    continue;
                }
                if !self.claim(&origin, now) {
                    continue;
                }
                let host = self.hosts.get_mut(&origin).expect("picked");
                host.busy = true;
                let client = client.clone();
                let o = origin.clone();
                let name = self.name.clone();
                let h = tasks
                    .spawn(async move { fetch_robots(&client, &o, &limits, floor, name).await });
                task_origin.insert(h.id(), (origin, None));
                continue;
            }
            let item = host.queue.pop_front().expect("a ready host has work");
            let verdict = host.rules.as_ref().expect("rules").check(&item.q.url);
            if let Err((outcome, why)) = verdict {
                self.record_without_request(state, &item, outcome, &why)?;
                continue;
            }
            if item.q.kind == UrlKind::Page && self.pages_started >= u64::from(self.src.max_pages) {
                self.record_without_request(
                    state,
                    &item,
                    UrlOutcome::NotFetched,
                    "max_pages reached",
                )?;
                continue;
            }
            if !self.claim(&origin, now) {
                self.push_front(item);
                continue;
            }
            if item.q.kind == UrlKind::Page {
                self.pages_started += 1;
            }
            let mut v = self.validators.remove(&item.q.url).unwrap_or_default();
            v.content_hash = v.content_hash.filter(|h| cache.has(h));
            let cond = if v.content_hash.is_some() {
                Conditional {
                    etag: v.etag.clone(),
                    last_modified: v.last_modified.clone(),
                }
            } else {
                Conditional::default()
            };
            self.hosts.get_mut(&origin).expect("picked").busy = true;
            let client = client.clone();
            let cache = cache.clone();
            let task_item = item.clone();
            let o = origin.clone();
            let name = self.name.clone();
            // the record that gave the cached body, which a 304's revisit record refers to
            let earlier = v.warc_date.clone().map(|date| Earlier {
                date,
                digest: v.warc_digest.clone(),
            });
            let h = tasks.spawn(async move {
                let fetched = fetch::fetch(&client, &task_item.q.url, &cond, &limits, floor).await;
                let (fetched, warc) = if limits.record {
                    prepare_off_thread(fetched, name, earlier).await
                } else {
                    (fetched, None)
                };
                let result = process(fetched, &task_item, v, cache).await;
                Done::Item {
                    origin: o,
                    item: task_item,
                    result: Box::new(result),
                    warc,
                }
            });
            task_origin.insert(h.id(), (origin, Some(item)));
        }
        Ok(())
    }

    fn handle(&mut self, done: Done, state: &mut State) -> Result<(), CrawlError> {
        match done {
            Done::Robots {
                origin,
                status,
                body,
                failure,
                warc,
            } => {
                for p in &warc {
                    self.write_warc(p);
                }
                let rules = match failure {
                    Some((kind, reason)) => Rules::Unreachable { kind, reason },
                    None => Rules::from_answer(&self.src.user_agent, status, &body),
                };
                let cap = Duration::from_millis(self.src.max_crawl_delay_ms);
                let base = Duration::from_millis(self.src.delay_ms);
                let delay = rules.crawl_delay().map_or(base, |d| d.min(cap).max(base));
                let note = match &rules {
                    Rules::AllowAll => format!("robots.txt: HTTP {status}, everything allowed"),
                    Rules::DisallowAll(why) => format!("{why}: nothing fetched"),
                    Rules::Unreachable { kind, reason } => {
                        let cause = reason.strip_prefix(&format!("{kind}: ")).unwrap_or(reason);
                        format!(
                            "not reached ({}): {cause}; nothing asked there",
                            kind.label()
                        )
                    }
                    Rules::Parsed(_) => format!("robots.txt read; delay {} ms", delay.as_millis()),
                };
                let unreachable = matches!(rules, Rules::Unreachable { .. });
                if let Rules::Unreachable { kind, reason } = &rules {
                    if matches!(
                        kind,
                        NetworkFailure::Dns | NetworkFailure::Refused | NetworkFailure::Tls
                    ) {
                        self.gate.borrow_mut().mark_dead(&origin, reason);
                    }
                }
                let first = unreachable && !self.gate.borrow().warned_unreachable;
                if first {
                    // The first host not reached in the run is worth a warning; a flood of them is not.
                    self.gate.borrow_mut().warned_unreachable = true;
                    self.progress.suspend(|| {
                        tracing::warn!(
                            "{origin}: {note} (hosts not reached after this one are logged at info level)"
                        )
                    });
                } else {
                    self.progress.suspend(|| tracing::info!("{origin}: {note}"));
                }
                self.robots_notes.push(RobotsNote {
                    origin: origin.clone(),
                    note,
                });
                let mut sitemaps = Vec::new();
                if self.src.sitemaps {
                    for s in rules.sitemaps() {
                        let Ok(u) = Url::parse(s) else { continue };
                        let u = frontier_url(u);
                        if self.scope.host_allowed(&u) && self.seen.insert(u.to_string()) {
                            sitemaps.push(Queued {
                                url: u.to_string(),
                                kind: UrlKind::Sitemap,
                                depth: 0,
                                linked_from: Some(format!("{origin}/robots.txt")),
                                redirected_from: None,
                                sitemap_lastmod: None,
                            });
                        }
                    }
                }
                let host = self.host(&origin);
                host.rules = Some(rules);
                host.delay = delay;
                // Nothing will be asked of an unreachable host: its URLs are written down at once.
                let ready = Instant::now() + if unreachable { Duration::ZERO } else { delay };
                self.free(&origin, ready);
                state.record(&self.src.name, self.run, None, &sitemaps)?;
                for q in sitemaps {
                    self.push_back(Item { q, chain: vec![] });
                }
            }
            Done::Item {
                origin,
                item,
                mut result,
                warc,
            } => {
                if let Some(p) = &warc {
                    if let Some(at) = self.write_warc(p) {
                        result.answer.warc_file = Some(at.file);
                        result.answer.warc_offset = Some(at.offset);
                        if let Some(e) = p.response() {
                            result.answer.warc_date = Some(e.date.clone());
                            result.answer.warc_digest = e.digest.clone();
                        }
                    }
                }
                let added = self.children(&item, &mut result);
                if result.answer.outcome.has_body() {
                    self.counts.fetched += 1;
                    self.counts.bytes += result.answer.bytes.unwrap_or(0);
                }
                if result.answer.outcome.is_failure() {
                    self.counts.failed += 1;
                    let why = result.answer.error.as_deref().unwrap_or("");
                    self.progress
                        .suspend(|| tracing::warn!("{}: {why}", item.q.url));
                }
                state.record(
                    &self.src.name,
                    self.run,
                    Some((&item.q, &result.answer)),
                    &added.iter().map(|i| i.q.clone()).collect::<Vec<_>>(),
                )?;
                let max_failures = self.src.max_host_failures;
                let delay = self.host(&origin).delay;
                self.free(&origin, Instant::now() + delay);
                let host = self.host(&origin);
                if result.host_failure {
                    host.failures_in_row += 1;
                } else if result.answer.http_status.is_some() {
                    host.failures_in_row = 0;
                }
                let gave_up = host.failures_in_row >= max_failures && !host.gave_up;
                if gave_up {
                    host.gave_up = true;
                }
                for i in added {
                    if i.chain.is_empty() {
                        self.push_back(i);
                    } else {
                        self.push_front(i);
                    }
                }
                if gave_up {
                    let why =
                        format!("host not asked again after {max_failures} failures in a row");
                    self.progress.suspend(|| tracing::warn!("{origin}: {why}"));
                    let left: Vec<Item> = self.host(&origin).queue.drain(..).collect();
                    for i in left {
                        self.record_without_request(state, &i, UrlOutcome::NotFetched, &why)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Appends an answer's records to the crawl's WARC files; where its response record is.
    fn write_warc(&self, p: &Prepared) -> Option<super::warcout::Written> {
        self.warc?.borrow_mut().append(p)
    }

    /// The URLs an answer adds to the frontier (marked seen), and the answer corrected for redirect loops.
    fn children(&mut self, item: &Item, result: &mut Processed) -> Vec<Item> {
        let mut added = Vec::new();
        if let Some(target) = result.redirect.take() {
            let mut chain = item.chain.clone();
            chain.push(item.q.url.clone());
            let t = target.to_string();
            if chain.contains(&t) {
                result.answer.outcome = UrlOutcome::Failed;
                result.answer.error = Some(format!("redirect loop: {} → {t}", chain.join(" → ")));
            } else if chain.len() > self.src.max_redirects as usize {
                result.answer.outcome = UrlOutcome::Failed;
                result.answer.error =
                    Some(format!("more than {} redirects", self.src.max_redirects));
            } else if let Err(why) = self.scope.check(&target) {
                result.answer.error = Some(format!("redirect target not followed: {why}"));
            } else if self.seen.insert(t.clone()) {
                added.push(Item {
                    q: Queued {
                        url: t,
                        kind: item.q.kind,
                        depth: item.q.depth,
                        linked_from: item.q.linked_from.clone(),
                        redirected_from: Some(chain[0].clone()),
                        sitemap_lastmod: item.q.sitemap_lastmod.clone(),
                    },
                    chain,
                });
            }
        }
        if let Some(sm) = result.sitemap.take() {
            for (u, lastmod) in sm.urls {
                let Ok(url) = Url::parse(u.trim()) else {
                    continue;
                };
                let url = frontier_url(url);
                if self.scope.check(&url).is_ok() && self.seen.insert(url.to_string()) {
                    added.push(Item {
                        q: Queued {
                            url: url.to_string(),
                            kind: UrlKind::Page,
                            depth: item.q.depth,
                            linked_from: Some(item.q.url.clone()),
                            redirected_from: None,
                            sitemap_lastmod: lastmod,
                        },
                        chain: vec![],
                    });
                }
            }
            for u in sm.sitemaps {
                let Ok(url) = Url::parse(u.trim()) else {
                    continue;
                };
                let url = frontier_url(url);
                if self.scope.host_allowed(&url) && self.seen.insert(url.to_string()) {
                    added.push(Item {
                        q: Queued {
                            url: url.to_string(),
                            kind: UrlKind::Sitemap,
                            depth: item.q.depth,
                            linked_from: Some(item.q.url.clone()),
                            redirected_from: None,
                            sitemap_lastmod: None,
                        },
                        chain: vec![],
                    });
                }
            }
        }
        if item.q.depth < self.src.max_depth {
            for url in std::mem::take(&mut result.links) {
                if self.scope.check(&url).is_ok() && self.seen.insert(url.to_string()) {
                    added.push(Item {
                        q: Queued {
                            url: url.to_string(),
                            kind: UrlKind::Page,
                            depth: item.q.depth + 1,
                            linked_from: Some(item.q.url.clone()),
                            redirected_from: None,
                            sitemap_lastmod: None,
                        },
                        chain: vec![],
                    });
                }
            }
        }
        added
    }
}
