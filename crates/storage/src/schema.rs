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

diesel::table! {
    oauth_codes (code_hash) {
        code_hash -> Text,
        app_id -> BigInt,
        account_id -> BigInt,
        redirect_uri -> Text,
        scopes -> Text,
        code_challenge -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        token_id -> Nullable<Text>,
    }
}

diesel::table! {
    web_sessions (id_hash) {
        id_hash -> Text,
        account_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        community_id -> Nullable<BigInt>,
        category -> Text,
        comment -> Text,
        action_taken_at -> Nullable<Timestamp>,
        action_taken_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    report_statuses (report_id, status_id) {
        report_id -> BigInt,
        status_id -> BigInt,
    }
}

diesel::table! {
    moderation_actions (id) {
        id -> BigInt,
        actor_id -> BigInt,
        action -> Text,
        target_account_id -> Nullable<BigInt>,
        target_status_id -> Nullable<BigInt>,
        report_id -> Nullable<BigInt>,
        community_id -> Nullable<BigInt>,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(web_sessions -> accounts (account_id));
diesel::joinable!(oauth_codes -> accounts (account_id));
diesel::joinable!(report_statuses -> reports (report_id));

diesel::allow_tables_to_appear_in_same_query!(
    oauth_codes,
    web_sessions,
    reports,
    report_statuses,
    moderation_actions
);
diesel::allow_tables_to_appear_in_same_query!(web_sessions, accounts);
diesel::allow_tables_to_appear_in_same_query!(oauth_codes, accounts);
diesel::allow_tables_to_appear_in_same_query!(report_statuses, statuses);
diesel::allow_tables_to_appear_in_same_query!(reports, community_members);
diesel::allow_tables_to_appear_in_same_query!(moderation_actions, community_members);
