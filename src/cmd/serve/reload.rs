//! Live reload: the state pages are served from, the events that tell open pages
//! to reload or swap a stylesheet, and the small script that listens for them.
//! It decides what an event is; it does not build and does not touch sockets.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use crate::pipeline::site::{Bytes, Site};

/// What open pages should do after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Reload the page (keeping the scroll position).
    Reload,
    /// Only these stylesheets changed (site paths, `/css/a.css`): swap them in place.
    Css(Vec<String>),
}

impl Event {
    /// The event as Server-Sent Events text, ready to write.
    pub fn to_sse(&self, generation: u64) -> String {
        match self {
            Event::Reload => format!("id: {generation}\nevent: reload\ndata: {generation}\n\n"),
            Event::Css(paths) => {
                let data: String = paths.iter().map(|p| format!("data: {p}\n")).collect();
                format!("id: {generation}\nevent: css\n{data}\n")
            }
        }
    }
}

/// What is served now: the last good site, and the errors of the last build
/// when it failed.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// The last site that built without errors.
    pub site: Arc<Site>,
    /// The overlay HTML shown on every page, when the last build failed.
    pub overlay: Option<Arc<str>>,
    /// Bumped on every published change, so a page knows whether it is stale.
    pub generation: u64,
}

/// The snapshot shared by the request handlers, and the event last published.
#[derive(Default)]
pub struct Shared {
    snapshot: RwLock<Snapshot>,
    last: Mutex<(u64, Option<Event>)>,
    changed: Condvar,
}

impl Shared {
    /// The current snapshot (cheap: two `Arc` clones).
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Serves `site` (or keeps the old one when `None`) with `overlay`, and tells
    /// open pages what to do, if anything changed for them.
    pub fn publish(&self, site: Option<Site>, overlay: Option<String>) -> Option<Event> {
        let mut snap = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        let overlay: Option<Arc<str>> = overlay.map(Arc::from);
        let event = match &site {
            Some(new) if overlay.is_none() && snap.overlay.is_none() => what_changed(&snap.site.files, &new.files),
            _ if overlay.as_deref() == snap.overlay.as_deref() && site.is_none() => None,
            _ => Some(Event::Reload),
        };
        if let Some(new) = site {
            snap.site = Arc::new(new);
        }
        snap.overlay = overlay;
        if event.is_some() {
            snap.generation += 1;
        }
        let generation = snap.generation;
        drop(snap);
        if let Some(e) = &event {
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            *last = (generation, Some(e.clone()));
            self.changed.notify_all();
        }
        event
    }

    /// Waits up to `timeout` for an event newer than generation `seen`.
    /// A client more than one event behind gets a reload.
    pub fn wait_after(&self, seen: u64, timeout: Duration) -> Option<(u64, Event)> {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let (last, _) = self.changed.wait_timeout_while(last, timeout, |l| l.0 <= seen).unwrap_or_else(|p| p.into_inner());
        match &last.1 {
            Some(e) if last.0 > seen => Some((last.0, if last.0 == seen + 1 { e.clone() } else { Event::Reload })),
            _ => None,
        }
    }
}

/// The event for a successful rebuild: nothing when no file changed, a
/// stylesheet swap when only CSS changed, else a reload.
pub fn what_changed(old: &BTreeMap<String, Bytes>, new: &BTreeMap<String, Bytes>) -> Option<Event> {
    // Pages kept from the previous build are the same allocation: no need to compare bytes.
    let same = |k: &String, v: &Bytes| old.get(k).is_some_and(|o| Arc::ptr_eq(o, v) || o == v);
    let mut changed: Vec<&str> = new.iter().filter(|(k, v)| !same(k, v)).map(|(k, _)| k.as_str()).collect();
    changed.extend(old.keys().filter(|k| !new.contains_key(*k)).map(String::as_str));
    if changed.is_empty() {
        None
    } else if changed.iter().all(|k| k.ends_with(".css")) {
        Some(Event::Css(changed.iter().map(|k| format!("/{k}")).collect()))
    } else {
        Some(Event::Reload)
    }
}

