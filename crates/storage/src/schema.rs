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
        avatar_key -> Nullable<Text>,
        avatar_static_key -> Nullable<Text>,
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

diesel::table! {
    media_attachments (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> Nullable<BigInt>,
        content_type -> Text,
        file_key -> Text,
        preview_key -> Text,
        width -> BigInt,
        height -> BigInt,
        preview_width -> BigInt,
        preview_height -> BigInt,
        file_size -> BigInt,
        description -> Text,
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

diesel::allow_tables_to_appear_in_same_query!(media_attachments, accounts);
diesel::allow_tables_to_appear_in_same_query!(media_attachments, statuses);
