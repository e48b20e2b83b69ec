//! The shape of a language's catalogue: one field per text of the UI. Plain texts
//! ("words") are `&'static str`; texts with values in them ("phrases") are functions of
//! typed arguments, so each language orders the values and inflects the words its own way
//! (Russian plurals, for one). Both catalogues are values of this one type, so a text
//! missing in either is a compile error.

use crate::model::VideoStatus;
use crate::validate::FieldError;

macro_rules! catalogue {
    (
        words { $($word:ident,)* }
        phrases { $($phrase:ident: fn($($arg:ty),*),)* }
    ) => {
        /// Every text of the UI in one language. Fields are named after where the text
        /// appears; see `en.rs` for what each says.
        pub struct Texts {
            /// Units of sizes: bytes, kilobytes, megabytes, gigabytes.
            pub byte_units: [&'static str; 4],
            $(#[allow(missing_docs)] pub $word: &'static str,)*
            $(#[allow(missing_docs)] pub $phrase: fn($($arg),*) -> String,)*
        }

        impl Texts {
            /// Every plain text with its name, in declaration order (for tests).
            pub fn words(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($word), self.$word),)*]
            }
        }
    };
}

catalogue! {
    words {
        // The page around every page.
        meta_description, nav_label, nav_videos, nav_profiles, nav_people, nav_search, nav_api,
        page_not_found, lang_switch_label, lang_name, lang_short, sign_out, dismiss,
        unreachable, session_ended, answer_unreadable, decimal_point,
        // Shared pieces.
        pages_label, previous, next, play_from_here, timeline_label,
        status_queued, status_processing, status_done, status_failed, status_cancelled,
        status_paused,
        // Sign-in page.
        sign_in, sign_in_hint, wrong_token, api_token,
        // Videos page: upload panel, table, rows.
        videos_subtitle, all_videos, live_title, connecting, live, reconnecting, loading_videos,
        upload_heading, upload_drop, upload_hint, upload_choose, create_profiles,
        create_profiles_hint, upload_nothing, upload_unreachable, upload_too_large,
        upload_unreadable, no_videos, no_videos_hint, col_file, col_status, col_progress,
        col_faces, col_faces_title, col_max_faces, col_max_faces_title, col_people, col_frames,
        col_speed, col_speed_title, col_video, col_actions, tag_profiles, tag_profiles_title,
        people_unknown, people_so_far, people_distinct, pause, pause_title, resume, cancel,
        delete,
        // Video page.
        back_all_videos, loading_video, video_not_found, video_unavailable, back_to_videos,
        player_label, details, most_in_frame, frames_with_faces, resolution, frame_rate,
        duration, uploaded_label, no_video_support, format_unplayable, format_unplayable_hint,
        video_not_loaded, video_not_loaded_hint, reprocess, reprocess_confirm,
        // Video page: what it looks like over time (chart, lanes, face boxes).
        look_heading, faces_per_second, activity_label, lanes_label, show_face_boxes, face_boxes_label,
        no_faces_yet, sparkline_label,
        // Profiles page, cards and the profile form.
        profiles_subtitle, loading_profiles, show_every_profile, nothing_on_page, first_page,
        no_profiles, no_profiles_before, no_profiles_after, search_by_name,
        search_profiles_label, show_hidden, unnamed, hidden, gender, born, added, seen_in,
        videos_deleted, added_title, open_profile_title, find_in_archive,
        find_in_archive_title, edit, full_name, full_name_placeholder, full_name_hint, male,
        female, birth_date, save, saving,
        // People page.
        unassigned_people, unassigned_subtitle, loading_people, open_the_profile,
        everybody_has_profile, profile_made, the_profile, new_profile, assign_to, assign,
        // A profile's page.
        back_all_profiles, open, type_part_of_name, find_profile_label, no_other_profile_name,
        added_to_this, add_person_failed, lookalikes, face_similarity, add_to_this_profile,
        the_unnamed_profile, merge_failed, no_lookalike_profile, merge, same_person,
        merge_with, lookalike_profiles, looking_for_lookalikes, or_by_name, loading_its_people,
        no_person_in_profile, taken_out, take_out_failed, own_profile, separate_failed,
        not_this_person, not_this_person_title, separate_profile, separate_profile_title,
        loading_profile, profile_not_found, profile_unavailable, back_to_profiles,
        listed_again, hidden_now, change_profile_failed, saved, hide, unhide, hide_title,
        history, loading_history, no_manual_changes, yes, no, action_edited, action_merged,
        action_created, action_hidden, action_unhidden, action_deleted, action_person_moved,
        action_reprocessed, watch, unwatch, watch_title, watched, watching_now,
        unwatched_now, action_watched, action_unwatched,
        // Alerts of the watch list, on every page.
        alerts_label, acknowledge,
        // Export links on the Videos and Profiles pages.
        export_label, export_hint, export_videos, export_profiles, export_appearances,
        // Search page.
        search_title, search_subtitle, photo_label, searching_with_profile, matches_label,
        nothing_searched, nothing_searched_hint, searching, forced_no_result, try_sharper,
        search_anyway, drop_photo, drop_photo_hint, choose_photo, photo_searched_with,
        face_outlined, creating, create_profile, profile_searched_with, face_searched_for,
        person_found, two_faces_similarity, similarity_at_least, order_label,
        order_similarity, order_time, low_quality, lower_similarity, search_unreadable,
        search_what, profile_unreadable, already_has_profile, creating_profile_what,
        photo_too_large, session_ended_sentence,
    }
    phrases {
        // An alert: who, in which file, from when.
        alert_seen: fn(&str, &str, &str),
        // Numbers with units.
        fps: fn(&str),
        left_seconds: fn(u64),
        left_minutes: fn(u64),
        left_hours: fn(&str),
        more: fn(usize),
        items: fn(usize),
        // Lists and pages.
        about: fn(&str),
        showing: fn(&str, &str, &str),
        showing_none: fn(&str),
        page_of: fn(&str, &str),
        videos_count: fn(usize),
        status_count: fn(usize, VideoStatus),
        profiles_in_all: fn(u64),
        matches: fn(usize),
        // Things named in a text.
        person_in: fn(&str),
        segment_title: fn(&str),
        face_of: fn(&str),
        face_n: fn(usize),
        person_n: fn(u32),
        faces_per_second_at: fn(&str, u32),
        download: fn(&str),
        added_at: fn(&str),
        added_to: fn(&str),
        merged: fn(&str),
        no_name_match: fn(&str),
        no_matches: fn(&str),
        faces_found: fn(usize),
        faces_found_chosen: fn(usize, usize),
        other_model: fn(u64, &str),
        faces_other_model: fn(u64, &str),
        // Uploads.
        uploading: fn(usize),
        upload_sent: fn(&str, &str, u8),
        uploaded: fn(usize),
        upload_http: fn(u16),
        upload_not_started: fn(&str),
        // Questions before acting.
        delete_video_confirm: fn(&str),
        delete_profile_confirm: fn(&str),
        merge_confirm: fn(&str),
        // Failures (a name, and the reason).
        cancel_failed: fn(&str, &str),
        pause_failed: fn(&str, &str),
        resume_failed: fn(&str, &str),
        delete_failed: fn(&str, &str),
        server_http: fn(u16),
        load_videos_failed: fn(&str),
        load_profiles_failed: fn(&str),
        load_people_failed: fn(&str),
        load_its_people_failed: fn(&str),
        load_history_failed: fn(&str),
        reprocess_failed: fn(&str),
        timeline_failed: fn(&str),
        save_failed: fn(&str),
        make_profile_failed: fn(&str),
        assign_failed: fn(&str),
        search_failed: fn(&str),
        search_not_started: fn(&str),
        what_unreachable: fn(&str),
        what_http: fn(&str, u16),
        // What is wrong with a profile field.
        field_error: fn(&FieldError),
    }
}
