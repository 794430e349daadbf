//! A progress bar for builds that take more than a second, drawn on stderr only when it is a terminal:
//! tasks scored, then entries of `out/` written (creating thousands of links can take seconds on a
//! busy file system).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts scored tasks, then written entries; shows a bar once a build has run for a second (never when
/// stderr is not a terminal).
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Mutex<Option<Instant>>,
    /// Called when scoring is over (`batt watch`: from then on the build writes).
    on_finish: Option<Box<dyn Fn() + Send + Sync>>,
}

impl Progress {
    /// A bar on stderr if it is a terminal and `enabled`; otherwise one that never draws.
    pub fn new(enabled: bool) -> Progress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} {elapsed}") {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix("batt: scoring");
            bar.set_message("tasks");
            bar
        });
        Progress { bar, started: Mutex::new(None), on_finish: None }
    }

    /// Calls `f` each time scoring is over, before anything is written.
    pub fn on_finish(mut self, f: impl Fn() + Send + Sync + 'static) -> Progress {
        self.on_finish = Some(Box::new(f));
        self
    }

    /// Starts counting `total` tasks.
    pub fn start(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(0);
        }
        if let Ok(mut started) = self.started.lock() {
            *started = Some(Instant::now());
        }
    }

    /// Starts counting the `total` entries of `out/` a build writes. The bar shows if the build (scoring
    /// included) has run for a second.
    pub fn start_writing(&self, total: u64) {
        if let Some(bar) = &self.bar {
            // A bar that was finished (scoring's) draws nothing until it is reset.
            bar.reset();
            bar.set_prefix("batt: writing out/");
            bar.set_message("entries");
            bar.set_length(total);
        }
        if let Ok(mut started) = self.started.lock() {
            started.get_or_insert_with(Instant::now);
        }
    }

    /// One more task scored, or one more entry written.
    pub fn inc(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if bar.is_hidden()
            && let Ok(started) = self.started.lock()
            && started.is_some_and(|t| t.elapsed() > Duration::from_secs(1))
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Scoring is over: calls the `on_finish` hook and removes the bar.
    pub fn finish(&self) {
        if let Some(f) = &self.on_finish {
            f();
        }
        self.clear();
    }

    /// Removes the bar (it shows again if counting goes on).
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
    }
}
