//! Progress bars on stderr (hidden when it is not a terminal): one per phase.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Counters the bars show, shared with the request tasks.
#[derive(Clone, Default)]
pub struct Counters {
    /// Read answers received in the current phase.
    pub reads: Arc<AtomicU64>,
    /// Uploads answered.
    pub uploads: Arc<AtomicU64>,
}

/// A timed phase's bar, redrawn by a ticker task until [`PhaseBar::finish`].
pub struct PhaseBar {
    bar: ProgressBar,
    ticker: JoinHandle<()>,
}

impl PhaseBar {
    /// A bar over `length` of wall time; its message counts reads and, when `uploads` is
    /// given, uploads answered out of that many.
    pub fn start(
        name: &str,
        length: Duration,
        counters: &Counters,
        uploads: Option<usize>,
    ) -> Self {
        let bar = new_bar(
            name,
            length.as_millis() as u64,
            "[{bar:30.cyan/blue}] {elapsed:>4} {msg}",
        );
        let (shown, counters, start) = (bar.clone(), counters.clone(), Instant::now());
        let ticker = tokio::spawn(async move {
            loop {
                shown.set_position(start.elapsed().as_millis() as u64);
                let reads = counters.reads.load(Ordering::Relaxed);
                let mut message = format!("{reads} reads");
                if let Some(total) = uploads {
                    message.push_str(&format!(
                        ", uploads {}/{total}",
                        counters.uploads.load(Ordering::Relaxed)
                    ));
                }
                shown.set_message(message);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        });
        Self { bar, ticker }
    }

    /// Stops redrawing and removes the bar.
    pub fn finish(self) {
        self.ticker.abort();
        self.bar.finish_and_clear();
    }
}

/// A bar of videos final out of `total`.
pub fn videos_bar(total: usize) -> ProgressBar {
    new_bar(
        "videos final",
        total as u64,
        "[{bar:30.cyan/blue}] {pos}/{len} {elapsed:>4}",
    )
}

fn new_bar(name: &str, length: u64, template: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(length), ProgressDrawTarget::stderr())
        .with_prefix(name.to_owned());
    let style =
        ProgressStyle::with_template(&format!("{{prefix:14}} {template}")).expect("bar template");
    bar.set_style(style.progress_chars("=> "));
    bar
}
