//! The write rate limit, kept in the database so that every instance on
//! one database enforces one limit per client.
//!
//! Each client's row holds the time its allowance is full again (the
//! generic cell rate algorithm's "theoretical arrival time"): one write
//! moves it on by the interval between writes, and a write is allowed
//! while that time stays within the burst. One statement reads and moves
//! it, so two instances cannot both spend the last write.

use std::sync::atomic::{AtomicU32, Ordering};

use super::{Db, DbError};

/// Writes allowed per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteLimit {
    /// Writes a minute, sustained; 0 turns the limit off.
    pub per_minute: u32,
    /// Writes allowed at once after a quiet spell (at least 1).
    pub burst: u32,
}

impl WriteLimit {
    /// Milliseconds between writes at the sustained rate.
    fn interval_ms(self) -> i64 {
        (60_000 / i64::from(self.per_minute.max(1))).max(1)
    }

    /// How far ahead of now a client's full time may be before a write.
    fn tolerance_ms(self) -> i64 {
        i64::from(self.burst.max(1) - 1) * self.interval_ms()
    }
}

/// Takes between sweeps of rows whose allowance is full again.
const SWEEP_EVERY: u32 = 200;

impl Db {
    /// Spends one write of `client`'s allowance at `now_ms` (Unix
    /// milliseconds), or says in how many seconds the next is allowed.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn take_write(
        &self,
        client: &str,
        limit: WriteLimit,
        now_ms: i64,
    ) -> Result<Result<(), u64>, DbError> {
        if limit.per_minute == 0 {
            return Ok(Ok(()));
        }
        static TAKES: AtomicU32 = AtomicU32::new(0);
        if TAKES
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
        {
            sqlx::query("DELETE FROM write_limits WHERE full_at_ms < $1")
                .bind(now_ms)
                .execute(&self.pool)
                .await?;
        }
        let (interval, tolerance) = (limit.interval_ms(), limit.tolerance_ms());
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO write_limits (client, full_at_ms) VALUES ($1, $2 + $3) \
             ON CONFLICT (client) DO UPDATE SET full_at_ms = \
               CASE WHEN write_limits.full_at_ms < $2 THEN $2 ELSE write_limits.full_at_ms END + $3 \
             WHERE write_limits.full_at_ms <= $2 + $4 \
             RETURNING full_at_ms",
        )
        .bind(client)
        .bind(now_ms)
        .bind(interval)
        .bind(tolerance)
        .fetch_optional(&self.pool)
        .await?;
        if taken.is_some() {
            return Ok(Ok(()));
        }
        let full_at: i64 =
            sqlx::query_scalar("SELECT full_at_ms FROM write_limits WHERE client = $1")
                .bind(client)
                .fetch_optional(&self.pool)
                .await?
                .unwrap_or(now_ms);
        let wait_ms = (full_at - tolerance - now_ms).max(1);
        Ok(Err(u64::try_from(wait_ms).unwrap_or(1).div_ceil(1_000)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_store;

    const ME: &str = "10.0.0.1";

    #[tokio::test]
    async fn a_burst_is_allowed_then_writes_wait_for_the_refill() {
        let (db, _kept) = test_store().await;
        let limit = WriteLimit {
            per_minute: 60,
            burst: 3,
        };
        let start = 1_000_000;
        for _ in 0..3 {
            assert_eq!(db.take_write(ME, limit, start).await.unwrap(), Ok(()));
        }
        // One a second at 60 a minute.
        assert_eq!(db.take_write(ME, limit, start).await.unwrap(), Err(1));
        assert_eq!(db.take_write(ME, limit, start + 999).await.unwrap(), Err(1));
        assert_eq!(
            db.take_write(ME, limit, start + 1_000).await.unwrap(),
            Ok(())
        );
        // Refused writes spend nothing: the next is due a second later.
        assert_eq!(
            db.take_write(ME, limit, start + 1_500).await.unwrap(),
            Err(1)
        );
        assert_eq!(
            db.take_write(ME, limit, start + 2_000).await.unwrap(),
            Ok(())
        );
        // Another address has its own allowance.
        assert_eq!(
            db.take_write("10.0.0.2", limit, start).await.unwrap(),
            Ok(())
        );
    }

    #[tokio::test]
    async fn a_quiet_spell_refills_only_up_to_the_burst() {
        let (db, _kept) = test_store().await;
        let limit = WriteLimit {
            per_minute: 6,
            burst: 2,
        };
        assert_eq!(db.take_write(ME, limit, 0).await.unwrap(), Ok(()));
        // An hour later: two at once, not 360.
        let later = 3_600_000;
        assert_eq!(db.take_write(ME, limit, later).await.unwrap(), Ok(()));
        assert_eq!(db.take_write(ME, limit, later).await.unwrap(), Ok(()));
        // Six a minute: the next in ten seconds.
        assert_eq!(db.take_write(ME, limit, later).await.unwrap(), Err(10));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_stores_on_one_database_share_each_clients_allowance() {
        let (db, kept) = test_store().await;
        let other = Db::connect(&kept.url, super::super::PoolSettings::default())
            .await
            .unwrap();
        let limit = WriteLimit {
            per_minute: 60,
            burst: 4,
        };
        // Eight writes at once, four through each: exactly the burst passes.
        let takes: Vec<_> = (0..8)
            .map(|i| {
                let store = if i % 2 == 0 {
                    db.clone()
                } else {
                    other.clone()
                };
                tokio::spawn(async move { store.take_write(ME, limit, 5_000).await.unwrap() })
            })
            .collect();
        let mut allowed = 0;
        for take in takes {
            if take.await.unwrap().is_ok() {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 4);
    }

    #[tokio::test]
    async fn zero_turns_the_limit_off() {
        let (db, _kept) = test_store().await;
        let off = WriteLimit {
            per_minute: 0,
            burst: 1,
        };
        for _ in 0..100 {
            assert_eq!(db.take_write(ME, off, 0).await.unwrap(), Ok(()));
        }
    }
}
