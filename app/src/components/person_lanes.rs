//! A lane per person found in a video, on the same time axis as its faces-per-second chart:
//! the person's name (or "Person N") and face, and the stretches they are on screen. A click
//! anywhere on a lane asks to play from there; each stretch is also a `?t=` link.

use super::time_axis::{pct, seek_on_click};
use super::timeline::segments;
use crate::i18n::{tr, use_i18n, Texts};
use crate::model::TimelinePerson;
use leptos::prelude::*;

/// What a person is called on the video page: their profile's full name, else "Person N"
/// with N counted from 1 (ordinals count from 0).
pub fn person_label(t: &Texts, person: &TimelinePerson) -> String {
    person
        .full_name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| (t.person_n)(person.ordinal + 1))
}

/// The lanes of a video's people.
#[component]
pub fn PersonLanes(
    /// The video's id (for the `?t=` links).
    video_id: String,
    /// Its people.
    #[prop(into)]
    people: Signal<Vec<TimelinePerson>>,
    /// The axis' length in seconds (the chart's).
    #[prop(into)]
    length_s: Signal<f64>,
    /// Called with the time clicked, seconds.
    on_seek: Callback<f64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lanes = move || {
        let length = length_s.get();
        people
            .get()
            .into_iter()
            .map(|person| {
                let label = {
                    let person = person.clone();
                    move || person_label(i18n.t(), &person)
                };
                let drawn = segments(&video_id, Some(length), &person.episodes)
                    .into_iter()
                    .map(|s| {
                        view! {
                            <g>
                                <a class="lane-episode" href=s.href data-testid="lane-episode">
                                    <title>{move || (i18n.t().segment_title)(&s.label)}</title>
                                    <rect x=pct(s.x_pct) y="0" width=pct(s.w_pct) height="100%" rx="2"/>
                                </a>
                            </g>
                        }
                    })
                    .collect_view();
                view! {
                    <li class="lane" data-testid="person-lane" data-person=person.ordinal>
                        <span class="lane-who">
                            <img class="lane-crop" src=person.crop_url.clone() alt="" width="32" height="32" loading="lazy"/>
                            <span class="lane-name" data-testid="lane-name">{label.clone()}</span>
                        </span>
                        <svg class="lane-bar" role="img" aria-label=label
                            on:click=move |ev| seek_on_click(&ev, length_s.get_untracked(), on_seek)>
                            <rect class="lane-track" x="0" y="0" width="100%" height="100%" rx="3"/>
                            {drawn}
                        </svg>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul class="lanes" data-testid="person-lanes" aria-label=tr!(i18n, lanes_label)>{lanes}</ul>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn person(ordinal: u32, full_name: Option<&str>) -> TimelinePerson {
        TimelinePerson {
            ordinal,
            person_id: "p".into(),
            profile_id: None,
            full_name: full_name.map(str::to_string),
            crop_url: "/c.jpg".into(),
            episodes: Vec::new(),
        }
    }

    #[test]
    fn a_person_is_called_by_name_or_number() {
        let en = Lang::En.texts();
        assert_eq!(person_label(en, &person(2, Some("Ann Lee"))), "Ann Lee");
        assert_eq!(person_label(en, &person(3, None)), "Person 4");
        assert_eq!(person_label(en, &person(0, None)), "Person 1");
        assert_eq!(person_label(en, &person(4, Some("  "))), "Person 5");
        assert_eq!(
            person_label(Lang::Ru.texts(), &person(3, None)),
            "Человек 4"
        );
    }
}
