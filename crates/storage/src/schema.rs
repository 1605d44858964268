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

diesel::joinable!(statuses -> accounts (account_id));
diesel::joinable!(access_tokens -> accounts (account_id));
diesel::joinable!(access_tokens -> apps (app_id));

diesel::allow_tables_to_appear_in_same_query!(
    apps,
    accounts,
    statuses,
    follows,
    access_tokens,
    outbox
);

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