/// The live-reload script for a page served at `generation`. Inline, so the
/// built site's files are never touched; keeps the scroll position across the
/// reload in sessionStorage.
///
/// A stream the server refused (503, too many open pages) is not retried by
/// the browser, and EventSource hides the response's `Retry-After`; so the
/// script asks with a HEAD of the same URL, which answers 503 with the hint
/// while the streams are full, and tries again then, spread out at random so
/// that refused tabs do not all come back at once.
pub fn script(generation: u64) -> String {
    format!(
        r#"<script>/* coursegen serve: live reload */(() => {{
  const key = 'coursegen-scroll:' + location.pathname;
  const y = sessionStorage.getItem(key);
  if (y !== null) {{
    sessionStorage.removeItem(key);
    const go = () => window.scrollTo(0, Number(y));
    if (document.readyState === 'complete') go(); else addEventListener('load', go);
  }}
  const src = '{events}?since={generation}';
  const listen = () => {{
    const es = new EventSource(src);
    es.addEventListener('reload', () => {{
      es.close();
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    }});
    es.addEventListener('css', (e) => {{
      const changed = e.data.split('\n');
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {{
        const url = new URL(link.href);
        if (!changed.includes(url.pathname)) continue;
        url.searchParams.set('coursegen', String(Date.now()));
        link.href = url.href;
      }}
    }});
    es.addEventListener('error', () => {{
      if (es.readyState !== EventSource.CLOSED) return;
      fetch(src, {{ method: 'HEAD', cache: 'no-store' }})
        .then((r) => (r.ok ? 1 : Number(r.headers.get('Retry-After')) || {retry}), () => {retry})
        .then((s) => setTimeout(listen, s * 1000 * (0.5 + Math.random())));
    }});
  }};
  listen();
}})();</script>
"#,
        events = super::http::EVENTS_PATH,
        retry = super::limits::STREAM_RETRY_AFTER_SECS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Site {
        Site { files: files.iter().map(|(k, v)| (k.to_string(), Bytes::from(v.as_bytes()))).collect(), pages: 0 }
    }

    #[test]
    fn events_follow_what_changed() {
        let shared = Shared::default();
        assert_eq!(shared.publish(Some(site(&[("a.html", "1"), ("css/x.css", "a")])), None), Some(Event::Reload));
        assert_eq!(shared.publish(Some(site(&[("a.html", "1"), ("css/x.css", "a")])), None), None);
        assert_eq!(shared.publish(Some(site(&[("a.html", "1"), ("css/x.css", "b")])), None), Some(Event::Css(vec!["/css/x.css".into()])));
        assert_eq!(shared.publish(None, Some("boom".into())), Some(Event::Reload));
        assert_eq!(shared.publish(None, Some("boom".into())), None, "same errors again: nothing to do");
        assert_eq!(&*shared.snapshot().site.files["css/x.css"], b"b", "last good site kept");
        assert_eq!(shared.publish(Some(site(&[("a.html", "1"), ("css/x.css", "b")])), None), Some(Event::Reload), "fixed: overlay goes");
        assert_eq!(shared.snapshot().generation, 4);
        assert_eq!(shared.wait_after(3, Duration::ZERO), Some((4, Event::Reload)));
        assert_eq!(shared.wait_after(1, Duration::ZERO), Some((4, Event::Reload)));
        assert_eq!(shared.wait_after(4, Duration::ZERO), None);
    }

    #[test]
    fn sse_text() {
        assert_eq!(Event::Reload.to_sse(3), "id: 3\nevent: reload\ndata: 3\n\n");
        assert_eq!(Event::Css(vec!["/a.css".into(), "/b.css".into()]).to_sse(2), "id: 2\nevent: css\ndata: /a.css\ndata: /b.css\n\n");
    }
}
