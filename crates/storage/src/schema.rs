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
        thread_id -> BigInt,
        edited_at -> Nullable<Timestamp>,
        question -> Bool,
        accepted_answer_id -> Nullable<BigInt>,
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
        seq -> Nullable<BigInt>,
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

diesel::table! {
    helpdesk_settings (version) {
        version -> BigInt,
        body -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    helpdesk_tickets (id) {
        id -> BigInt,
        asker_id -> BigInt,
        community_id -> Nullable<BigInt>,
        source -> Text,
        category -> Text,
        priority -> Text,
        state -> Text,
        assignee_id -> Nullable<BigInt>,
        duplicate_of_id -> Nullable<BigInt>,
        escalation_ref -> Nullable<Text>,
        answer_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        first_response_at -> Nullable<Timestamp>,
        first_peer_response_at -> Nullable<Timestamp>,
        first_support_response_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    helpdesk_ticket_events (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_is_support -> Bool,
        subject_id -> Nullable<BigInt>,
        subject_is_support -> Bool,
        status_id -> Nullable<BigInt>,
        minutes -> Nullable<BigInt>,
        value -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    helpdesk_settings,
    helpdesk_tickets,
    helpdesk_ticket_events
);

diesel::table! {
    sso_identities (account_id) {
        account_id -> BigInt,
        issuer -> Text,
        subject -> Text,
        department -> Text,
        job_title -> Text,
        groups -> Text,
        last_signed_in -> Timestamp,
    }
}

diesel::table! {
    sso_logins (state) {
        state -> Text,
        nonce -> Text,
        code_verifier -> Text,
        return_to -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sso_codes (code_hash) {
        code_hash -> Text,
        account_id -> BigInt,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    email_preferences (account_id) {
        account_id -> BigInt,
        disabled_kinds -> Text,
        digest_enabled -> Bool,
        digest_weekday -> Integer,
        digest_minute -> Integer,
        time_zone -> Text,
        next_digest_at -> Timestamp,
        unsubscribe_token -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    email_notices (id) {
        id -> BigInt,
        dedup_key -> Text,
        account_id -> BigInt,
        kind -> Text,
        thread_id -> BigInt,
        status_id -> BigInt,
        actor_id -> BigInt,
        created_at -> Timestamp,
        handled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_queue (id) {
        id -> BigInt,
        dedup_key -> Text,
        account_id -> BigInt,
        kind -> Text,
        thread_id -> Nullable<BigInt>,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        unsubscribe_url -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    email_cursor (name) {
        name -> Text,
        last_event_id -> BigInt,
    }
}

diesel::joinable!(sso_identities -> accounts (account_id));
diesel::joinable!(email_preferences -> accounts (account_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    sso_identities,
    email_preferences,
    email_notices,
    email_queue
);

// The triage queue applies the visibility rule to a ticket's community.
diesel::allow_tables_to_appear_in_same_query!(helpdesk_tickets, communities);
diesel::allow_tables_to_appear_in_same_query!(helpdesk_tickets, community_members);

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

diesel::table! {
    favourites (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reactions (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bookmarks (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        account_id -> BigInt,
        kind -> Text,
        from_account_id -> BigInt,
        status_id -> Nullable<BigInt>,
        reaction -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    markers (account_id, timeline) {
        account_id -> BigInt,
        timeline -> Text,
        last_read_id -> BigInt,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(favourites -> accounts (account_id));
diesel::joinable!(reactions -> accounts (account_id));

pair_with_older_tables!(favourites, reactions, bookmarks, notifications, markers);

diesel::table! {
    status_edits (id) {
        id -> BigInt,
        status_id -> BigInt,
        text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    thread_follows (account_id, thread_id) {
        account_id -> BigInt,
        thread_id -> BigInt,
        source -> Text,
        created_at -> Timestamp,
    }
}

pair_with_older_tables!(status_edits, thread_follows);
diesel::allow_tables_to_appear_in_same_query!(thread_follows, status_edits);
