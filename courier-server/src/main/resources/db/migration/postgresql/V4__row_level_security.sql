-- Row-level security on every table that carries a tenant: defence in depth beneath the services'
-- own filters. The application confines a transaction with set_config('courier.tenant_id', ..., true);
-- unset or empty means "not confined" (agents, background work, system admins).
--
-- Superusers and BYPASSRLS roles ignore policies, so for them the application switches each
-- confined transaction to the unprivileged role courier_tenant, created here when this user may.
DO $$
BEGIN
    CREATE ROLE courier_tenant NOLOGIN;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'not allowed to create role courier_tenant: row-level security binds this user only if it is an ordinary owner';
END $$;

DO $$
BEGIN
    IF pg_has_role(current_user, 'courier_tenant', 'MEMBER') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO courier_tenant', current_schema());
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO courier_tenant', current_schema());
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO courier_tenant', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO courier_tenant', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO courier_tenant', current_schema());
        -- The audit trail is append-only for the application.
        REVOKE UPDATE, DELETE ON audit_log FROM courier_tenant;
    END IF;
EXCEPTION
    WHEN undefined_object THEN NULL;
END $$;

CREATE FUNCTION courier_visible_tenant(row_tenant TEXT) RETURNS BOOLEAN
    LANGUAGE sql STABLE AS $$
        SELECT COALESCE(current_setting('courier.tenant_id', true), '') = ''
            OR row_tenant = current_setting('courier.tenant_id', true)
    $$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (courier_visible_tenant(id)) WITH CHECK (courier_visible_tenant(id));

DO $$
DECLARE
    owned TEXT;
BEGIN
    FOREACH owned IN ARRAY ARRAY['users', 'api_tokens', 'enrollment_tokens', 'agents', 'rollouts',
            'schedules', 'commands', 'tunnel_sessions', 'audit_log', 'events', 'webhooks'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', owned);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', owned);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (courier_visible_tenant(tenant_id))'
            || ' WITH CHECK (courier_visible_tenant(tenant_id))', owned);
    END LOOP;
END $$;

-- Command types without a tenant are every tenant's.
ALTER TABLE command_types ENABLE ROW LEVEL SECURITY;
ALTER TABLE command_types FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON command_types
    USING (tenant_id IS NULL OR courier_visible_tenant(tenant_id))
    WITH CHECK (tenant_id IS NULL OR courier_visible_tenant(tenant_id));
