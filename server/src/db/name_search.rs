//! `GET /api/profiles?q=`: a page of the profiles whose folded name contains `q`, and how
//! many match, fast with 100 000 profiles.
//!
//! Substrings of 3 or more characters are looked up in a trigram index (`profile_names`,
//! FTS5 with the trigram tokenizer, on SQLite; `pg_trgm` GIN on PostgreSQL), which gives the
//! count at once. The page then takes the cheaper of two ways: few matches are read by id
//! and sorted; many are found by walking the newest-first index, which meets a match every
//! few rows. Shorter substrings cannot use trigrams and scan. The statements are not
//! prepared once for all: PostgreSQL must plan them knowing the pattern (a generic plan
//! would sort every match of a common name).

use super::profiles::{ProfileFilter, ProfileRow, COLUMNS};
use super::{Db, Dialect};

/// From this many matches on, the page walks the newest-first index instead of sorting the
/// matches: at 100 000 profiles it then reads at most about 100 rows per row it returns.
const WALK_FROM: i64 = 1_000;

impl Db {
    /// One page of the profiles whose `name_key` contains `name` (already folded), newest
    /// first, and how many match in all.
    pub(super) async fn find_by_name(
        &self,
        name: &str,
        filter: &ProfileFilter,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<(Vec<ProfileRow>, i64)> {
        let pattern = like_pattern(name);
        let visible = if filter.include_hidden {
            ""
        } else {
            " AND hidden = 0"
        };
        let indexed = name.chars().count() >= 3;
        let total = match (self.dialect, indexed) {
            (Dialect::Sqlite, true) => {
                let all: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM profile_names WHERE profile_names MATCH $1",
                )
                .bind(phrase(name))
                .fetch_one(self.pool())
                .await?;
                let hidden: i64 = if filter.include_hidden {
                    0
                } else {
                    // Few profiles are hidden: the index on `hidden` reads only them.
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM profiles WHERE hidden = 1 AND name_key LIKE $1 ESCAPE '\\'",
                    )
                    .bind(&pattern)
                    .fetch_one(self.pool())
                    .await?
                };
                all - hidden
            }
            _ => {
                let sql = format!(
                    "SELECT COUNT(*) FROM profiles WHERE name_key LIKE $1 ESCAPE '\\'{visible}"
                );
                sqlx::query_scalar(&sql)
                    .bind(&pattern)
                    .persistent(false)
                    .fetch_one(self.pool())
                    .await?
            }
        };
        if total <= offset {
            return Ok((Vec::new(), total));
        }
        let by_id = self.dialect == Dialect::Sqlite && indexed && total < WALK_FROM;
        let sql = if by_id {
            format!(
                "SELECT {COLUMNS} FROM profiles WHERE rowid IN \
                 (SELECT rowid FROM profile_names WHERE profile_names MATCH $1){visible} \
                 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
            )
        } else {
            format!(
                "SELECT {COLUMNS} FROM profiles WHERE name_key LIKE $1 ESCAPE '\\'{visible} \
                 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
            )
        };
        let rows = sqlx::query_as(&sql)
            .bind(if by_id { phrase(name) } else { pattern })
            .bind(limit)
            .bind(offset)
            .persistent(false)
            .fetch_all(self.pool())
            .await?;
        Ok((rows, total))
    }
}

/// `name` as a LIKE pattern matching it anywhere, its wildcards escaped.
fn like_pattern(name: &str) -> String {
    let escaped = name
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// `name` as an FTS5 phrase: with the trigram tokenizer, the rows containing it.
fn phrase(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::{like_pattern, phrase};

    #[test]
    fn wildcards_and_quotes_are_literal() {
        assert_eq!(like_pattern(r"50%_a\b"), r"%50\%\_a\\b%");
        assert_eq!(phrase(r#"o"neil"#), r#""o""neil""#);
    }
}
