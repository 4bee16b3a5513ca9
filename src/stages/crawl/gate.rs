//! Politeness across sources: one gate per crawl holds, for every host (origin), who is asking it now and when it
//! may next be asked. Sources crawl at the same time, and two sources on one host still take turns, one request
//! at a time with the host's delay between answers. Everything runs on one coordinating thread, so the gate is a
//! plain map behind a `RefCell`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a crawler waits before asking again for a host another source holds.
pub const HELD_RETRY: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The crawler with a request in flight on the host, if any.
    holder: Option<usize>,
    /// The host may not be asked before this.
    ready_at: Instant,
}

/// Who holds each host, and when each becomes free.
#[derive(Debug, Default)]
pub struct HostGate {
    slots: HashMap<String, Slot>,
    next_id: usize,
    /// A host not reached was already logged at warn level in this run (by any source): the next ones go to info.
    pub warned_unreachable: bool,
    /// Hosts found unreachable in this run (a name that does not resolve, a refused connection, a failed TLS
    /// handshake), with the reason: nobody waits its turn to ask them again.
    dead: HashMap<String, String>,
}

impl HostGate {
    /// A new identity for a crawler (a source's crawl, an API client).
    pub fn register(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// Takes `origin` for crawler `who` if nobody holds it and its delay has passed; otherwise says when to ask
    /// again.
    pub fn claim(&mut self, origin: &str, who: usize, now: Instant) -> Result<(), Instant> {
        match self.slots.get_mut(origin) {
            None => {
                self.slots.insert(
                    origin.to_string(),
                    Slot {
                        holder: Some(who),
                        ready_at: now,
                    },
                );
                Ok(())
            }
            Some(s) => match s.holder {
                Some(h) if h != who => Err(now + HELD_RETRY),
                _ if s.ready_at > now => Err(s.ready_at),
                _ => {
                    s.holder = Some(who);
                    Ok(())
                }
            },
        }
    }

    /// Marks `origin` unreachable for the rest of the run.
    pub fn mark_dead(&mut self, origin: &str, reason: &str) {
        self.dead
            .entry(origin.to_string())
            .or_insert_with(|| reason.to_string());
    }

    /// Why `origin` was found unreachable in this run, if it was.
    pub fn dead(&self, origin: &str) -> Option<&str> {
        self.dead.get(origin).map(String::as_str)
    }

    /// Gives `origin` back: nobody may ask it before `ready_at`.
    pub fn release(&mut self, origin: &str, who: usize, ready_at: Instant) {
        if let Some(s) = self.slots.get_mut(origin) {
            if s.holder == Some(who) {
                s.holder = None;
            }
            s.ready_at = s.ready_at.max(ready_at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_crawlers_take_turns_on_one_host_with_its_delay() {
        let mut g = HostGate::default();
        let (a, b) = (g.register(), g.register());
        let t0 = Instant::now();
        assert!(g.claim("https://x.org", a, t0).is_ok());
        // b waits while a holds the host, and may take another host.
        assert!(g.claim("https://x.org", b, t0).is_err());
        assert!(g.claim("https://y.org", b, t0).is_ok());
        let free_at = t0 + Duration::from_millis(500);
        g.release("https://x.org", a, free_at);
        // Nobody holds it now, but its delay has not passed.
        assert_eq!(g.claim("https://x.org", b, t0), Err(free_at));
        assert!(g.claim("https://x.org", b, free_at).is_ok());
        // A release by someone who does not hold it changes nothing but the time.
        g.release("https://x.org", a, free_at);
        assert!(g.claim("https://x.org", a, free_at).is_err());
        assert_eq!(g.dead("https://x.org"), None);
        g.mark_dead("https://x.org", "dns: no such name");
        g.mark_dead("https://x.org", "refused: later");
        assert_eq!(g.dead("https://x.org"), Some("dns: no such name"));
    }
}
