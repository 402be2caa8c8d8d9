//! The one part of coursegen that talks to the network: `coursegen check
//! --external` asks each external link's server whether the page is there.
//! Off by default, since the network may be absent; every request is bounded.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

/// Most distinct external URLs checked in one run.
pub const MAX_URLS: usize = 2_000;
/// How long one URL may take, redirects included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What a server said about a URL, when it was not a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The server answered with this status (4xx or 5xx).
    Status(u16),
    /// No answer: the host is unknown, refused, timed out…
    Unreachable(String),
}

/// Checks each URL once (HEAD, then GET when a server refuses HEAD), several at
/// a time; returns the URLs that failed.
pub fn probe(urls: &[&str]) -> BTreeMap<String, Problem> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("coursegen/", env!("CARGO_PKG_VERSION"), " (link check)"))
        .build()
        .into();
    urls.par_iter().take(MAX_URLS).filter_map(|url| one(&agent, url).err().map(|p| (url.to_string(), p))).collect()
}

fn one(agent: &ureq::Agent, url: &str) -> Result<(), Problem> {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        r.map(|resp| resp.status().as_u16()).map_err(|e| Problem::Unreachable(e.to_string()))
    };
    let mut code = status(agent.head(url).call())?;
    // Some servers refuse HEAD; ask again the ordinary way.
    if code == 405 || code == 501 {
        code = status(agent.get(url).call())?;
    }
    if code >= 400 { Err(Problem::Status(code)) } else { Ok(()) }
}
