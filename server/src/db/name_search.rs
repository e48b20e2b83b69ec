//! `GET /api/profiles?q=`: a page of the profiles whose folded name contains `q`, and how
//! many match, fast with 100 000 profiles.
//!
//! - SQLite: substrings of 3 or more characters are looked up in a trigram index
//!   (`profile_names`, FTS5 with the trigram tokenizer), which counts the matches exactly at
//!   once. Shorter substrings cannot use trigrams and scan.
//! - PostgreSQL (`pg_trgm` GIN index): counting is exact up to [`EXACT_UP_TO`] matches. Past
//!   that, rechecking every match in the table costs 20–35 ms at 100 000 profiles (a common
//!   name matches a quarter of them), several times the page itself, so the total is the
//!   planner's estimate and is marked so (the UI says "about").
//!
//! The page takes the cheaper of two ways: few matches are read by id (SQLite) or from the
//! trigram index and sorted; many are found by walking the newest-first index, which meets
//! a match every few rows. The statements are not prepared once for all: PostgreSQL must
//! plan them knowing the pattern (a generic plan would sort every match of a common name).

use super::profiles::{ProfileFilter, ProfileRow, Total, COLUMNS};
use super::{Db, Dialect};

/// Up to this many matches the total is counted; from this many on, the SQLite page walks
/// the newest-first index instead of sorting the matches.
const EXACT_UP_TO: i64 = 1_000;

impl Db {
    /// One page of the profiles whose `name_key` contains `name` (already folded), newest
    /// first, and how many match in all.
    pub(super) async fn find_by_name(
        &self,
        name: &str,
        filter: &ProfileFilter,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<(Vec<ProfileRow>, Total)> {
        let pattern = like_pattern(name);
        let visible = if filter.include_hidden {
            ""
        } else {
            " AND hidden = 0"
        };
        let indexed = name.chars().count() >= 3;
        let total = match (self.dialect, indexed) {
            (Dialect::Sqlite, true) => {
                Total::exact(self.count_indexed(name, &pattern, filter).await?)
            }
            (Dialect::Sqlite, false) => {
                let sql = format!(
                    "SELECT COUNT(*) FROM profiles WHERE name_key LIKE $1 ESCAPE '\\'{visible}"
                );
                Total::exact(
                    sqlx::query_scalar(&sql)
                        .bind(&pattern)
                        .fetch_one(self.pool())
                        .await?,
                )
            }
            (Dialect::Postgres, _) => self.count_or_estimate(&pattern, visible).await?,
        };
        if !total.estimated && total.value <= offset {
            return Ok((Vec::new(), total));
        }
        let by_id = self.dialect == Dialect::Sqlite && indexed && total.value < EXACT_UP_TO;
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
        let rows: Vec<ProfileRow> = sqlx::query_as(&sql)
            .bind(if by_id { phrase(name) } else { pattern })
            .bind(limit)
            .bind(offset)
            .persistent(false)
            .fetch_all(self.pool())
            .await?;
        // An estimate never says less than what is seen.
        let seen = offset + rows.len() as i64;
        Ok((
            rows,
            Total {
                value: if total.estimated {
                    total.value.max(seen)
                } else {
                    total.value
                },
                ..total
            },
        ))
    }

    /// SQLite: the exact number of matches, from the trigram index.
    async fn count_indexed(
        &self,
        name: &str,
        pattern: &str,
        filter: &ProfileFilter,
    ) -> sqlx::Result<i64> {
        let all: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM profile_names WHERE profile_names MATCH $1")
                .bind(phrase(name))
                .fetch_one(self.pool())
                .await?;
        if filter.include_hidden {
            return Ok(all);
        }
        // Few profiles are hidden: the index on `hidden` reads only them.
        let hidden: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM profiles WHERE hidden = 1 AND name_key LIKE $1 ESCAPE '\\'",
        )
        .bind(pattern)
        .fetch_one(self.pool())
        .await?;
        Ok(all - hidden)
    }

    /// PostgreSQL: the number of matches counted up to [`EXACT_UP_TO`], else the planner's
    /// estimate (at least one more than that).
    async fn count_or_estimate(&self, pattern: &str, visible: &str) -> sqlx::Result<Total> {
        let matches = format!("SELECT 1 FROM profiles WHERE name_key LIKE $1 ESCAPE '\\'{visible}");
        let capped: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM ({matches} LIMIT {}) AS m",
            EXACT_UP_TO + 1
        ))
        .bind(pattern)
        .persistent(false)
        .fetch_one(self.pool())
        .await?;
        if capped <= EXACT_UP_TO {
            return Ok(Total::exact(capped));
        }
        let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {matches}"))
            .bind(pattern)
            .persistent(false)
            .fetch_all(self.pool())
            .await?;
        let estimate = plan
            .first()
            .and_then(|line| planned_rows(line))
            .unwrap_or(0);
        Ok(Total {
            value: estimate.max(EXACT_UP_TO + 1),
            estimated: true,
        })
    }
}

/// The `rows=N` of an EXPLAIN line (`Bitmap Heap Scan on profiles  (cost=… rows=27273 …)`).
fn planned_rows(line: &str) -> Option<i64> {
    let rest = &line[line.find(" rows=")? + " rows=".len()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
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
    use super::{like_pattern, phrase, planned_rows};

    #[test]
    fn wildcards_and_quotes_are_literal() {
        assert_eq!(like_pattern(r"50%_a\b"), r"%50\%\_a\\b%");
        assert_eq!(phrase(r#"o"neil"#), r#""o""neil""#);
    }

    #[test]
    fn the_planned_row_count_is_read_from_the_first_line() {
        let line = "Bitmap Heap Scan on profiles  (cost=267.36..9010.46 rows=27273 width=0)";
        assert_eq!(planned_rows(line), Some(27273));
        assert_eq!(planned_rows("Seq Scan on profiles"), None);
    }
}
