//! Reading a whole table a bounded batch at a time (keyset pagination): each batch is one
//! short query starting after the key of the previous batch's last row, so neither the
//! server nor the database holds more than one batch, and no connection or read
//! transaction stays open between batches. The next batch is read only when the previous
//! one has been sent on (the response body asks for it).

use futures::{Stream, TryStreamExt};
use std::future::Future;

/// Rows per batch.
pub const BATCH: i64 = 500;

/// The batches after `start`, in key order, until a batch comes back short. `fetch(key,
/// limit)` reads at most `limit` rows whose key is greater than `key`; `key_of` gives a
/// row's key.
pub fn batches<R, K, F, Fut>(
    start: K,
    limit: i64,
    mut fetch: F,
    key_of: fn(&R) -> K,
) -> impl Stream<Item = sqlx::Result<Vec<R>>> + Send
where
    R: Send,
    K: Send,
    F: FnMut(K, i64) -> Fut + Send,
    Fut: Future<Output = sqlx::Result<Vec<R>>> + Send,
{
    futures::stream::try_unfold(Some(start), move |after| {
        let read = after.map(|key| fetch(key, limit));
        async move {
            let Some(read) = read else {
                return Ok(None);
            };
            let rows = read.await?;
            if rows.is_empty() {
                return Ok(None);
            }
            let full = rows.len() as i64 >= limit;
            let next = rows.last().filter(|_| full).map(key_of);
            Ok(Some((rows, next)))
        }
    })
    .into_stream()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A "table" of the numbers 1..=n, read through `batches`, counting the reads.
    fn numbers(
        n: i64,
        limit: i64,
        reads: Arc<AtomicUsize>,
    ) -> impl Stream<Item = sqlx::Result<Vec<i64>>> {
        batches(
            0,
            limit,
            move |after, limit| {
                reads.fetch_add(1, Ordering::SeqCst);
                async move { Ok(((after + 1)..=n).take(limit as usize).collect()) }
            },
            |row: &i64| *row,
        )
    }

    #[tokio::test]
    async fn every_row_once_in_order_and_reads_are_lazy() {
        let reads = Arc::new(AtomicUsize::new(0));
        let mut stream = Box::pin(numbers(1050, 500, reads.clone()));
        assert_eq!(reads.load(Ordering::SeqCst), 0, "nothing read before asked");
        let first = stream.next().await.unwrap().unwrap();
        assert_eq!((first.len(), first[0], first[499]), (500, 1, 500));
        assert_eq!(
            reads.load(Ordering::SeqCst),
            1,
            "one batch read per batch asked"
        );
        let rest: Vec<Vec<i64>> = stream.map(|b| b.unwrap()).collect().await;
        assert_eq!(rest.iter().map(Vec::len).collect::<Vec<_>>(), [500, 50]);
        assert_eq!(rest[1].last(), Some(&1050));
        assert_eq!(
            reads.load(Ordering::SeqCst),
            3,
            "a short batch ends the reads"
        );
    }

    #[tokio::test]
    async fn an_exact_multiple_ends_on_an_empty_read() {
        let reads = Arc::new(AtomicUsize::new(0));
        let all: Vec<Vec<i64>> = numbers(1000, 500, reads.clone())
            .map(|b| b.unwrap())
            .collect()
            .await;
        assert_eq!(all.concat(), (1..=1000).collect::<Vec<_>>());
        assert_eq!(reads.load(Ordering::SeqCst), 3);
        let none: Vec<_> = numbers(0, 500, reads).collect().await;
        assert!(none.is_empty());
    }
}
