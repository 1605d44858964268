//! Turning stored posts and accounts into entities with as few queries as
//! possible: per page, one `accounts` lookup, one topics-and-mentions lookup, one
//! counts query, one media query, one query per kind of interaction
//! (favourites, reactions, the viewer's flags) and the three thread-facts
//! queries (replies, accepted answers, followed threads), whatever its size.

use crate::entities;
use crate::error::ApiError;
use crate::pagination::{link_header, request_url};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse};
use hubbub_core::ids::AccountId;
use hubbub_core::page::PageRequest;
use hubbub_storage::media::MediaAttachment;
use hubbub_storage::model;
use std::collections::HashMap;

/// The accounts with `ids` (repeats and unknown ids allowed), by id, in ONE
/// query (none when there are no ids).
pub(crate) async fn accounts_by_id(
    state: &ApiState,
    ids: impl IntoIterator<Item = AccountId>,
) -> Result<HashMap<AccountId, model::Account>, ApiError> {
    let mut ids: Vec<AccountId> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(state
        .store
        .accounts(&ids)
        .await?
        .into_iter()
        .map(|account| (account.id, account))
        .collect())
}

/// Renders a page of posts as `viewer` sees them. Authors come from ONE
/// `store.accounts` call, their counts from ONE batch query, the attachments
/// from ONE more, the favourites, reactions and viewer's flags from one per
/// kind and the thread facts from `store.thread_facts`; the author of a
/// replied-to post is filled in when that post is on the same page.
pub async fn statuses(
    state: &ApiState,
    base: &str,
    page: &[model::Status],
    viewer: Option<AccountId>,
) -> Result<Vec<entities::Status>, ApiError> {
    let mut author_ids: Vec<AccountId> = page.iter().map(|status| status.account_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let authors = accounts_by_id(state, author_ids.iter().copied()).await?;
    let ids: Vec<_> = page.iter().map(|status| status.id).collect();
    let links = state.store.status_links(&ids).await?;
    let no_links = model::StatusLinks::default();
    let counts = state.store.account_counts_many(&author_ids).await?;
    let mut media = state.store.media_for_statuses(&ids).await?;
    let interactions = state.store.interactions(&ids, viewer).await?;
    let facts = state.store.thread_facts(page, viewer).await?;
    let authors_by_status: HashMap<_, _> = page
        .iter()
        .map(|status| (status.id, status.account_id))
        .collect();
    Ok(page
        .iter()
        .filter_map(|status| {
            let author = authors.get(&status.account_id)?;
            let parent_author = status
                .in_reply_to_id
                .and_then(|parent| authors_by_status.get(&parent).copied());
            let mut entity = entities::Status::new(status, author, parent_author, base)
                .with_links(links.get(&status.id).unwrap_or(&no_links), base);
            entity.account.set_counts(counts.get(&author.id).copied());
            entity.media_attachments = media_entities(media.remove(&status.id), base);
            entity.set_interactions(interactions.get(&status.id));
            entity.replies_count = facts.replies.get(&status.id).copied().unwrap_or(0);
            entity.hubbub.accepted_answer = facts.accepted.contains(&status.id);
            entity.hubbub.thread_followed = facts.followed.contains(&status.thread_id);
            Some(entity)
        })
        .collect())
}

/// Renders one post as `viewer` sees it, looking up the author of the post it
/// answers too.
pub async fn status(
    state: &ApiState,
    base: &str,
    status: &model::Status,
    viewer: Option<AccountId>,
) -> Result<entities::Status, ApiError> {
    let mut entity = statuses(state, base, std::slice::from_ref(status), viewer)
        .await?
        .pop()
        .ok_or_else(|| {
            ApiError::internal(
                "render status",
                format!("author {} of {} is missing", status.account_id, status.id),
            )
        })?;
    if let Some(parent) = status.in_reply_to_id {
        entity.in_reply_to_account_id = state
            .store
            .status(parent, viewer)
            .await?
            .map(|parent| parent.account_id.to_string());
    }
    Ok(entity)
}

fn media_entities(
    media: Option<Vec<MediaAttachment>>,
    base: &str,
) -> Vec<entities::MediaAttachment> {
    media
        .unwrap_or_default()
        .iter()
        .map(|media| entities::MediaAttachment::new(media, base))
        .collect()
}

/// Renders a page of accounts with their counts from ONE batch query.
pub async fn accounts(
    state: &ApiState,
    base: &str,
    accounts: &[model::Account],
) -> Result<Vec<entities::Account>, ApiError> {
    let ids: Vec<AccountId> = accounts.iter().map(|account| account.id).collect();
    let counts = state.store.account_counts_many(&ids).await?;
    Ok(accounts
        .iter()
        .map(|account| entities::Account::new(account, counts.get(&account.id).copied(), base))
        .collect())
}

/// The response for one keyset page of accounts (followers, following): the
/// rendered accounts and a `Link` header.
pub async fn account_page(
    state: &ApiState,
    req: &HttpRequest,
    page: &PageRequest,
    page_accounts: &[model::Account],
) -> Result<HttpResponse, ApiError> {
    let base = state.base_url(req);
    let rendered = accounts(state, &base, page_accounts).await?;
    let ids: Vec<i64> = page_accounts.iter().map(|account| account.id.0).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, req), page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(rendered))
}

/// The response for one timeline page as `viewer` sees it: the rendered posts
/// and a `Link` header.
pub async fn timeline(
    state: &ApiState,
    req: &HttpRequest,
    page: &PageRequest,
    statuses: &[model::Status],
    viewer: Option<AccountId>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base_url(req);
    let rendered = self::statuses(state, &base, statuses, viewer).await?;
    let ids: Vec<i64> = statuses.iter().map(|status| status.id.0).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, req), page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(rendered))
}

/// The response for one page of listed posts (favourites, bookmarks) as
/// `viewer` sees them, with a `Link` header over the list's own ids.
pub async fn listed(
    state: &ApiState,
    req: &HttpRequest,
    page: &PageRequest,
    listed: &[(i64, model::Status)],
    viewer: AccountId,
) -> Result<HttpResponse, ApiError> {
    let base = state.base_url(req);
    let posts: Vec<model::Status> = listed.iter().map(|(_, status)| status.clone()).collect();
    let rendered = statuses(state, &base, &posts, Some(viewer)).await?;
    let ids: Vec<i64> = listed.iter().map(|(id, _)| *id).collect();
    let mut response = HttpResponse::Ok();
    if let Some(link) = link_header(&request_url(&base, req), page, &ids) {
        response.insert_header(("Link", link));
    }
    Ok(response.json(rendered))
}
