//! The politeness keys every web source shares, declared once. [`web_source!`] writes a source's settings struct
//! with its own fields followed by the shared keys, each with the `http` source's named default and doc comment,
//! and methods that copy them into the [`HttpSource`](super::HttpSource) the crawler runs with. The keys are
//! real fields of each struct, so `deny_unknown_fields` still names a misspelt key (serde's `flatten` would not).
//!
//! - `request` keys: `user_agent`, `connect_timeout_ms`, `timeout_ms`, `max_retries`, `retry_base_ms`,
//!   `max_retry_after_ms` (every request, an API call included);
//! - `crawl` keys, for sources whose pages go through the crawler: the request keys and `max_host_failures`,
//!   `max_crawl_delay_ms`, `max_html_bytes`, `max_pdf_bytes`, `max_redirects`.
//!
//! `delay_ms` and `concurrency` are each source's own: their defaults differ (an archive asks for more patience
//! than a website).

/// Declares a web source's settings struct with the shared politeness keys (see the module doc).
macro_rules! web_source {
    (crawl $(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $crate::config::politeness::web_source! {
            request $(#[$meta])* pub struct $name {
                $($body)*
                /// Failures in a row after which a host is no longer asked in this run.
                #[serde(default = "crate::config::http::default_max_host_failures")]
                pub max_host_failures: u32,
                /// Longest robots.txt `Crawl-delay` honoured, in milliseconds.
                #[serde(default = "crate::config::http::default_max_crawl_delay_ms")]
                pub max_crawl_delay_ms: u64,
                /// Largest HTML, XML, feed or plain-text body; a larger one is refused, never truncated.
                #[serde(default = "crate::config::http::default_max_html_bytes")]
                pub max_html_bytes: u64,
                /// Largest PDF body; a larger one is refused, never truncated.
                #[serde(default = "crate::config::http::default_max_pdf_bytes")]
                pub max_pdf_bytes: u64,
                /// Most redirects followed from one URL.
                #[serde(default = "crate::config::http::default_max_redirects")]
                pub max_redirects: u32,
            }
        }

        impl $name {
            /// Copies the crawl keys (the request keys too) into the settings the crawler runs with.
            pub fn crawl_keys_into(&self, h: &mut $crate::config::HttpSource) {
                self.request_keys_into(h);
                h.max_host_failures = self.max_host_failures;
                h.max_crawl_delay_ms = self.max_crawl_delay_ms;
                h.max_html_bytes = self.max_html_bytes;
                h.max_pdf_bytes = self.max_pdf_bytes;
                h.max_redirects = self.max_redirects;
            }
        }
    };
    (request $(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($body)*
            /// User-Agent sent with each request and matched against robots.txt; include a contact URL.
            #[serde(default = "crate::config::http::default_user_agent")]
            pub user_agent: String,
            /// Connect timeout, in milliseconds.
            #[serde(default = "crate::config::http::default_connect_timeout_ms")]
            pub connect_timeout_ms: u64,
            /// Total timeout of one request including its body, in milliseconds.
            #[serde(default = "crate::config::http::default_timeout_ms")]
            pub timeout_ms: u64,
            /// Retries after a failed attempt on 408, 429, 5xx and network errors.
            #[serde(default = "crate::config::http::default_max_retries")]
            pub max_retries: u32,
            /// First retry backoff in milliseconds; it doubles per retry, plus random jitter up to the same amount.
            #[serde(default = "crate::config::http::default_retry_base_ms")]
            pub retry_base_ms: u64,
            /// Longest `Retry-After` honoured, in milliseconds; a longer one gives the URL up for this run.
            #[serde(default = "crate::config::http::default_max_retry_after_ms")]
            pub max_retry_after_ms: u64,
        }

        impl $name {
            /// Copies the request keys into the settings the crawler and the API client run with.
            pub fn request_keys_into(&self, h: &mut $crate::config::HttpSource) {
                h.user_agent.clone_from(&self.user_agent);
                h.connect_timeout_ms = self.connect_timeout_ms;
                h.timeout_ms = self.timeout_ms;
                h.max_retries = self.max_retries;
                h.retry_base_ms = self.retry_base_ms;
                h.max_retry_after_ms = self.max_retry_after_ms;
            }
        }
    };
}

pub(crate) use web_source;
