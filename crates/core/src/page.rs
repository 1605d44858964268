//! Keyset pagination, as Mastodon clients ask for it.

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 20;
/// Largest page a client may ask for.
pub const MAX_LIMIT: i64 = 40;

/// A page request over id-ordered items.
///
/// `max_id` pages backwards (older than), `since_id` bounds from below and returns
/// the newest items, `min_id` bounds from below and returns the items just after it
/// (oldest first in the query, newest first in the response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Only items with an id strictly below this.
    pub max_id: Option<i64>,
    /// Only items with an id strictly above this, newest first.
    pub since_id: Option<i64>,
    /// Only items with an id strictly above this, the ones adjacent to it.
    pub min_id: Option<i64>,
    /// How many items at most; already clamped to `1..=MAX_LIMIT`.
    pub limit: i64,
}

impl PageRequest {
    /// A page request with the limit clamped the way Mastodon clamps it.
    pub fn new(
        max_id: Option<i64>,
        since_id: Option<i64>,
        min_id: Option<i64>,
        limit: Option<i64>,
    ) -> Self {
        Self {
            max_id,
            since_id,
            min_id,
            limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        }
    }

    /// The lower bound (exclusive), from `min_id` or `since_id`.
    pub fn lower_bound(&self) -> Option<i64> {
        match (self.min_id, self.since_id) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the query must read upwards from `min_id` (then reverse).
    pub fn ascending(&self) -> bool {
        self.min_id.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_clamped_to_mastodons_range() {
        assert_eq!(PageRequest::new(None, None, None, None).limit, 20);
        assert_eq!(PageRequest::new(None, None, None, Some(500)).limit, 40);
        assert_eq!(PageRequest::new(None, None, None, Some(0)).limit, 1);
    }

    #[test]
    fn min_id_reads_ascending_from_the_tighter_bound() {
        let page = PageRequest::new(None, Some(5), Some(9), None);
        assert!(page.ascending());
        assert_eq!(page.lower_bound(), Some(9));
    }
}
