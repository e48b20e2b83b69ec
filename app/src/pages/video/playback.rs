//! Where the player is, shared by the pieces of the video page that follow it (the chart's
//! playhead, the face boxes) or move it (clicks on the chart and the lanes).

use leptos::{html, prelude::*};

/// The page's `<video>` element and its position.
#[derive(Clone, Copy)]
pub struct Playback {
    /// The `<video>` element (set once it is mounted).
    pub player: NodeRef<html::Video>,
    /// Its `currentTime`, seconds, as last read.
    pub time: RwSignal<f64>,
    /// Whether a `requestAnimationFrame` loop is reading the time.
    ticking: StoredValue<bool>,
}

impl Playback {
    /// A player not mounted yet, at `start` seconds.
    pub fn new(start: Option<f64>) -> Self {
        Self {
            player: NodeRef::new(),
            time: RwSignal::new(start.unwrap_or(0.0)),
            ticking: StoredValue::new(false),
        }
    }

    /// Moves the player to `t` seconds, without reloading anything.
    pub fn seek(self, t: f64) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = self.player.get_untracked() {
            el.set_current_time(t);
        }
        self.time.set(t);
    }

    /// Reads the player's position (on `timeupdate`, `seeked`, ...).
    pub fn sync(self) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = self.player.get_untracked() {
            let now = el.current_time();
            if self.time.get_untracked() != now {
                self.time.set(now);
            }
        }
    }

    /// Follows the position at every animation frame while the video plays (`timeupdate`
    /// alone fires only about four times a second: boxes would lag behind the faces).
    pub fn follow(self) {
        if self.ticking.get_value() {
            return;
        }
        self.ticking.set_value(true);
        self.tick();
    }

    /// One animation frame of [`follow`](Self::follow).
    fn tick(self) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = self.player.try_get_untracked().flatten() {
            let now = el.current_time();
            if self.time.try_get_untracked().is_some_and(|t| t != now) {
                self.time.try_set(now);
            }
            if !el.paused() && !el.ended() {
                request_animation_frame(move || self.tick());
                return;
            }
        }
        self.ticking.try_set_value(false);
    }
}
