//! The diesel tables, written by hand once for both backends. Only the basic SQL
//! types that `MultiConnection` supports appear here: BIGINT, TEXT, BOOLEAN and
//! TIMESTAMP (UTC by convention).

diesel::table! {
    apps (id) {
        id -> BigInt,
        name -> Text,
        client_id -> Text,
        client_secret -> Text,
        redirect_uris -> Text,
        scopes -> Text,
        website -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        username -> Text,
        username_canonical -> Text,
        display_name -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
        note -> Text,
        department -> Nullable<Text>,
        job_title -> Nullable<Text>,
        location -> Nullable<Text>,
        manager_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    statuses (id) {
        id -> BigInt,
        account_id -> BigInt,
        text -> Text,
        in_reply_to_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        community_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    follows (follower_id, followee_id) {
        follower_id -> BigInt,
        followee_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    access_tokens (id) {
        id -> Text,
        account_id -> Nullable<BigInt>,
        app_id -> Nullable<BigInt>,
        scopes -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    communities (id) {
        id -> BigInt,
        name -> Text,
        name_canonical -> Text,
        description -> Text,
        private -> Bool,
        helpdesk -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    community_members (community_id, account_id) {
        community_id -> BigInt,
        account_id -> BigInt,
        role -> Text,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(statuses -> accounts (account_id));
diesel::joinable!(community_members -> communities (community_id));
diesel::joinable!(access_tokens -> accounts (account_id));
diesel::joinable!(access_tokens -> apps (app_id));

diesel::allow_tables_to_appear_in_same_query!(
    apps,
    accounts,
    statuses,
    follows,
    access_tokens,
    outbox,
    communities,
    community_members
);

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    status_tags (status_id, tag_id) {
        status_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    mentions (status_id, account_id) {
        status_id -> BigInt,
        account_id -> BigInt,
    }
}

diesel::table! {
    tag_follows (account_id, tag_id) {
        account_id -> BigInt,
        tag_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    announcements (status_id) {
        status_id -> BigInt,
        community_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    announcement_dismissals (account_id, status_id) {
        account_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(status_tags -> tags (tag_id));
diesel::joinable!(mentions -> accounts (account_id));
diesel::joinable!(community_members -> accounts (account_id));

diesel::joinable!(tag_follows -> tags (tag_id));

diesel::allow_tables_to_appear_in_same_query!(
    tags,
    status_tags,
    mentions,
    tag_follows,
    announcements,
    announcement_dismissals
);

/// Lets each new table appear in a query (join or subquery) with each older one;
/// the older tables are already paired among themselves above.
macro_rules! pair_with_older_tables {
    ($($new:ident),*) => {
        $(
            diesel::allow_tables_to_appear_in_same_query!($new, apps);
            diesel::allow_tables_to_appear_in_same_query!($new, accounts);
            diesel::allow_tables_to_appear_in_same_query!($new, statuses);
            diesel::allow_tables_to_appear_in_same_query!($new, follows);
            diesel::allow_tables_to_appear_in_same_query!($new, access_tokens);
            diesel::allow_tables_to_appear_in_same_query!($new, outbox);
            diesel::allow_tables_to_appear_in_same_query!($new, communities);
            diesel::allow_tables_to_appear_in_same_query!($new, community_members);
        )*
    };
}

pair_with_older_tables!(
    tags,
    status_tags,
    mentions,
    tag_follows,
    announcements,
    announcement_dismissals
);
