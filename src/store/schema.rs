//! Diesel table definitions, shared by both backends (same names and types in
//! `migrations/sqlite` and `migrations/postgres`).

diesel::table! {
    resellers (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        commission_rate_bp -> Integer,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        signup_enabled -> Bool,
        signup_plan_id -> Nullable<Text>,
    }
}

diesel::table! {
    subscription_plans (id) {
        id -> Text,
        reseller_id -> Nullable<Text>,
        name -> Text,
        description -> Nullable<Text>,
        currency -> Text,
        price_monthly_cents -> BigInt,
        price_yearly_cents -> BigInt,
        storage_quota_mb -> Integer,
        processing_quota_minutes -> Integer,
        max_users -> Integer,
        max_concurrent_jobs -> Integer,
        features -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        overage_millicents_per_minute -> BigInt,
        retention_days -> Nullable<Integer>,
    }
}

diesel::table! {
    branding_configurations (id) {
        id -> Text,
        level -> Text,
        reseller_id -> Nullable<Text>,
        tenant_id -> Nullable<Text>,
        product_name -> Nullable<Text>,
        logo_asset_id -> Nullable<Text>,
        favicon_asset_id -> Nullable<Text>,
        colors -> Text,
        support_email -> Nullable<Text>,
        support_url -> Nullable<Text>,
        email_sender_name -> Nullable<Text>,
        powered_by -> Nullable<Bool>,
        custom_domain -> Nullable<Text>,
        subdomain -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    branding_assets (id) {
        id -> Text,
        configuration_id -> Text,
        kind -> Text,
        content_type -> Text,
        width -> Integer,
        height -> Integer,
        size_bytes -> Integer,
        sha256 -> Text,
        data -> Nullable<Binary>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tenants (id) {
        id -> Text,
        reseller_id -> Nullable<Text>,
        name -> Text,
        domain -> Nullable<Text>,
        subscription_plan_id -> Nullable<Text>,
        subscription_id -> Nullable<Text>,
        subscription_status -> Text,
        branding_configuration_id -> Nullable<Text>,
        storage_quota_mb -> Nullable<Integer>,
        processing_quota_minutes -> Nullable<Integer>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        past_due_since -> Nullable<Timestamp>,
        billing_interval -> Text,
        purge_after -> Nullable<Timestamp>,
        purged_at -> Nullable<Timestamp>,
        retention_days -> Nullable<Integer>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        tenant_id -> Nullable<Text>,
        reseller_id -> Nullable<Text>,
        email -> Text,
        password_hash -> Text,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        role -> Text,
        status -> Text,
        last_login -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        session_epoch -> BigInt,
        email_verified_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    workflows (id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Nullable<Text>,
        name -> Text,
        description -> Nullable<Text>,
        config -> Text,
        is_template -> Bool,
        is_public -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        current_version -> Integer,
        deleted_at -> Nullable<Timestamp>,
        template_id -> Nullable<Text>,
        template_version -> Nullable<Integer>,
    }
}

diesel::table! {
    workflow_versions (id) {
        id -> Text,
        workflow_id -> Text,
        tenant_id -> Text,
        version -> Integer,
        name -> Text,
        description -> Nullable<Text>,
        config -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Nullable<Text>,
        workflow_id -> Nullable<Text>,
        status -> Text,
        file_path -> Nullable<Text>,
        result_path -> Nullable<Text>,
        error -> Nullable<Text>,
        processing_time -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
        workflow_version -> Nullable<Integer>,
        graph -> Text,
        inputs -> Text,
        attempt -> Integer,
        max_attempts -> Integer,
        run_after -> Nullable<Timestamp>,
        lease_expires_at -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        progress -> Double,
        last_seq -> BigInt,
        started_at -> Nullable<Timestamp>,
        cancel_requested -> Bool,
        webhook_url -> Nullable<Text>,
        webhook_secret -> Nullable<Text>,
        template_id -> Nullable<Text>,
        template_version -> Nullable<Integer>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        tenant_id -> Text,
        url -> Text,
        secret -> Text,
        events -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        tenant_id -> Text,
        job_id -> Nullable<Text>,
        endpoint_id -> Nullable<Text>,
        url -> Text,
        secret -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_nodes (job_id, node_id) {
        job_id -> Text,
        node_id -> Text,
        tenant_id -> Text,
        kind -> Text,
        status -> Text,
        progress -> Double,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    job_events (job_id, seq) {
        job_id -> Text,
        seq -> BigInt,
        tenant_id -> Text,
        event_type -> Text,
        data -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    job_artifacts (id) {
        id -> Text,
        job_id -> Text,
        tenant_id -> Text,
        node_id -> Text,
        port -> Text,
        name -> Text,
        content_type -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    usage_records (id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Nullable<Text>,
        job_id -> Nullable<Text>,
        resource_type -> Text,
        amount_milli -> BigInt,
        unit -> Text,
        recorded_at -> Timestamp,
        node_id -> Nullable<Text>,
        node_kind -> Nullable<Text>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Nullable<Text>,
        name -> Text,
        key_prefix -> Text,
        key_hash -> Text,
        permissions -> Text,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        actor_user_id -> Nullable<Text>,
        actor_api_key_id -> Nullable<Text>,
        tenant_id -> Nullable<Text>,
        reseller_id -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        details -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        tenant_id -> Nullable<Text>,
    }
}

diesel::table! {
    tenant_users (id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        tenant_id -> Text,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Nullable<Text>,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    files (id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Nullable<Text>,
        name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        status -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    translation_engines (id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        kind -> Text,
        base_url -> Text,
        api_key_sealed -> Nullable<Text>,
        api_key_hint -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        credential_id -> Nullable<Text>,
    }
}

diesel::table! {
    workspace_credentials (id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        provider -> Text,
        value_sealed -> Text,
        hint -> Nullable<Text>,
        origin -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        rotated_at -> Timestamp,
    }
}

diesel::table! {
    quota_reservations (id) {
        id -> Text,
        tenant_id -> Text,
        job_id -> Nullable<Text>,
        kind -> Text,
        amount_milli -> BigInt,
        held_milli -> BigInt,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        settled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    workflow_templates (id) {
        id -> Text,
        reseller_id -> Nullable<Text>,
        name -> Text,
        description -> Nullable<Text>,
        category -> Nullable<Text>,
        tags -> Text,
        preview_image_url -> Nullable<Text>,
        status -> Text,
        share_mode -> Text,
        current_version -> Integer,
        published_version -> Nullable<Integer>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    workflow_template_versions (id) {
        id -> Text,
        template_id -> Text,
        reseller_id -> Nullable<Text>,
        version -> Integer,
        name -> Text,
        description -> Nullable<Text>,
        config -> Text,
        inputs_doc -> Text,
        published_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    workflow_template_shares (template_id, tenant_id) {
        template_id -> Text,
        tenant_id -> Text,
        reseller_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    node_presets (id) {
        id -> Text,
        reseller_id -> Nullable<Text>,
        tenant_id -> Nullable<Text>,
        kind -> Text,
        name -> Text,
        description -> Nullable<Text>,
        params -> Text,
        share_mode -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    node_preset_shares (preset_id, tenant_id) {
        preset_id -> Text,
        tenant_id -> Text,
        reseller_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Text,
        tenant_id -> Nullable<Text>,
        reseller_id -> Nullable<Text>,
        kind -> Text,
        to_address -> Text,
        from_name -> Text,
        subject -> Text,
        body_text -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tenant_plan_history (id) {
        id -> Text,
        tenant_id -> Text,
        plan_id -> Nullable<Text>,
        billing_interval -> Text,
        subscription_status -> Text,
        tenant_status -> Text,
        effective_at -> Timestamp,
    }
}

diesel::table! {
    revenuecat_configs (id) {
        id -> Text,
        level -> Text,
        reseller_id -> Nullable<Text>,
        authorization_sha256 -> Text,
        authorization_hint -> Text,
        app_user_id_is_tenant_id -> Bool,
        app_users -> Text,
        entitlements -> Text,
        products -> Text,
        apply_sandbox -> Bool,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    billing_periods (period) {
        period -> Text,
        period_start -> Timestamp,
        period_end -> Timestamp,
        closed_at -> Timestamp,
        closed_by -> Nullable<Text>,
        invoice_count -> Integer,
        statement_count -> Integer,
    }
}

diesel::table! {
    revenuecat_events (id) {
        id -> Text,
        owner_key -> Text,
        reseller_id -> Nullable<Text>,
        event_id -> Nullable<Text>,
        event_type -> Nullable<Text>,
        app_user_id -> Nullable<Text>,
        tenant_ids -> Text,
        event_timestamp_ms -> Nullable<BigInt>,
        environment -> Nullable<Text>,
        outcome -> Text,
        detail -> Text,
        payload -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    invoices (id) {
        id -> Text,
        number -> Text,
        period -> Text,
        tenant_id -> Text,
        reseller_id -> Nullable<Text>,
        tenant_name -> Text,
        currency -> Text,
        subtotal_cents -> BigInt,
        tax_cents -> BigInt,
        total_cents -> BigInt,
        period_start -> Timestamp,
        period_end -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoice_lines (id) {
        id -> Text,
        invoice_id -> Text,
        position -> Integer,
        kind -> Text,
        description -> Text,
        plan_id -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        quantity_ms -> Nullable<BigInt>,
        unit_price_millicents -> Nullable<BigInt>,
        amount_cents -> BigInt,
    }
}

diesel::table! {
    commission_statements (id) {
        id -> Text,
        number -> Text,
        period -> Text,
        reseller_id -> Text,
        reseller_name -> Text,
        currency -> Text,
        invoice_count -> Integer,
        revenue_cents -> BigInt,
        commission_rate_bp -> Integer,
        commission_cents -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    revenuecat_subscriptions (tenant_id) {
        tenant_id -> Text,
        reseller_id -> Nullable<Text>,
        app_user_id -> Text,
        product_id -> Nullable<Text>,
        entitlement_ids -> Text,
        period_type -> Nullable<Text>,
        store -> Nullable<Text>,
        environment -> Nullable<Text>,
        original_transaction_id -> Nullable<Text>,
        expires_at -> Nullable<Timestamp>,
        will_renew -> Nullable<Bool>,
        pending_product_id -> Nullable<Text>,
        auto_resume_at -> Nullable<Timestamp>,
        last_event_id -> Text,
        last_event_type -> Text,
        last_event_at_ms -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    data_exports (id) {
        id -> Text,
        kind -> Text,
        tenant_id -> Nullable<Text>,
        subject_user_id -> Nullable<Text>,
        requested_by -> Text,
        status -> Text,
        attempts -> Integer,
        error -> Nullable<Text>,
        storage_key -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(tenants -> resellers (reseller_id));
diesel::joinable!(users -> tenants (tenant_id));
diesel::joinable!(api_keys -> tenants (tenant_id));
diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(files -> tenants (tenant_id));
diesel::joinable!(tenant_users -> tenants (tenant_id));
diesel::joinable!(tenant_users -> users (user_id));
diesel::joinable!(invitations -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    resellers,
    one_time_tokens,
    email_outbox,
    tenant_plan_history,
    billing_periods,
    invoices,
    invoice_lines,
    commission_statements,
    subscription_plans,
    branding_configurations,
    branding_assets,
    tenants,
    users,
    workflows,
    workflow_versions,
    jobs,
    job_nodes,
    job_events,
    job_artifacts,
    webhook_endpoints,
    webhook_deliveries,
    usage_records,
    api_keys,
    audit_log,
    refresh_tokens,
    tenant_users,
    invitations,
    files,
    translation_engines,
    workspace_credentials,
    quota_reservations,
    workflow_templates,
    workflow_template_versions,
    workflow_template_shares,
    node_presets,
    node_preset_shares,
    revenuecat_configs,
    revenuecat_events,
    revenuecat_subscriptions,
    data_exports,
);
